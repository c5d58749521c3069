"""Autograde every collected submission of an assignment: in parallel, sandboxed, re-checked.

The steps, in order, and why the order matters:

1. find:     submitted/<student>/<assignment>/*.ipynb; skip what was graded before unchanged
             (a digest per notebook in reports/<assignment>/state.json) unless `force`;
2. prepare:  nbgrader's sanitizing preprocessors (ClearOutput, DeduplicateIds,
             OverwriteKernelspec, OverwriteCells, CheckCellMetadata), here, where the gradebook
             is; a file that is not a notebook stops here and scores 0;
3. execute:  each prepared notebook, and the instructor's source notebook for the answer key,
             in a sandbox of its own on a worker (execute.py, parallel.py);
4. finish:   as each student's notebooks come back, nbgrader's own Autograde converter scores
             them in this process, the only one that writes the gradebook, with Execute
             replaced by `Replay` (the outputs from step 3) and `Verify` before SaveAutoGrades:
             Replay, IgnorePattern, ClearMetadata, LimitOutput, Verify, SaveAutoGrades,
             AssignLatePenalties, CheckCellMetadata.

Step 4 re-runs step 2 itself (it is deterministic), so autograded/ and the gradebook are exactly
what `nbgrader autograde` writes, apart from the outputs' origin and the re-check.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.api import Gradebook
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, DeduplicateIds, IgnorePattern,
                                    LimitOutput, NbGraderPreprocessor, SaveAutoGrades)
from traitlets import Any
from traitlets.config import Config

from . import admit, execute, intake, parallel, reasons, sandbox, verify
from .course import interpreter_on_path, load_config

VERSION = "2"  # bump when grading changes, so that `grade` regrades everything once
KEY_STUDENT = "__answer_key__"


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


# --- results kept between runs ------------------------------------------------------------------

@dataclass
class Outcome:
    """What happened to one notebook of one student; the report reads these."""
    student: str
    notebook: str
    status: str                     # "graded", "invalid", "failed"
    execution: str = ""             # execute.Result.status
    message: str = ""
    seconds: float = 0.0
    startup: float = 0.0
    flags: list[str] = field(default_factory=list)
    zeroed: list[str] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)
    mode: str = ""
    repairs: list[str] = field(default_factory=list)    # what intake repaired to read it: not flags
    for_student: list[str] = field(default_factory=list)  # why it lost points, in the student's words


def state_dir(root: Path, assignment: str) -> Path:
    path = root / "reports" / assignment
    path.mkdir(parents=True, exist_ok=True)
    return path


def _read_json(path: Path, default):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return default


def _write_json(path: Path, data) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
    os.replace(tmp, path)  # atomic: a killed grader leaves the old file or the new one


def load_outcomes(root: Path, assignment: str) -> dict[str, dict]:
    return _read_json(state_dir(root, assignment) / "outcomes.json", {})


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


# --- step 2: prepare ----------------------------------------------------------------------------

class ForgetDuplicates(NbGraderPreprocessor):
    """After DeduplicateIds: drop the `nbgrader` metadata it emptied on a duplicated cell.

    DeduplicateIds keeps the last cell of a grade id and sets the others' metadata to {}, which
    CheckCellMetadata then rejects as an outdated schema, failing the whole submission. Without
    the key, a duplicate is an ordinary cell and the submission is graded like any other.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.metadata.get("nbgrader") == {}:
            del cell.metadata["nbgrader"]
        return cell, resources


def _sanitize_steps() -> list:
    steps = list(Autograde.class_traits()["sanitize_preprocessors"].default())
    return steps[:steps.index(DeduplicateIds) + 1] + [ForgetDuplicates] + steps[steps.index(DeduplicateIds) + 1:]


SANITIZE = _sanitize_steps()


NotANotebook = intake.NotANotebook


def read_notebook(path: Path):
    """The notebook at `path`, read as Jupyter opens it (intake.py), or raise NotANotebook saying why."""
    return intake.read(path.read_bytes())[0]


@dataclass
class Release:
    """What the gradebook knows of one notebook of the assignment, as plain data."""
    grade_ids: list[str]
    sources: dict[str, str]


def releases(root: Path, db_url: str, course_id: str, assignment: str) -> dict[str, Release]:
    """Grade ids from the gradebook; the grade cells' text as handed out, from release/."""
    with Gradebook(db_url, course_id) as gb:
        names = {nb.name: [c.name for c in nb.grade_cells] for nb in gb.find_assignment(assignment).notebooks}
    found = {}
    for name, ids in names.items():
        path = root / "release" / assignment / f"{name}.ipynb"
        cells = nbformat.read(path, as_version=4).cells if path.is_file() else []
        found[name] = Release(ids, {c.metadata["nbgrader"]["grade_id"]: c.source for c in cells
                                    if c.metadata.get("nbgrader", {}).get("grade_id")})
    return found


def grade_cell_notes(nb, release: Release) -> list[str]:
    """How a submission's grade cells differ from the release: deleted, duplicated, edited."""
    notes = []
    ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
           if c.metadata.get("nbgrader", {}).get("grade_id")]
    sources = release.sources
    for grade_id in release.grade_ids:
        count = ids.count(grade_id)
        if count == 0:
            notes.append(f"grade cell {grade_id} was deleted")
        elif count > 1:
            notes.append(f"grade cell {grade_id} appears {count} times")
    for c in nb.cells:
        meta = c.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and meta.get("grade_id") in sources:
            if c.source.strip() != sources[meta["grade_id"]].strip():
                notes.append(f"grade cell {meta['grade_id']} was edited (restored from the source)")
    return notes


def prepare(path: Path, student: str, assignment: str, config: Config, db_url: str, nb=None):
    """The submitted notebook (`nb`, read from `path` if None) as nbgrader's sanitizing steps leave it."""
    nb = read_notebook(path) if nb is None else nb
    name = path.stem
    resources = {"unique_key": name, "output_files_dir": f"{name}_files",
                 "nbgrader": {"student": student, "assignment": assignment, "notebook": name,
                              "db_url": db_url}}
    with _quiet():  # nbgrader logs each restored cell; grade_cell_notes reports them
        for step in SANITIZE:
            nb, resources = step(config=config)(nb, resources)
    return nb


# --- step 4: finish -----------------------------------------------------------------------------

class Replay(NbGraderPreprocessor):
    """Stands where nbgrader's Execute stands: puts in the outputs a worker produced."""

    executed = Any()  # (student, notebook) -> executed notebook

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        ran = self.executed[(info["student"], info["notebook"])]
        if [c.source for c in ran.cells] != [c.source for c in nb.cells]:
            raise ValueError("the notebook changed between execution and scoring")
        for cell, done in zip(nb.cells, ran.cells):
            if cell.cell_type == "code":
                cell.outputs = done.outputs
                cell.execution_count = done.execution_count
        for key in ("language_info", "widgets"):
            if key in ran.metadata:
                nb.metadata[key] = ran.metadata[key]
        return nb, resources


def _quiet_sqlalchemy() -> None:
    import warnings

    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)  # about nbgrader's own session use


class UsePrepared(NbGraderPreprocessor):
    """Stands for the sanitizing steps in step 4: their result from step 2 (`prepare`)."""

    prepared = Any()  # (student, notebook) -> prepared notebook

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        return self.prepared[(info["student"], info["notebook"])], resources


@contextmanager
def _quiet():
    loggers = [logging.getLogger(name) for name in ("traitlets", "nbgrader", "Autograde")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


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
        converter.autograde_preprocessors = [
            Replay(executed=executed), IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
            verify.Verify(keys=keys, verdicts=verdicts), SaveAutoGrades, AssignLatePenalties,
            CheckCellMetadata,
        ]
        with _quiet():
            converter.start()


def graded_in_gradebook(db_url: str, course_id: str, assignment: str) -> set[tuple[str, str]]:
    """(student, notebook) pairs the gradebook holds scores for."""
    with Gradebook(db_url, course_id) as gb:
        return {(sub.student_id, nb.name) for sub in gb.assignment_submissions(assignment)
                for nb in sub.notebooks if any(g.auto_score is not None for g in nb.grades)}


def zero_notebook(db_url: str, course_id: str, assignment: str, student: str, notebook: str) -> None:
    """Score 0 on every grade cell of a notebook that could not be graded (e.g. not a notebook)."""
    with Gradebook(db_url, course_id) as gb:
        gb.update_or_create_student(student)
        gb.update_or_create_submission(assignment, student)
        for grade in gb.find_submission_notebook(notebook, assignment, student).grades:
            grade.auto_score = 0
            grade.needs_manual_grade = False
        gb.db.commit()


def zero_deleted(db_url: str, course_id: str, assignment: str, student: str, notebook: str,
                 grade_ids: list[str]) -> list[str]:
    """Grade cells a submission deleted get no score from nbgrader; give them 0."""
    zeroed = []
    with Gradebook(db_url, course_id) as gb:
        for grade in gb.find_submission_notebook(notebook, assignment, student).grades:
            if grade.name in grade_ids and grade.auto_score is None:
                grade.auto_score = 0
                grade.needs_manual_grade = False
                zeroed.append(grade.name)
        gb.db.commit()
    return zeroed


def limit_flags(nb) -> list[str]:
    """Cells of an executed notebook that ran into a limit, for the report."""
    flags = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            text = out.get("ename", "") + " " + out.get("text", "")[-2000:]
            if "CellTimeoutError" in text:
                flags.append(f"cell {index + 1} ran past the cell time limit")
            elif "MemoryError" in text:
                flags.append(f"cell {index + 1} hit the memory limit")
            else:
                continue
            break
    return flags


# --- the batch ----------------------------------------------------------------------------------

@dataclass
class Summary:
    graded: int = 0
    skipped: int = 0
    invalid: int = 0
    failed: int = 0
    flagged: int = 0
    seconds: float = 0.0
    startup: list[float] = field(default_factory=list)

    def __str__(self) -> str:
        parts = [f"{self.graded} graded", f"{self.skipped} unchanged", f"{self.invalid} not notebooks",
                 f"{self.failed} failed", f"{self.flagged} flagged"]
        return ", ".join(parts) + f" in {self.seconds:.1f} s"


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
        course = coursedir_for(root, self.config, assignment)
        self.db_url, self.course_id = course.db_url, course.course_id
        self.limits = limits or limits_from(self.config)
        self.settings = config_dict(self.config)
        self.summary = Summary()
        self.reports = state_dir(root, assignment)
        self.state_path = self.reports / "state.json"
        self.outcomes_path = self.reports / "outcomes.json"
        self.state = {} if force else _read_json(self.state_path, {})
        self.outcomes = _read_json(self.outcomes_path, {})
        self.releases = releases(root, self.db_url, self.course_id, assignment)
        self.in_gradebook = graded_in_gradebook(self.db_url, self.course_id, assignment)
        # What every grade depends on besides the notebooks: a change to any of it regrades all.
        self.fixed = b"".join(p.read_bytes() for p in sorted([root / "nbgrader_config.py", *root.glob("nnkit/*.py")])
                              if p.is_file()) + VERSION.encode()
        self.keys: dict = {}        # notebook -> answer key
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
        _write_json(self.outcomes_path, self.outcomes)
        _write_json(self.state_path, self.state)

    # --- step 1: find ---

    def find(self) -> tuple[list[execute.Task], list[tuple]]:
        """The answer keys to compute, and the submissions to grade; counts the unchanged ones."""
        return self._find_keys(), self._find_submissions()

    def _find_keys(self) -> list[execute.Task]:
        tasks = []
        for name in self.releases:
            source = self.root / "source" / self.assignment / f"{name}.ipynb"
            cached = _read_json(self.reports / f"key-{name}.json", {})
            digest = _digest(source.read_bytes(), self.fixed)
            if cached.get("digest") == digest:
                self.keys[name] = cached["key"]
            else:
                self.digests[(KEY_STUDENT, name)] = digest
                tasks.append(self._task(KEY_STUDENT, name, read_notebook(source)))
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
                digest = _digest(path.read_bytes(), source.read_bytes(), self.fixed)
                if self._unchanged(student, name, digest):
                    self.summary.skipped += 1
                else:
                    candidates.append((student, name, path, digest))
        return candidates

    def _unchanged(self, student: str, name: str, digest: str) -> bool:
        """Graded before from the same files, and what that grading wrote is all still there."""
        entry = f"{student}/{name}"
        done = (self.root / "autograded" / student / self.assignment / f"{name}.ipynb").is_file()
        # A notebook that was not a notebook has no autograded copy to look for.
        return (self.state.get(entry) == digest and (student, name) in self.in_gradebook
                and (done or self.outcomes.get(entry, {}).get("status") == "invalid"))

    # --- step 2: prepare ---

    def prepare_all(self, candidates: list[tuple], bar):
        """Step 2, one submission at a time, so that workers start on the first at once."""
        for student, name, path, digest in candidates:
            try:
                admitted = admit.admit(path, self.root / "release" / self.assignment / f"{name}.ipynb",
                                       self.root / "source" / self.assignment / f"{name}.ipynb")
                notes = admitted.flags + grade_cell_notes(admitted.nb, self.releases[name])
                prepared = prepare(path, student, self.assignment, self.config, self.db_url, admitted.nb)
            except Exception as err:  # not a notebook, or nbgrader refused it: 0, and why
                self._reject(student, name, digest, err)
                bar.update(1)
                continue
            self.expected.setdefault(student, {})[name] = notes
            self.remaining.setdefault(student, set()).add(name)
            self.digests[(student, name)] = digest
            self.prepared[(student, name)] = prepared
            self.admitted[(student, name)] = admitted
            yield self._task(student, name, prepared)
        self._save()

    def _reject(self, student: str, name: str, digest: str, err: Exception) -> None:
        invalid = isinstance(err, NotANotebook)
        reason = str(err) if invalid else f"nbgrader could not prepare it: {type(err).__name__}: {err}"
        zero_notebook(self.db_url, self.course_id, self.assignment, student, name)
        stale = self.root / "autograded" / student / self.assignment / f"{name}.ipynb"
        if stale.exists():
            stale.unlink()
        entry = f"{student}/{name}"
        self.outcomes[entry] = asdict(Outcome(
            student, name, "invalid" if invalid else "failed", message=reason, flags=[f"{name}.ipynb: {reason}"],
            for_student=[reasons.not_a_notebook(str(err)) if invalid else reasons.could_not_prepare()]))
        self.state[entry] = digest
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
            if student == KEY_STUDENT:
                self._key_back(name, outcome)
                continue
            self.remaining[student].discard(name)
            if not self.remaining[student]:
                self._student_back(student)
                bar.set_postfix(graded=self.summary.graded, failed=self.summary.failed,
                                flagged=self.summary.flagged)

    def _all_keys(self) -> bool:
        return len(self.keys) == len(self.releases)

    def _key_back(self, name: str, outcome) -> None:
        ran = self.executed.get(KEY_STUDENT, {}).get(name)
        if ran is None or (isinstance(outcome, execute.Result) and outcome.status != "ok"):
            why = reasons.grading_failure(outcome) if isinstance(outcome, BaseException) else outcome
            raise RuntimeError(f"the source notebook {name} did not run cleanly: {why}")
        self.keys[name] = verify.answer_key(ran)
        _write_json(self.reports / f"key-{name}.json",
                    {"digest": self.digests[(KEY_STUDENT, name)], "key": self.keys[name]})
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
                self.outcomes[f"{student}/{name}"] = asdict(Outcome(
                    student, name, "failed", message=f"{type(err).__name__}: {err}",
                    flags=[f"grading failed: {type(err).__name__}: {err}"],
                    for_student=[reasons.execution("error", "")]))
                self.summary.failed += 1
            _write_json(self.outcomes_path, self.outcomes)

    def _finish_one(self, student: str) -> None:
        names = sorted(self.expected[student])
        valid = [n for n in names if n in self.executed.get(student, {})]
        failed = [n for n in names if n not in valid]
        submitted = list((self.root / "submitted" / student / self.assignment).glob("*.ipynb"))
        every = not failed and len(names) == len(submitted)
        error = self._score(student, valid, every) if valid else ""
        for name in names:
            result = self.results.get((student, name))
            why = reasons.grading_failure(result) if isinstance(result, BaseException) else result
            reason = error or (f"could not be executed: {why}" if name in failed else "")
            outcome = self._outcome(student, name, reason)
            self.summary.flagged += bool(outcome.flags)
            entry = f"{student}/{name}"
            self.outcomes[entry] = asdict(outcome)
            if outcome.status == "graded":
                self.state[entry] = self.digests[(student, name)]
            if outcome.startup:
                self.summary.startup.append(outcome.startup)
        self._save()

    def _score(self, student: str, names: list[str], every_notebook: bool) -> str:
        """Run nbgrader's Autograde on the notebooks that ran; why it failed, or ""."""
        try:
            finish(self.root, self.config, self.assignment, student, names,
                   {(student, n): self.executed[student][n] for n in names}, self.keys, self.verdicts,
                   every_notebook, {(student, n): self.prepared.pop((student, n)) for n in names})
        except Exception as err:  # this student only; the batch goes on
            return f"scoring failed: {type(err).__name__}: {err}"
        return ""

    def _outcome(self, student: str, name: str, reason: str) -> Outcome:
        """One notebook's outcome: scored, or 0 for `reason`."""
        result = self.results.get((student, name))
        verdict = self.verdicts.get((student, name), verify.Verdict())
        notes = self.expected[student][name]
        outcome = Outcome(student, name, "graded", mode=getattr(result, "mode", ""))
        admitted = self.admitted.pop((student, name), None)
        if admitted is not None:
            outcome.repairs, outcome.for_student = admitted.repairs, list(admitted.student)
        if result is not None and not isinstance(result, Exception):
            outcome.execution, outcome.message = result.status, result.message
            outcome.seconds, outcome.startup = result.seconds, result.startup
            if result.truncated:
                outcome.flags.append(f"output beyond {self.limits.output} bytes was dropped")
                outcome.for_student.append(reasons.output_cut(self.limits.output))
            if result.status != "ok":
                outcome.flags.append(f"{result.status}: {result.message}")
                outcome.for_student.append(reasons.execution(result.status, result.message))
        if name in self.executed.get(student, {}):
            limits = limit_flags(self.executed[student][name])
            outcome.flags += limits
            outcome.for_student += [reasons.limit(flag, self.limits.memory, self.limits.cell_timeout)
                                    for flag in limits]
        if reason:
            zero_notebook(self.db_url, self.course_id, self.assignment, student, name)
            outcome.status, outcome.message = "failed", reason
            outcome.flags.append(reason)
            outcome.for_student.append(reasons.execution("error", reason))
            self.summary.failed += 1
        else:
            deleted = zero_deleted(self.db_url, self.course_id, self.assignment, student, name,
                                   [n.split()[2] for n in notes if n.endswith("was deleted")])
            outcome.zeroed = verdict.zeroed + deleted
            outcome.unverified = verdict.unverified
            self.summary.graded += 1
        outcome.flags += notes + verdict.flags
        outcome.for_student += [reasons.cell_note(n) for n in notes if n.startswith("grade cell ")
                                and not n.endswith("restored from the assignment and graded")]
        return outcome


def _progress(total: int, assignment: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc=f"grading {assignment}", unit="nb", disable=not enabled,
                dynamic_ncols=True)
