"""A submitted notebook as grading takes it: read leniently, its cells' roles mended.

`admit(path, release, source)` reads the file with `intake.read` (repairs noted) and mends it
with `recover.recover` (recovered, restored and undone cells flagged), and says what to tell the
instructor and the student. Test cells as an earlier release wrote them (their text is in the
course's release history) are noted, not flagged: the student worked from an older copy and
changed nothing (`from_earlier_release`). Shell lines (`!pip install ...`) are skipped, with a
note (`shell.skip_shell_lines`). It raises `intake.NotANotebook` for a file no editor
could open.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import nbformat

from autograder.grade import pythons
from autograder import cells
from autograder.grade.intake import read as intake
from autograder.grade.record.notes import Note
from autograder.grade.intake import recover, shell
from autograder.release.history import text_digest


@dataclass
class Admitted:
    nb: nbformat.NotebookNode
    notes: list[Note] = field(default_factory=list)    # format repairs, recovered and restored cells, ...
    earlier_release: list[str] = field(default_factory=list)  # grade ids of test cells from an older release


@lru_cache(maxsize=32)
def _notebook(path: str, mtime: float):
    return nbformat.read(path, as_version=4)


def reference(path: Path):
    """The release or source notebook at `path`, read once per change; None if there is none."""
    return _notebook(str(path), path.stat().st_mtime) if path.is_file() else None


def admit(path: Path, release: Path, source: Path, released: dict | None = None,
          course_python: pythons.CoursePython | None = None) -> Admitted:
    """The submission at `path`, mended against the release and source notebooks at those paths.

    released: grade id -> digests of every text its test cell has had in a release
    (`release.history.released_tests`), to tell an earlier release from an edit. course_python: the
    supported Pythons, to note cells only a newer one parses (`pythons.newer_syntax`).
    """
    nb, notes = intake.read_file(path)
    earlier = []
    reference_release = reference(release)
    if reference_release is not None:
        notes += recover.recover(nb, reference_release, reference(source)).notes
        earlier = from_earlier_release(nb, reference_release, released or {})
    if earlier:
        notes.append(Note("earlier_release", detail={"cells": earlier}))
    notes += shell.skip_shell_lines(nb)
    if course_python is not None:
        notes += pythons.newer_syntax(nb, course_python)
    return Admitted(nb, notes, earlier)


def from_earlier_release(nb, release, released: dict) -> list[str]:
    """Grade ids of `nb`'s test cells whose text differs from `release`'s but is one an earlier
    release had (`released`: grade id -> text digests). Cells whose roles `recover` mended are
    matched too; a text no release had is an edit."""
    current = {cells.grade_id(c): c.source for c in release.cells if cells.is_grade(c)}
    found = []
    for cell in nb.cells:
        gid = cells.grade_id(cell)
        if (cells.is_test(cell) and gid in current
                and not intake.same_text(cell.source, current[gid])
                and any(text_digest(text) in released.get(gid, ()) for text in (cell.source, intake.canonical(cell.source)))):
            found.append(gid)
    return found
