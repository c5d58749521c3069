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
from traitlets.config import Config, PyFileConfigLoader

from . import execute, parallel, sandbox, verify

VERSION = "1"  # bump when grading changes, so that `grade` regrades everything once
KEY_STUDENT = "__answer_key__"


# --- course configuration -----------------------------------------------------------------------

def load_config(root: Path) -> Config:
    """The course's nbgrader_config.py, read as nbgrader reads it."""
    return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()


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


class NotANotebook(ValueError):
    """A submitted file that nbformat cannot read as a valid notebook."""


def read_notebook(path: Path):
    """The notebook at `path`, or raise NotANotebook saying why it is not one."""
    from .collect import notebook_problem

    problem = notebook_problem(path.read_bytes())
    if problem:
        raise NotANotebook(problem)
    return nbformat.read(path, as_version=4)


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


def prepare(path: Path, student: str, assignment: str, config: Config, db_url: str):
    """The submitted notebook as nbgrader's sanitizing steps leave it, ready to execute."""
    nb = read_notebook(path)
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
    root = Path(root).resolve()
    _python_tools_on_path()
    _quiet_sqlalchemy()
    config = load_config(root)
    course = coursedir_for(root, config, assignment)
    db_url, course_id = course.db_url, course.course_id
    limits = limits or limits_from(config)
    settings = config_dict(config)
    summary = Summary()
    state_path = state_dir(root, assignment) / "state.json"
    outcomes_path = state_dir(root, assignment) / "outcomes.json"
    state = {} if force else _read_json(state_path, {})
    outcomes = _read_json(outcomes_path, {})

    gb_notebooks = releases(root, db_url, course_id, assignment)
    in_gradebook = graded_in_gradebook(db_url, course_id, assignment)
    fixed = b"".join(p.read_bytes() for p in sorted([root / "nbgrader_config.py", *root.glob("nnkit/*.py")])
                     if p.is_file()) + VERSION.encode()

    def task(student, name, nb):
        return execute.Task(student, assignment, name, nbformat.writes(nb), str(root), settings,
                            limits, mode, scratch_base)

    # Steps 1 and 2.
    expected, keys, digests = {}, {}, {}
    key_tasks = []
    for name in gb_notebooks:
        source = root / "source" / assignment / f"{name}.ipynb"
        cached = _read_json(state_dir(root, assignment) / f"key-{name}.json", {})
        digest = _digest(source.read_bytes(), fixed)
        if cached.get("digest") == digest:
            keys[name] = cached["key"]
        else:
            digests[(KEY_STUDENT, name)] = digest
            key_tasks.append(task(KEY_STUDENT, name, read_notebook(source)))
    candidates = []
    for folder in sorted((root / "submitted").glob(f"*/{assignment}")):
        student = folder.parent.name
        for path in sorted(folder.glob("*.ipynb")):
            name = path.stem
            if name not in gb_notebooks:
                continue
            entry = f"{student}/{name}"
            digest = _digest(path.read_bytes(), (root / "source" / assignment / f"{name}.ipynb").read_bytes(), fixed)
            done = (root / "autograded" / student / assignment / f"{name}.ipynb").is_file()
            recorded = (student, name) in in_gradebook
            if state.get(entry) == digest and recorded and (done or outcomes.get(entry, {}).get("status") == "invalid"):
                summary.skipped += 1
            else:
                candidates.append((student, name, path, digest))
    bar = _progress(len(key_tasks) + len(candidates), assignment, progress)
    prepared_nbs: dict = {}
    remaining: dict[str, set] = {}

    def prepared_tasks():
        """Step 2, one submission at a time, so that workers start on the first at once."""
        for student, name, path, digest in candidates:
            entry = f"{student}/{name}"
            try:
                nb = read_notebook(path)
                notes = grade_cell_notes(nb, gb_notebooks[name])
                prepared = prepare(path, student, assignment, config, db_url)
            except Exception as err:  # not a notebook, or nbgrader refused it: 0, and why
                invalid = isinstance(err, NotANotebook)
                reason = str(err) if invalid else f"nbgrader could not prepare it: {type(err).__name__}: {err}"
                zero_notebook(db_url, course_id, assignment, student, name)
                stale = root / "autograded" / student / assignment / f"{name}.ipynb"
                if stale.exists():
                    stale.unlink()
                outcomes[entry] = asdict(Outcome(student, name, "invalid" if invalid else "failed",
                                                 message=reason, flags=[f"{name}.ipynb: {reason}"]))
                state[entry] = digest
                summary.invalid += invalid
                summary.failed += not invalid
                summary.flagged += 1
                bar.update(1)
                continue
            expected.setdefault(student, {})[name] = notes
            remaining.setdefault(student, set()).add(name)
            digests[(student, name)] = digest
            prepared_nbs[(student, name)] = prepared
            yield task(student, name, prepared)
        _write_json(outcomes_path, outcomes)
        _write_json(state_path, state)

    # Steps 3 and 4.
    executed: dict = {}
    results: dict = {}
    verdicts: dict = {}
    waiting: list[str] = []   # students whose notebooks are back before the answer key is

    def finish_student(student):
        try:
            _finish_student(student)
        except Exception as err:  # bookkeeping failed for this student only: record it, go on
            for name in expected[student]:
                outcomes[f"{student}/{name}"] = asdict(Outcome(
                    student, name, "failed", message=f"{type(err).__name__}: {err}",
                    flags=[f"grading failed: {type(err).__name__}: {err}"]))
                summary.failed += 1
            _write_json(outcomes_path, outcomes)

    def _finish_student(student):
        names = sorted(expected[student])
        valid = [n for n in names if n in executed.get(student, {})]
        failed = [n for n in names if n not in valid]
        every = not failed and len(names) == len(list((root / "submitted" / student / assignment).glob("*.ipynb")))
        error = ""
        if valid:
            try:
                finish(root, config, assignment, student, valid,
                       {(student, n): executed[student][n] for n in valid}, keys, verdicts, every,
                       {(student, n): prepared_nbs.pop((student, n)) for n in valid})
            except Exception as err:  # this student only; the batch goes on
                error = f"scoring failed: {type(err).__name__}: {err}"
        for name in names:
            entry = f"{student}/{name}"
            result = results.get((student, name))
            verdict = verdicts.get((student, name), verify.Verdict())
            outcome = Outcome(student, name, "graded", mode=getattr(result, "mode", ""))
            if result is not None and not isinstance(result, Exception):
                outcome.execution, outcome.message = result.status, result.message
                outcome.seconds, outcome.startup = result.seconds, result.startup
                if result.truncated:
                    outcome.flags.append(f"output beyond {limits.output} bytes was dropped")
                if result.status != "ok":
                    outcome.flags.append(f"{result.status}: {result.message}")
            if student in executed and name in executed[student]:
                outcome.flags += limit_flags(executed[student][name])
            if name in failed or error:
                reason = error or f"could not be executed: {results.get((student, name))}"
                zero_notebook(db_url, course_id, assignment, student, name)
                outcome.status, outcome.message = "failed", reason
                outcome.flags.append(reason)
                summary.failed += 1
            else:
                deleted = zero_deleted(db_url, course_id, assignment, student, name,
                                       [n.split()[2] for n in expected[student][name] if n.endswith("was deleted")])
                outcome.zeroed = verdict.zeroed + deleted
                outcome.unverified = verdict.unverified
                summary.graded += 1
            outcome.flags += expected[student][name] + verdict.flags
            summary.flagged += bool(outcome.flags)
            outcomes[entry] = asdict(outcome)
            if outcome.status == "graded":
                state[entry] = digests[(student, name)]
            if outcome.startup:
                summary.startup.append(outcome.startup)
        _write_json(outcomes_path, outcomes)
        _write_json(state_path, state)

    jobs = itertools.chain(key_tasks, prepared_tasks())
    for job, outcome in parallel.run_all(execute.run, jobs, workers=workers, scheduler=scheduler):
        student, name = job.student, job.notebook
        results[(student, name)] = outcome
        if isinstance(outcome, execute.Result) and outcome.notebook and outcome.status != "error":
            executed.setdefault(student, {})[name] = nbformat.reads(outcome.notebook, as_version=4)
        bar.update(1)
        if student == KEY_STUDENT:
            ran = executed.get(KEY_STUDENT, {}).get(name)
            if ran is None or (isinstance(outcome, execute.Result) and outcome.status != "ok"):
                raise RuntimeError(f"the source notebook {name} did not run cleanly: {outcome}")
            keys[name] = verify.answer_key(ran)
            _write_json(state_dir(root, assignment) / f"key-{name}.json",
                        {"digest": digests[(KEY_STUDENT, name)], "key": keys[name]})
            if len(keys) == len(gb_notebooks):
                for waiting_student in waiting:
                    finish_student(waiting_student)
                waiting.clear()
            continue
        remaining[student].discard(name)
        if not remaining[student]:
            if len(keys) < len(gb_notebooks):
                waiting.append(student)
            else:
                finish_student(student)
            bar.set_postfix(graded=summary.graded, failed=summary.failed, flagged=summary.flagged)
    bar.close()
    summary.seconds = time.monotonic() - started
    return summary


def _python_tools_on_path() -> None:
    """nbgrader's Gradebook runs `alembic` from PATH: this interpreter's folder goes first."""
    import sys

    here = os.path.dirname(sys.executable)
    if here not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([here, os.environ.get("PATH", "")])


def _progress(total: int, assignment: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc=f"grading {assignment}", unit="nb", disable=not enabled,
                dynamic_ncols=True)
