"""Autograde every collected submission of an assignment: in parallel, sandboxed, judged outside.

The steps, in order, and why the order matters:

1. find:     in each submitted/<student>/<assignment>/, the file to grade as each notebook and
             why every other file is not (intake/handed_in.py); skip what was graded before
             unchanged (a digest per notebook in reports/<assignment>/state.json) unless `force`;
2. take in:  read each as Jupyter would, mend its cells' roles and run nbgrader's sanitizing
             steps, here, where the gradebook is (intake/); a file that is not a notebook stops
             here and scores 0;
3. run:      each prepared notebook in a sandbox of its own on a worker (sandbox/); the answer
             key's runs (the source, and the source with each sample mistake: judge/key.py) run
             the same way, told apart by the task, never by a name;
4. score:    as each student's notebooks come back, nbgrader's own Autograde converter scores
             them in this process, the only one that writes the gradebook (record/scoring.py),
             with Execute replaced by `Replay` (the outputs from step 3) followed by the course's
             one list of scoring steps, `Judge` first (judge/verdicts.py decides every grade cell);
             then each notebook's outcome is recorded as notes (record/outcomes.py).

So autograded/ and the gradebook are what `nbgrader autograde` writes with the same
preprocessors (nbgrader_config.py gives it the same list), apart from the outputs' origin.
"""
from __future__ import annotations

import itertools
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat

from autograder import reasons
from autograder.course import (OUTCOMES, STATE, format_path, interpreter_on_path, load_config, notebook_path,
                               record_path)
from autograder.grade import pythons
from autograder.grade.intake import admit, handed_in
from autograder.grade.intake.prepare import NotANotebook, grade_cell_notes, prepare, releases
from autograder.grade.judge import key
from autograder.grade.judge.verdicts import NotebookVerdict
from autograder.grade.record.gradebook import graded_in_gradebook, one_engine, zero_deleted, zero_notebook
from autograder.grade.record.notes import Note, flagged
from autograder.grade.record.outcomes import Outcome, Summary, assemble, digest, read_json, state_dir, write_json
from autograder.grade.record.scoring import quiet_sqlalchemy, score
from autograder.grade.sandbox import box as sandbox
from autograder.grade.sandbox import execute, parallel
from autograder.grade.settings import config_dict, coursedir_for, limits_from
from autograder.release.history import released_tests

VERSION = "3"  # bump when grading changes, so that `grade` regrades everything once
SAVE_EVERY = 5.0  # seconds between saves of outcomes.json and state.json while grading


def grade_batch(assignment: str, root: Path, *, force: bool = False, workers: int | None = None,
                scheduler: str | None = None, mode: str | None = None, progress: bool = True,
                limits: sandbox.Limits | None = None, scratch_base: str | None = None) -> Summary:
    """Autograde the collected submissions of `assignment` in the course at `root`."""
    started = time.monotonic()
    with one_engine():
        batch = _Batch(assignment, Path(root).resolve(), force=force, mode=mode, limits=limits,
                       scratch_base=scratch_base)
        key_tasks, candidates = batch.find()
        bar = _progress(len(key_tasks) + len(candidates), assignment, progress)
        try:
            batch.execute_all(itertools.chain(key_tasks, batch.prepare_all(candidates, bar)), bar, workers, scheduler)
        finally:  # also when interrupted: what was graded is kept
            batch.save()
            bar.close()
    batch.summary.seconds = time.monotonic() - started
    return batch.summary


class _Batch:
    """What the steps of one `grade_batch` run share: the course, the saved state, the results so far."""

    def __init__(self, assignment: str, root: Path, *, force: bool, mode: str | None,
                 limits: sandbox.Limits | None, scratch_base: str | None):
        self.assignment, self.root, self.mode, self.scratch_base = assignment, root, mode, scratch_base
        interpreter_on_path()
        quiet_sqlalchemy()
        self.config = load_config(root)
        self.course_python = pythons.CoursePython(config=self.config)
        pythons.check_grading_python(self.course_python)
        course = coursedir_for(root, self.config, assignment)
        self.db_url, self.course_id = course.db_url, course.course_id
        self.limits = limits or limits_from(self.config)
        self.settings = config_dict(self.config)
        self.summary = Summary()
        self.reports = state_dir(root, assignment)
        self.state_path = record_path(assignment, STATE, root)
        self.outcomes_path = record_path(assignment, OUTCOMES, root)
        self.state = {} if force else read_json(self.state_path, {})
        self.outcomes = read_json(self.outcomes_path, {})
        self.releases = releases(root, self.db_url, self.course_id, assignment)
        self.released = released_tests(root, assignment)  # earlier releases' test cells
        self.in_gradebook = graded_in_gradebook(self.db_url, self.course_id, assignment)
        self.keys = key.Runs(root, assignment, self.releases)
        self.marks, self.other_marks = handed_in.release_marks(root, assignment, self.releases)
        self.ignore = course.ignore
        self.waiting: list[str] = []  # students whose notebooks are back before the answer keys are
        self.submissions: dict = {}   # (student, notebook) -> what each step left for the next: _Submission
        self.saved_at = time.monotonic()

    def _task(self, student: str, name: str, nb, answer_key: bool = False) -> execute.Task:
        return execute.Task(student, self.assignment, name, nbformat.writes(nb), str(self.root), self.settings,
                            self.limits, self.mode, self.scratch_base, answer_key)

    def save(self) -> None:
        """Write the outcomes and the state, together: a state entry never outlives its outcome."""
        write_json(self.outcomes_path, self.outcomes)
        write_json(self.state_path, self.state)
        self.saved_at = time.monotonic()

    def _save_now_and_then(self) -> None:
        """`save` at most every SAVE_EVERY seconds while grading: each save rewrites both files
        whole, so saving after every student costs a class of thousands time quadratic in its size.
        A grader killed in between loses at most those seconds' records, whose submissions
        then count as changed and are graded again."""
        if time.monotonic() - self.saved_at >= SAVE_EVERY:
            self.save()

    # --- step 1: find ---

    def find(self) -> tuple[list[execute.Task], list[tuple]]:
        """The answer-key runs to execute, and the submissions to grade; counts the unchanged ones."""
        keys = [self._task(run, name, nb, answer_key=True)
                for name, runs in self.keys.todo.items() for run, nb in runs.items()]
        return keys, self._find_submissions()

    def _find_submissions(self) -> list[tuple]:
        candidates = []
        folders = self.root.glob(str(format_path("submitted", self.assignment, "*", self.root).relative_to(self.root)))
        for folder in sorted(folders):
            student = folder.parent.name
            if handed_in.shown(student) != student:  # named by hand in bytes (unzip of a Windows zip): not graded, said
                self.summary.not_graded.append((handed_in.shown(student), Note("not_graded", detail={
                    "file": handed_in.shown(student), "why": handed_in.STUDENT_NOT_UTF8})))
                continue
            try:
                sorting = (handed_in.sort_out(folder, self.marks, self.other_marks, self.ignore)
                           if folder.is_dir() and not folder.is_symlink() else handed_in.in_place_of_folder(folder))
            except Exception as err:  # whatever a folder holds, it stops this student only: 0, and why
                why = _rejection(err)
                for name in sorted(self.releases):
                    self._reject(student, name, _sums([why]), why)
                continue
            for name in sorted(self.releases):
                notes = handed_in.notes_for(sorting, name, first=name == min(self.releases))
                self.summary.not_graded += [(student, note) for note in notes]
                if name not in sorting.taken:  # files handed in, none of them this notebook: 0, and why
                    sums = _sums(notes)
                    if notes and self._unchanged(student, name, sums):
                        self.summary.skipped += 1
                    elif notes:
                        self._reject(student, name, sums, Note("no_notebook", detail={"files": len(notes)}), *notes)
                    continue
                try:
                    path, renamed = handed_in.take(sorting, name, self.outcomes.get(f"{student}/{name}", {}).get("notes", []))
                except OSError as err:  # a folder that cannot be renamed in (read-only, no hard links): this student only
                    why = _rejection(err)
                    self._reject(student, name, _sums([why]), why, *notes)
                    continue
                notes = renamed + notes
                fixed = [p for p in key.depends_on(self.root, self.assignment, name) if p.is_file()]
                sums = _sums(notes, path, *fixed)
                if self._unchanged(student, name, sums):
                    self.summary.skipped += 1
                else:
                    candidates.append((student, name, path, sums, notes))
        return candidates

    def _unchanged(self, student: str, name: str, sums: str) -> bool:
        """Graded before from the same files, and what that grading wrote is all still there."""
        entry = f"{student}/{name}"
        done = notebook_path("autograded", self.assignment, student, name, self.root).is_file()
        # A notebook that was not a notebook has no autograded copy to look for.
        return (self.state.get(entry) == sums and (student, name) in self.in_gradebook
                and (done or self.outcomes.get(entry, {}).get("status") == "invalid"))

    # --- step 2: take in ---

    def prepare_all(self, candidates: list[tuple], bar):
        """Step 2, one submission at a time, so that workers start on the first at once."""
        for student, name, path, sums, placed in candidates:
            started = time.monotonic()
            try:
                admitted = admit.admit(path, notebook_path("release", self.assignment, None, name, self.root),
                                       notebook_path("source", self.assignment, None, name, self.root),
                                       self.released.get(name, {}), self.course_python)
                cells = grade_cell_notes(admitted.nb, self.releases[name], admitted.earlier_release)
                prepared = prepare(path, student, self.assignment, self.config, self.db_url, admitted.nb)
            except Exception as err:  # not a notebook, or nbgrader refused it: 0, and why
                self._reject(student, name, sums, _rejection(err), *placed)
                bar.update(1)
                continue
            self.submissions[(student, name)] = _Submission(sums, placed + admitted.notes + cells, prepared)
            self.summary.timed("intake", time.monotonic() - started)
            yield self._task(student, name, prepared)
        self._save_now_and_then()

    def _reject(self, student: str, name: str, sums: str, why: Note, *notes: Note) -> None:
        """`student`'s notebook `name` scores 0 without running: `why` (first) and `notes` say why."""
        invalid = why.kind in ("not_a_notebook", "no_notebook")
        zero_notebook(self.db_url, self.course_id, self.assignment, student, name)
        stale = notebook_path("autograded", self.assignment, student, name, self.root)
        if stale.exists():
            stale.unlink()
        entry = f"{student}/{name}"
        outcome = Outcome(student, name, "invalid" if invalid else "failed")
        outcome.add(why, *notes)
        self.outcomes[entry] = asdict(outcome)
        self.state[entry] = sums
        self.summary.invalid += invalid
        self.summary.failed += not invalid
        self.summary.flagged += 1

    # --- step 3: run confined ---

    def execute_all(self, jobs, bar, workers: int | None, scheduler: str | None) -> None:
        """Run the jobs on the workers; each student is finished as soon as all their notebooks are back."""
        for job, result in parallel.run_all(execute.run, jobs, workers=workers, scheduler=scheduler):
            student, name = job.student, job.notebook
            ran = None
            if isinstance(result, execute.Result) and result.notebook and result.status != "error":
                ran = nbformat.reads(result.notebook, as_version=4)
            bar.update(1)
            if job.answer_key:
                self._key_back(name, student, result, ran)
                continue
            submission = self.submissions[(student, name)]
            submission.result, submission.executed = result, ran
            if all(s.result is not None for (who, _), s in self.submissions.items() if who == student):
                self._student_back(student)
                bar.set_postfix(graded=self.summary.graded, failed=self.summary.failed,
                                flagged=self.summary.flagged)

    def _key_back(self, name: str, run: str, result, ran) -> None:
        """One of a key's runs is back; once every key is built, score the students who waited."""
        failure = ""
        if isinstance(result, BaseException):
            failure = reasons.grading_failure(result)
        elif result is not None and result.status != "ok":
            failure = f"{result.status}: {result.message}"
        if self.keys.back(name, run, ran, failure):
            for student in self.waiting:
                self.finish_one(student)
            self.waiting.clear()

    def _student_back(self, student: str) -> None:
        if self.keys.complete:
            self.finish_one(student)
        else:  # judged against every answer key
            self.waiting.append(student)

    # --- step 4: judge, score and record ---

    def finish_one(self, student: str) -> None:
        """Score one student's notebooks and record their outcomes."""
        names = sorted(name for who, name in self.submissions if who == student)
        try:
            self._finish_one(student, names)
        except Exception as err:  # bookkeeping failed for this student only: record it, go on
            for name in names:
                outcome = Outcome(student, name, "failed")
                outcome.add(Note("grading_failed", detail={"error": f"{type(err).__name__}: {err}"[:500]}))
                self.outcomes[f"{student}/{name}"] = asdict(outcome)
                self.summary.failed += 1
            self._save_now_and_then()
        for name in names:
            self.submissions.pop((student, name), None)

    def _finish_one(self, student: str, names: list[str]) -> None:
        mine = {name: self.submissions[(student, name)] for name in names}
        valid = [n for n in names if mine[n].executed is not None]
        submitted = list(format_path("submitted", self.assignment, student, self.root).glob("*.ipynb"))
        every = len(valid) == len(names) == len(submitted)
        verdicts: dict = {}
        started = time.monotonic()
        error = self._score(student, valid, every, mine, verdicts) if valid else None
        scored = time.monotonic() - started
        for _ in valid:  # one entry per notebook, so that a phase's entries add up to its time
            self.summary.timed("judge and score", scored / len(valid))
        started = time.monotonic()
        for name in names:
            submission = mine[name]
            failure = error
            if failure is None and name not in valid:
                failure = Note("grading_failed", detail=reasons.failure_detail(submission.result))
            deleted = []
            if failure is not None:
                zero_notebook(self.db_url, self.course_id, self.assignment, student, name)
            else:
                deleted = zero_deleted(self.db_url, self.course_id, self.assignment, student, name,
                                       [n.cell for n in submission.notes if n.kind == "grade_cell_deleted"])
            outcome = assemble(student, name, result=submission.result, executed=submission.executed,
                               verdict=verdicts.get((student, name), NotebookVerdict()), limits=self.limits,
                               notes=submission.notes, failure=failure, grade_ids=self.releases[name].grade_ids,
                               deleted=deleted)
            self.summary.failed += failure is not None
            self.summary.graded += failure is None
            self.summary.flagged += flagged(outcome.notes)
            entry = f"{student}/{name}"
            self.outcomes[entry] = asdict(outcome)
            if outcome.status == "graded":
                self.state[entry] = submission.digest
            if outcome.startup:
                self.summary.startup.append(outcome.startup)
            for phase, seconds in getattr(submission.result, "phases", {}).items():
                self.summary.timed(phase, seconds)
        self._save_now_and_then()
        recorded = time.monotonic() - started
        for _ in names:
            self.summary.timed("record", recorded / len(names))

    def _score(self, student: str, names: list[str], every_notebook: bool, mine: dict, verdicts: dict) -> Note | None:
        """Run nbgrader's Autograde on the notebooks that ran; why it failed, or None."""
        try:
            score(self.root, self.config, self.assignment, student, names,
                  {(student, n): mine[n].executed for n in names}, self.keys.keys, verdicts,
                  every_notebook, {(student, n): mine[n].prepared for n in names})
        except Exception as err:  # this student only; the batch goes on
            return Note("grading_failed", detail={"error": f"scoring: {type(err).__name__}: {err}"[:500]})
        return None


@dataclass
class _Submission:
    """One notebook of one student, as the steps hand it on."""
    digest: str
    notes: list            # intake's notes: repairs, recoveries, grade cells deleted or edited
    prepared: object       # the notebook as intake left it, which scoring takes instead of sanitizing again
    result: object = None  # execute.Result, or the exception a worker sent back
    executed: object = None


def _sums(notes: list[Note], *files: Path) -> str:
    """One digest of what a grade depends on: `files` (the notebook, the answer key's inputs), this
    grader's VERSION and the notes on the submission; a change to any of them regrades it."""
    return digest(*files, VERSION.encode(), json.dumps([n.to_dict() for n in notes], sort_keys=True).encode())


def _rejection(err: Exception) -> Note:
    """Why intake stopped at a submission: not a notebook, or nbgrader refused it."""
    if isinstance(err, NotANotebook):
        return Note("not_a_notebook", detail={"reason": str(err)})
    return Note("could_not_prepare", detail={"error": f"{type(err).__name__}: {err}"[:500]})


def _progress(total: int, assignment: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc=f"grading {assignment}", unit="nb", disable=not enabled,
                dynamic_ncols=True)
