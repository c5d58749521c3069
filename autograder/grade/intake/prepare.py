"""Step 2 of grading: read a submission and run nbgrader's sanitizing steps on it, here, before execution.

Restoring grade cells needs the gradebook, which only the grading process opens; the prepared
notebook is what a worker executes, and what scoring later takes instead of sanitizing again.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.converters import Autograde
from nbgrader.preprocessors import CheckCellMetadata, DeduplicateIds
from traitlets.config import Config

from autograder import cells
from autograder.course import notebook_path
from autograder.grade.intake import read as intake
from autograder.grade.record.notes import Note
from autograder.grade.preprocessors.check_metadata import CheckMetadata
from autograder.grade.preprocessors.forget_duplicates import ForgetDuplicates


def _sanitize_steps() -> list:
    """nbgrader's sanitizing steps, with ForgetDuplicates right after DeduplicateIds, and
    CheckCellMetadata as CheckMetadata (the same checks, the schema checked once)."""
    steps = [CheckMetadata if step is CheckCellMetadata else step
             for step in Autograde.class_traits()["sanitize_preprocessors"].default()]
    return steps[:steps.index(DeduplicateIds) + 1] + [ForgetDuplicates] + steps[steps.index(DeduplicateIds) + 1:]


SANITIZE = _sanitize_steps()


NotANotebook = intake.NotANotebook


def read_notebook(path: Path):
    """The notebook at `path`, read as Jupyter opens it (intake.py), or raise NotANotebook saying why."""
    return intake.read_file(path)[0]


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
        path = notebook_path("release", assignment, None, name, root)
        released = nbformat.read(path, as_version=4).cells if path.is_file() else []
        found[name] = Release(ids, {cells.grade_id(c): c.source for c in released if cells.grade_id(c)})
    return found


def grade_cell_notes(nb, release: Release, earlier_release=()) -> list[Note]:
    """How a submission's grade cells differ from the release: deleted, repeated, edited (those
    of `earlier_release`, as an earlier release wrote them, were not edited; line endings,
    trailing spaces and Unicode normalisation are an editor's, not an edit: `intake.same_text`)."""
    notes = []
    ids = [cells.grade_id(c) for c in nb.cells if cells.grade_id(c)]
    sources = release.sources
    for grade_id in release.grade_ids:
        count = ids.count(grade_id)
        if count == 0:
            notes.append(Note("grade_cell_deleted", grade_id))
        elif count > 1:
            notes.append(Note("grade_cell_repeated", grade_id, {"count": count}))
    for c in nb.cells:
        gid = cells.grade_id(c)
        if cells.is_test(c) and gid in sources:
            if not intake.same_text(c.source, sources[gid]) and gid not in earlier_release:
                notes.append(Note("grade_cell_edited", gid))
    return notes


def prepare(path: Path, student: str, assignment: str, config: Config, db_url: str, nb=None):
    """The submitted notebook (`nb`, read from `path` if None) as nbgrader's sanitizing steps leave it."""
    nb = read_notebook(path) if nb is None else nb
    name = path.stem
    resources = {"unique_key": name, "output_files_dir": f"{name}_files",
                 "nbgrader": {"student": student, "assignment": assignment, "notebook": name,
                              "db_url": db_url}}
    with quiet():  # nbgrader logs each restored cell; grade_cell_notes reports them
        for step in SANITIZE:
            nb, resources = step(config=config)(nb, resources)
    return nb


@contextmanager
def quiet():
    loggers = [logging.getLogger(name) for name in ("traitlets", "nbgrader", "Autograde")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)
