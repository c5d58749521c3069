"""Autograde every collected submission of an assignment: in parallel, sandboxed, judged outside.

The steps, in order, and why the order matters:

1. find:     submitted/<student>/<assignment>/*.ipynb; skip what was graded before unchanged
             (a digest per notebook in reports/<assignment>/state.json) unless `force`;
2. prepare:  nbgrader's sanitizing preprocessors, here, where the gradebook is (prepare.py);
             a file that is not a notebook stops here and scores 0;
3. execute:  each prepared notebook in a sandbox of its own on a worker (execute.py,
             parallel.py); the answer key's notebooks (the source, and the source with each
             sample mistake: key.py) run the same way, in sandboxes of their own;
4. finish:   as each student's notebooks come back, nbgrader's own Autograde converter scores
             them in this process, the only one that writes the gradebook, with Execute
             replaced by `Replay` (the outputs from step 3) and `Judge` right after it, which
             replaces every grade cell's outputs with the grader's verdict (judge.py):
             Replay, Judge, IgnorePattern, ClearMetadata, LimitOutput, SaveAutoGrades,
             AssignLatePenalties, CheckCellMetadata.

So autograded/ and the gradebook are what `nbgrader autograde` writes with the same
preprocessors (nbgrader_config.py puts Judge after its Execute), apart from the outputs' origin.
"""
from __future__ import annotations

import itertools
import json
import time
from dataclasses import asdict
from pathlib import Path

import nbformat
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from autograder import reasons
from autograder.grade import pythons
from autograder.grade.intake import admit
from autograder.grade.sandbox import execute
from autograder.grade.intake import read as intake
from autograder.grade.judge import key
from autograder.grade.sandbox import parallel
from autograder.grade.sandbox import box as sandbox
from autograder.course import interpreter_on_path, load_config
from autograder.grade.record.gradebook import graded_in_gradebook, zero_deleted, zero_notebook
from autograder.grade.judge.verdicts import NotebookVerdict
from autograder.grade.record.notes import Note, flagged
from autograder.grade.record.outcomes import Outcome, Summary, digest, limit_notes, read_json, state_dir, write_json
from autograder.grade.intake.prepare import SANITIZE, NotANotebook, grade_cell_notes, prepare, quiet, read_notebook, releases
from autograder.grade.preprocessors import SCORING, Judge, Replay, UsePrepared
from autograder.release import released_tests

VERSION = "3"  # bump when grading changes, so that `grade` regrades everything once


# --- course configuration -----------------------------------------------------------------------

def coursedir_for(root: Path, config: Config, assignment: str, student: str = "*",
                  notebook: str = "*") -> CourseDirectory:
    coursedir = CourseDirectory(config=config)
    coursedir.root = str(root)
    coursedir.assignment_id = assignment
    coursedir.student_id = student
    coursedir.notebook_id = notebook
    return coursedir


def limits_from(config: Config, **overrides) -> sandbox.Limits:
    limits = sandbox.Limits()
    timeout = config.get("Execute", {}).get("timeout")
    if isinstance(timeout, (int, float)) and timeout > 0:
        limits.cell_timeout = float(timeout)
    for name, value in overrides.items():
        if value is not None:
            setattr(limits, name, value)
    return limits


def config_dict(config: Config) -> dict:
    """The part of the config a worker needs to execute (Execute's settings), as plain data."""
    return json.loads(json.dumps({"Execute": dict(config.get("Execute", {})),
                                  "NotebookClient": dict(config.get("NotebookClient", {}))},
                                 default=str))


# --- step 4: finish -----------------------------------------------------------------------------

def _quiet_sqlalchemy() -> None:
    import warnings

    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)  # about nbgrader's own session use


def finish(root: Path, config: Config, assignment: str, student: str, notebooks: list[str],
           executed: dict, keys: dict, verdicts: dict, every_notebook: bool, prepared: dict | None = None) -> None:
    """Score one student's executed notebooks with nbgrader's Autograde converter.

    `prepared` holds step 2's result for each notebook; the converter then takes it instead of
    running the same sanitizing steps on the same file again.
    """
    selections = ["*"] if every_notebook else notebooks
    for notebook in selections:
        coursedir = coursedir_for(root, config, assignment, student, notebook)
        converter = Autograde(coursedir=coursedir, config=config)
        converter.force = True
        converter.exporter_class = intake.LenientExporter  # reads what step 2 read, as step 2 read it
        # Set on the converter, not through the config, which would copy the two instances.
        converter.sanitize_preprocessors = [UsePrepared(prepared=prepared)] if prepared else SANITIZE
        converter.autograde_preprocessors = [Replay(executed=executed, course_root=str(root)), *(
            Judge(keys=keys, verdicts=verdicts) if step is Judge else step for step in SCORING)]
        with quiet():
            converter.start()


# --- the batch ----------------------------------------------------------------------------------

def grade_batch(assignment: str, root: Path, *, force: bool = False, workers: int | None = None,
                scheduler: str | None = None, mode: str | None = None, progress: bool = True,
                limits: sandbox.Limits | None = None, scratch_base: str | None = None) -> Summary:
    """Autograde the collected submissions of `assignment` in the course at `root`."""
    started = time.monotonic()
    batch = _Batch(assignment, Path(root).resolve(), force=force, mode=mode, limits=limits,
                   scratch_base=scratch_base)
    key_tasks, candidates = batch.find()
    bar = _progress(len(key_tasks) + len(candidates), assignment, progress)
    batch.execute_all(itertools.chain(key_tasks, batch.prepare_all(candidates, bar)), bar, workers, scheduler)
    bar.close()
    batch.summary.seconds = time.monotonic() - started
    return batch.summary


class _Batch:
    """What the steps of one `grade_batch` run share: the course, the saved state, the results so far."""

    def __init__(self, assignment: str, root: Path, *, force: bool, mode: str | None,
                 limits: sandbox.Limits | None, scratch_base: str | None):
        self.assignment, self.root, self.mode, self.scratch_base = assignment, root, mode, scratch_base
        interpreter_on_path()
        _quiet_sqlalchemy()
        self.config = load_config(root)
        self.course_python = pythons.CoursePython(config=self.config)
        pythons.check_grading_python(self.course_python)
        course = coursedir_for(root, self.config, assignment)
        self.db_url, self.course_id = course.db_url, course.course_id
        self.limits = limits or limits_from(self.config)
        self.settings = config_dict(self.config)
        self.summary = Summary()
        self.reports = state_dir(root, assignment)
        self.state_path = self.reports / "state.json"
        self.outcomes_path = self.reports / "outcomes.json"
        self.state = {} if force else read_json(self.state_path, {})
        self.outcomes = read_json(self.outcomes_path, {})
        self.releases = releases(root, self.db_url, self.course_id, assignment)
        self.released = released_tests(root, assignment)  # earlier releases' test cells
        self.in_gradebook = graded_in_gradebook(self.db_url, self.course_id, assignment)
        # What every grade depends on besides the notebooks: a change to any of it regrades all.
        self.fixed = b"".join(p.read_bytes() for p in sorted([root / "nbgrader_config.py", *root.glob("nnkit/*.py"),
                                                              root / "samples" / f"{assignment}.py"])
                              if p.is_file()) + VERSION.encode()
        self.keys: dict = {}        # notebook -> key.Key
        self.key_runs: dict = {}    # notebook -> key run -> executed notebook, until the key is built
        self.key_pending: dict = {}  # notebook -> key runs not back from a worker yet
        self.digests: dict = {}     # (student, notebook) -> digest, recorded once it is graded
        self.expected: dict = {}    # student -> notebook -> grade cell notes from step 2
        self.remaining: dict = {}   # student -> notebooks not back from a worker yet
        self.prepared: dict = {}    # (student, notebook) -> prepared notebook, until step 4 takes it
        self.executed: dict = {}    # student -> notebook -> executed notebook
        self.results: dict = {}     # (student, notebook) -> execute.Result, or the exception
        self.verdicts: dict = {}
        self.waiting: list[str] = []  # students whose notebooks are back before the answer key is
        self.admitted: dict = {}    # (student, notebook) -> admit.Admitted: repairs and recoveries

    def _task(self, student: str, name: str, nb) -> execute.Task:
        return execute.Task(student, self.assignment, name, nbformat.writes(nb), str(self.root), self.settings,
                            self.limits, self.mode, self.scratch_base)

    def _save(self) -> None:
        write_json(self.outcomes_path, self.outcomes)
        write_json(self.state_path, self.state)

    # --- step 1: find ---

    def find(self) -> tuple[list[execute.Task], list[tuple]]:
        """The answer keys to compute, and the submissions to grade; counts the unchanged ones."""
        return self._find_keys(), self._find_submissions()

    def _find_keys(self) -> list[execute.Task]:
        """Tasks for each answer key that is not cached: the source, and each sample mistake."""
        tasks = []
        for name in self.releases:
            cached = key.load(self.root, self.assignment, name)
            if cached:
                self.keys[name] = cached
                continue
            runs = key.key_notebooks(self.root, self.assignment, name)
            self.key_runs[name] = {}
            self.key_pending[name] = set(runs)
            tasks += [self._task(run, name, nb) for run, nb in runs.items()]
        return tasks

    def _find_submissions(self) -> list[tuple]:
        candidates = []
        for folder in sorted((self.root / "submitted").glob(f"*/{self.assignment}")):
            student = folder.parent.name
            for path in sorted(folder.glob("*.ipynb")):
                name = path.stem
                if name not in self.releases:
                    continue
                source = self.root / "source" / self.assignment / f"{name}.ipynb"
                sums = digest(path.read_bytes(), source.read_bytes(), self.fixed)
                if self._unchanged(student, name, sums):
                    self.summary.skipped += 1
                else:
                    candidates.append((student, name, path, sums))
        return candidates

    def _unchanged(self, student: str, name: str, sums: str) -> bool:
        """Graded before from the same files, and what that grading wrote is all still there."""
        entry = f"{student}/{name}"
        done = (self.root / "autograded" / student / self.assignment / f"{name}.ipynb").is_file()
        # A notebook that was not a notebook has no autograded copy to look for.
        return (self.state.get(entry) == sums and (student, name) in self.in_gradebook
                and (done or self.outcomes.get(entry, {}).get("status") == "invalid"))

    # --- step 2: prepare ---

    def prepare_all(self, candidates: list[tuple], bar):
        """Step 2, one submission at a time, so that workers start on the first at once."""
        for student, name, path, sums in candidates:
            try:
                admitted = admit.admit(path, self.root / "release" / self.assignment / f"{name}.ipynb",
                                       self.root / "source" / self.assignment / f"{name}.ipynb",
                                       self.released.get(name, {}), self.course_python)
                notes = grade_cell_notes(admitted.nb, self.releases[name], admitted.earlier_release)
                prepared = prepare(path, student, self.assignment, self.config, self.db_url, admitted.nb)
            except Exception as err:  # not a notebook, or nbgrader refused it: 0, and why
                self._reject(student, name, sums, err)
                bar.update(1)
                continue
            self.expected.setdefault(student, {})[name] = notes
            self.remaining.setdefault(student, set()).add(name)
            self.digests[(student, name)] = sums
            self.prepared[(student, name)] = prepared
            self.admitted[(student, name)] = admitted
            yield self._task(student, name, prepared)
        self._save()

    def _reject(self, student: str, name: str, sums: str, err: Exception) -> None:
        invalid = isinstance(err, NotANotebook)
        zero_notebook(self.db_url, self.course_id, self.assignment, student, name)
        stale = self.root / "autograded" / student / self.assignment / f"{name}.ipynb"
        if stale.exists():
            stale.unlink()
        entry = f"{student}/{name}"
        outcome = Outcome(student, name, "invalid" if invalid else "failed")
        outcome.add(Note("not_a_notebook", detail={"reason": str(err)}) if invalid else
                    Note("could_not_prepare", detail={"error": f"{type(err).__name__}: {err}"[:500]}))
        self.outcomes[entry] = asdict(outcome)
        self.state[entry] = sums
        self.summary.invalid += invalid
        self.summary.failed += not invalid
        self.summary.flagged += 1

    # --- step 3: execute ---

    def execute_all(self, jobs, bar, workers: int | None, scheduler: str | None) -> None:
        """Run the jobs on the workers; each student is finished as soon as all their notebooks are back."""
        for job, outcome in parallel.run_all(execute.run, jobs, workers=workers, scheduler=scheduler):
            student, name = job.student, job.notebook
            self.results[(student, name)] = outcome
            if isinstance(outcome, execute.Result) and outcome.notebook and outcome.status != "error":
                self.executed.setdefault(student, {})[name] = nbformat.reads(outcome.notebook, as_version=4)
            bar.update(1)
            if name in self.key_pending and student in self.key_pending[name]:
                self._key_back(student, name, outcome)
                continue
            self.remaining[student].discard(name)
            if not self.remaining[student]:
                self._student_back(student)
                bar.set_postfix(graded=self.summary.graded, failed=self.summary.failed,
                                flagged=self.summary.flagged)

    def _all_keys(self) -> bool:
        return len(self.keys) == len(self.releases)

    def _key_back(self, run: str, name: str, outcome) -> None:
        """One of a key's notebooks is back; once all are, build the key and score who waited."""
        self.key_pending[name].discard(run)
        ran = self.executed.pop(run, {}).get(name)
        if run == key.KEY_STUDENT and (ran is None or getattr(outcome, "status", "") != "ok"):
            why = reasons.grading_failure(outcome) if isinstance(outcome, BaseException) else outcome
            raise RuntimeError(f"the source notebook {name} did not run cleanly: {why}")
        if ran is not None:  # a sample mistake that did not run only costs its hints
            self.key_runs[name][run] = ran
        if self.key_pending[name]:
            return
        self.keys[name] = key.build(self.key_runs.pop(name), self.assignment)
        key.save(self.root, self.assignment, name, self.keys[name])
        if self._all_keys():
            for student in self.waiting:
                self.finish_one(student)
            self.waiting.clear()

    def _student_back(self, student: str) -> None:
        if self._all_keys():
            self.finish_one(student)
        else:  # Verify checks against every answer key
            self.waiting.append(student)

    # --- step 4: finish ---

    def finish_one(self, student: str) -> None:
        """Score one student's notebooks and record their outcomes."""
        try:
            self._finish_one(student)
        except Exception as err:  # bookkeeping failed for this student only: record it, go on
            for name in self.expected[student]:
                outcome = Outcome(student, name, "failed")
                outcome.add(Note("grading_failed", detail={"error": f"{type(err).__name__}: {err}"[:500]}))
                self.outcomes[f"{student}/{name}"] = asdict(outcome)
                self.summary.failed += 1
            write_json(self.outcomes_path, self.outcomes)

    def _finish_one(self, student: str) -> None:
        names = sorted(self.expected[student])
        valid = [n for n in names if n in self.executed.get(student, {})]
        failed = [n for n in names if n not in valid]
        submitted = list((self.root / "submitted" / student / self.assignment).glob("*.ipynb"))
        every = not failed and len(names) == len(submitted)
        error = self._score(student, valid, every) if valid else None
        for name in names:
            result = self.results.get((student, name))
            failure = error
            if failure is None and name in failed:
                failure = Note("grading_failed", detail=reasons.failure_detail(result))
            outcome = self._outcome(student, name, failure)
            self.summary.flagged += flagged(outcome.notes)
            entry = f"{student}/{name}"
            self.outcomes[entry] = asdict(outcome)
            if outcome.status == "graded":
                self.state[entry] = self.digests[(student, name)]
            if outcome.startup:
                self.summary.startup.append(outcome.startup)
        self._save()

    def _score(self, student: str, names: list[str], every_notebook: bool) -> Note | None:
        """Run nbgrader's Autograde on the notebooks that ran; why it failed, or None."""
        try:
            finish(self.root, self.config, self.assignment, student, names,
                   {(student, n): self.executed[student][n] for n in names}, self.keys, self.verdicts,
                   every_notebook, {(student, n): self.prepared.pop((student, n)) for n in names})
        except Exception as err:  # this student only; the batch goes on
            return Note("grading_failed", detail={"error": f"scoring: {type(err).__name__}: {err}"[:500]})
        return None

    def _outcome(self, student: str, name: str, failure: Note | None) -> Outcome:
        """One notebook's outcome: scored, or 0 for `failure`."""
        result = self.results.get((student, name))
        verdict = self.verdicts.get((student, name), NotebookVerdict())
        outcome = Outcome(student, name, "graded", mode=getattr(result, "mode", ""))
        admitted = self.admitted.pop((student, name), None)
        if admitted is not None:
            outcome.add(*admitted.notes)
        if result is not None and not isinstance(result, Exception):
            outcome.execution, outcome.seconds, outcome.startup = result.status, result.seconds, result.startup
            if result.truncated:
                outcome.add(Note("output_cut", detail={"bytes": self.limits.output}))
            if result.status != "ok":
                outcome.add(Note("execution", detail={"status": result.status, "message": result.message}))
        if name in self.executed.get(student, {}):
            outcome.add(*limit_notes(self.executed[student][name], self.limits))
        if failure is not None:
            zero_notebook(self.db_url, self.course_id, self.assignment, student, name)
            outcome.status = "failed"
            outcome.add(failure)
            self.summary.failed += 1
        else:
            deleted = zero_deleted(self.db_url, self.course_id, self.assignment, student, name,
                                   [n.cell for n in self.expected[student][name] if n.kind == "grade_cell_deleted"])
            outcome.zeroed = verdict.zeroed + deleted
            outcome.unverified = verdict.unverified
            outcome.mistakes = verdict.mistakes
            self.summary.graded += 1
        outcome.add(*self.expected[student][name], *verdict.notes)
        return outcome


def _progress(total: int, assignment: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc=f"grading {assignment}", unit="nb", disable=not enabled,
                dynamic_ncols=True)
