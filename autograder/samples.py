"""Sample submissions built from the instructor notebook: the demo grades them, the tests check them.

Each assignment declares its samples in `samples/<assignment>.py` as a list `SAMPLES` of
`Sample`: a typical mistake (the grade cells it must lose) or a correct variant written
differently (which must earn full points). Two samples every assignment gets for free:
`reference` (the instructor's solution) and `untouched` (the release as handed out).
"""
from __future__ import annotations

import copy
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import cells
from .course import ROOT, notebook_path, samples_path
from .provided import fill_provided


@dataclass(frozen=True)
class Sample:
    student: str
    # For a mistake, the words the grader uses to name it ("likely mistake: ...") wherever a
    # student's answer equals this sample's answer (autograder/key.py).
    description: str
    # Student code by solution cell: a grade id, or a name the cell defines (a function or class).
    cells: dict[str, str] = field(default_factory=dict)
    # Grade cells this submission must score 0 on; every other grade cell earns full points.
    loses: tuple[str, ...] = ()
    # Phrases its feedback must contain (the function and the quantity that differs).
    mentions: tuple[str, ...] = ()
    untouched: bool = False


REFERENCE = Sample("reference", "the instructor's solution")
UNTOUCHED = Sample("untouched", "the release notebook as handed out", untouched=True)


def load_samples(assignment: str, root: Path = ROOT) -> list[Sample]:
    """`reference`, `untouched` and the `SAMPLES` of the course's `samples/<assignment>.py`.

    Read from the course at `root` (not whichever `samples` package Python imported first), so a
    scratch course's own samples count. ModuleNotFoundError (name `samples.<assignment>`) when the
    course has no samples for it.
    """
    path = samples_path(assignment, root)
    if not path.is_file():
        raise ModuleNotFoundError(f"{assignment} has no samples: {path} is missing", name=f"samples.{assignment}")
    spec = importlib.util.spec_from_file_location(f"samples.{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [REFERENCE, UNTOUCHED, *module.SAMPLES]


def _without_markers(source: str) -> str:
    return "\n".join(line for line in source.split("\n")
                     if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)


def run_cells(assignment: str, grade_ids, namespace: dict | None = None, root: Path = ROOT) -> dict:
    """Run the named cells of the instructor's notebook, solutions included and provided code
    filled in as release fills it, in this process.

    For tests and benchmarks that need the reference code itself rather than a copy of it.
    Returns the namespace the cells ran in (`namespace`, or a new one).
    """
    nb = nbformat.read(notebook_path("source", assignment, root=root), as_version=4)
    fill_provided(nb, root, where=f"source/{assignment}")
    sources = {cells.grade_id(c): c.source for c in nb.cells}
    missing = [grade_id for grade_id in grade_ids if grade_id not in sources]
    if missing:
        raise LookupError(f"source/{assignment} has no cell(s) {missing}")
    namespace = {} if namespace is None else namespace
    for grade_id in grade_ids:
        code = compile(_without_markers(sources[grade_id]), f"{assignment}.ipynb[{grade_id}]", "exec")
        exec(code, namespace)
    return namespace


def build_submission(source_nb, release_nb, sample: Sample):
    """The release notebook with solution cells filled as `sample` says (the solution by default)."""
    submission = copy.deepcopy(release_nb)
    if sample.untouched:
        return submission
    solutions = {cells.grade_id(c): c.source for c in source_nb.cells if cells.is_answer(c)}
    unused = set(sample.cells)
    for cell in submission.cells:
        if not cells.is_answer(cell):
            continue
        source = _without_markers(solutions[cells.grade_id(cell)])
        keys = {cells.grade_id(cell)} | cells.defined_names(source)
        for key in keys & set(sample.cells):
            source = sample.cells[key]
            unused.discard(key)
        cell.source = source
    if unused:
        raise ValueError(f"sample {sample.student!r} names no solution cell: {sorted(unused)}")
    return submission


def write_submissions(assignment: str, samples: list[Sample], root: Path = ROOT) -> list[Path]:
    """Write each sample to submitted/<student>/<assignment>/, where nbgrader collects from."""
    source_nb = nbformat.read(notebook_path("source", assignment, root=root), as_version=4)
    release_nb = nbformat.read(notebook_path("release", assignment, root=root), as_version=4)
    paths = []
    for sample in samples:
        path = notebook_path("submitted", assignment, sample.student, root=root)
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(build_submission(source_nb, release_nb, sample), path)
        paths.append(path)
    return paths
