"""Feedback returned: the pages `feedback` wrote, packed the way each platform takes them.

The pages are taken as they are from feedback/<student>/<assignment>/ (every file there, its
subfolders kept). Moodle takes them for the whole class in one zip (moodle.py says how it reads
the names); every other platform, one student at a time, so each student gets a zip of their
own, named `<platform id>_<student id>.zip` so the instructor finds the student on the platform.
"""
from __future__ import annotations

from pathlib import Path

from . import atomic
from .records import Student


def pages(root: Path, assignment: str, student: str) -> dict[str, Path]:
    """The student's feedback files, by their path inside their feedback folder; {} if none."""
    folder = root / "feedback" / student / assignment
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


def write(root: Path, assignment: str, students: list[Student], platform,
          target: Path) -> tuple[Path | None, list[str]]:
    """Write the feedback of `students` for `platform` next to `target` (the grades file's path stem).

    Returns the zip or folder written (None if no student has feedback yet) and the students who
    handed in but have no feedback pages.
    """
    found = {s.id: pages(root, assignment, s.id) for s in students if s.handed_in}
    without = sorted(s for s, files in found.items() if not files)
    given = [s for s in students if found.get(s.id)]
    if not given:
        return None, without
    if platform.FEEDBACK == "bulk":
        entries = {f"{platform.feedback_folder(s)}/{name}": path for s in given for name, path in found[s.id].items()}
        return atomic.write_bytes(target.with_name(f"{target.name}-feedback.zip"), atomic.zip_bytes(entries)), without
    zips = {f"{s.platform_id}_{s.id}.zip": atomic.zip_bytes(found[s.id]) for s in given}
    return atomic.replace_folder(target.with_name(f"{target.name}-feedback"), zips), without
