"""Export grades: nbgrader's grades.csv, or the file a learning platform's gradebook imports.

Without a platform, `nbgrader export` writes grades.csv (one row per student and assignment).
With one, an assignment's scores are written in that platform's import format, for every
student of the roster, under the platform's own ids, to exports/<assignment>/<platform>.csv,
and the feedback pages go with them (`returned.py`). One module per platform says what its
format is, where that comes from, and what it cannot carry: `moodle`, `canvas`, `blackboard`,
`brightspace`, `gradescope`. Which students and scores is `records.py`'s business.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..course import ROOT, nbgrader
from . import atomic, blackboard, brightspace, canvas, gradescope, moodle, returned
from .records import ExportError, class_list, collect_record

__all__ = ["PLATFORMS", "MISSING", "ExportError", "Exported", "export", "main"]

PLATFORMS = {m.NAME: m for m in (moodle, canvas, blackboard, brightspace, gradescope)}
MISSING = ("empty", "zero")  # what a student with nothing handed in gets


@dataclass
class Exported:
    """What an export wrote: the grades file, the feedback (zip or folder of zips), and who was left out of it."""
    platform: str
    grades: Path
    students: int = 0
    handed_in: int = 0
    feedback: Path | None = None
    without_feedback: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"{self.platform}: {self.grades} ({self.students} students, {self.handed_in} handed in)"]
        if self.feedback:
            lines.append(f"feedback: {self.feedback}")
        else:
            lines.append("feedback: none yet (run `python -m autograder feedback ASSIGNMENT` first)")
        if self.without_feedback:
            lines.append(f"handed in but no feedback pages yet: {', '.join(self.without_feedback)}")
        return "\n".join(lines)


def export(root: Path = ROOT, to: str = "grades.csv") -> Path:
    """nbgrader's own export of the whole gradebook to `root/to`."""
    nbgrader(root, "export", f"--to={to}")
    return root / to


def main(*, root: Path = ROOT, assignment: str | None = None, platform: str | None = None,
         roster: Path | None = None, missing: str = "empty", column: str | None = None) -> Exported | Path:
    """Write `assignment`'s grades (and feedback) for `platform`; without either, nbgrader's grades.csv.

    platform: one of PLATFORMS; default the one collect read the assignment's submissions from.
    roster: the class list (collect's roster format); default the one collect used.
    missing: "empty" or "zero", the cell of a roster student with nothing handed in.
    column: the grade column's header as the platform's own gradebook download writes it (with
    its id: Canvas `Title (123)`, Blackboard `Title [Total Pts: 10 Score] |123`); default a
    name made from the assignment's.
    Raises ExportError, before writing anything, for input that cannot give a complete file.
    """
    if assignment is None:
        if platform is not None:
            raise ExportError("name the assignment to export for a platform: export ASSIGNMENT --platform NAME")
        return export(root)
    if missing not in MISSING:
        raise ExportError(f"--missing {missing!r}: say `empty` or `zero`")
    record = collect_record(root, assignment)
    platform = platform or (record.get("platform") if record.get("platform") in PLATFORMS else None)
    if platform not in PLATFORMS:
        came = (f"collect read {assignment} from a {record['platform']} layout" if record
                else f"collect has no record of {assignment}")
        raise ExportError(f"which platform? {came}; give --platform, one of: {', '.join(PLATFORMS)}")
    module = PLATFORMS[platform]
    if roster is None and record.get("roster"):
        roster = Path(record["roster"])  # as given to collect: from where it ran, or the course folder
        if not roster.is_file() and not roster.is_absolute():
            roster = root / roster
    if roster is not None and not Path(roster).is_file():
        raise ExportError(f"no roster at {roster}: give the class list with --roster")
    students = class_list(root, assignment, Path(roster) if roster else None, module)
    header, rows = module.table(students, column or module.default_column(assignment, students[0].max_score), missing)
    target = root / "exports" / assignment / platform
    grades = atomic.write_bytes(target.with_suffix(module.SUFFIX),
                                atomic.csv_bytes(header, rows, quote_all=getattr(module, "QUOTE_ALL", False)))
    feedback, without = returned.write(root, assignment, students, module, target)
    return Exported(platform, grades, len(students), sum(s.handed_in for s in students), feedback, without)
