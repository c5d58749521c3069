"""A submitted notebook as grading takes it: read leniently, its cells' roles mended.

`admit(path, release, source)` reads the file with `intake.read` (repairs noted) and mends it
with `recover.recover` (recovered, restored and undone cells flagged), and says what to tell the
instructor and the student. Test cells as an earlier release wrote them are noted, not flagged:
the student worked from an older copy and changed nothing (`from_earlier_release`). It raises
`intake.NotANotebook` for a file no editor could open.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import nbformat
from nbgrader.utils import compute_checksum

from . import intake, recover


@dataclass
class Admitted:
    nb: nbformat.NotebookNode
    repairs: list[str] = field(default_factory=list)   # format repairs: noted, not flagged
    flags: list[str] = field(default_factory=list)     # for the report's flagged submissions
    student: list[str] = field(default_factory=list)   # for the student's "About your grade"
    earlier_release: list[str] = field(default_factory=list)  # grade ids of test cells from an older release


@lru_cache(maxsize=32)
def _notebook(path: str, mtime: float):
    return nbformat.read(path, as_version=4)


def reference(path: Path):
    """The release or source notebook at `path`, read once per change; None if there is none."""
    return _notebook(str(path), path.stat().st_mtime) if path.is_file() else None


def admit(path: Path, release: Path, source: Path) -> Admitted:
    """The submission at `path`, mended against the release and source notebooks at those paths."""
    nb, repairs = intake.read(path.read_bytes())
    found, earlier = recover.Recovery(), []
    released = reference(release)
    if released is not None:
        earlier = from_earlier_release(nb, released)  # before recover gives cells today's metadata
        found = recover.recover(nb, released, reference(source))
    repairs += [f"test cell {gid} is from an earlier release; graded with the current one" for gid in earlier]
    student = found.student + [
        f"Your notebook's test cell `{gid}` is from an earlier release of this assignment; the current "
        "version was used to grade your code. This alone costs no points." for gid in earlier]
    return Admitted(nb, repairs, found.flags, student, earlier)


def from_earlier_release(nb, release) -> list[str]:
    """Grade ids of `nb`'s read-only test cells whose text differs from `release`'s but is as an
    earlier release wrote it: nbgrader stamps every released cell with a checksum of its text and
    role (`nbgrader.utils.compute_checksum`), which a student's edit leaves stale."""
    current = {c.metadata["nbgrader"]["grade_id"]: c.source.strip() for c in release.cells
               if c.metadata.get("nbgrader", {}).get("grade")}
    found = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        gid = meta.get("grade_id")
        if not meta.get("grade") or meta.get("solution") or gid not in current or cell.source.strip() == current[gid]:
            continue
        try:
            stamped = compute_checksum(cell) == meta.get("checksum")
        except (KeyError, TypeError, ValueError):  # metadata without points or id: not as released
            stamped = False
        if stamped:
            found.append(gid)
    return found
