"""A submitted notebook as grading takes it: read leniently, its cells' roles mended.

`admit(path, release, source)` reads the file with `intake.read` (repairs noted) and mends it
with `recover.recover` (recovered, restored and undone cells flagged), and says what to tell the
instructor and the student. It raises `intake.NotANotebook` for a file no editor could open.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import nbformat

from . import intake, recover


@dataclass
class Admitted:
    nb: nbformat.NotebookNode
    repairs: list[str] = field(default_factory=list)   # format repairs: noted, not flagged
    flags: list[str] = field(default_factory=list)     # for the report's flagged submissions
    student: list[str] = field(default_factory=list)   # for the student's "About your grade"


@lru_cache(maxsize=32)
def _notebook(path: str, mtime: float):
    return nbformat.read(path, as_version=4)


def reference(path: Path):
    """The release or source notebook at `path`, read once per change; None if there is none."""
    return _notebook(str(path), path.stat().st_mtime) if path.is_file() else None


def admit(path: Path, release: Path, source: Path) -> Admitted:
    """The submission at `path`, mended against the release and source notebooks at those paths."""
    nb, repairs = intake.read(path.read_bytes())
    found = recover.Recovery()
    released = reference(release)
    if released is not None:
        found = recover.recover(nb, released, reference(source))
    return Admitted(nb, repairs, found.flags, found.student)
