"""Gradescope: scores keyed by SID and e-mail, in the columns of Gradescope's own grade download.

What Gradescope publishes: its course roster is keyed by e-mail, with an optional SID ("Adding
Students and Staff", help.gradescope.com); its assignment "Download Grades" CSV and the
"Export Submissions" metadata that collect reads (collect/gradescope.py, after otter-grader's
`GradescopeParser`) name students by `Name`, `SID` and `Email`, and the grade as `Total Score`
out of `Max Points`. Gradescope's help, as far as it could be read here, documents no upload of
scores from a file into an assignment: its scores go to a learning platform through its own
LMS grade sync, or are graded inside Gradescope by an autograder. So this file is written in the
columns of Gradescope's grade download (`First Name`, `Last Name`, `SID`, `Email`,
`Total Score`, `Max Points`, `Status`), which the tools that move Gradescope scores on read,
and for the instructor to enter or sync; it is not an import Gradescope documents.

Feedback goes back as one zip per student (Gradescope takes files per submission).

Cannot carry: comments, the late penalty apart from the score, a score per question (the
outline's questions are Gradescope's own), a student with neither SID nor e-mail.
"""
from __future__ import annotations

from .records import Student, cell, points

NAME = "gradescope"
LABEL = "Gradescope"
ID = "SID or e-mail"
ROSTER_COLUMNS = ("sid", "email")
FEEDBACK = "zips"
SUFFIX = ".csv"


def platform_id(row: dict[str, str], seen: dict) -> str | None:
    """The SID (roster, else the export's), else the e-mail Gradescope's roster is keyed by."""
    return (row.get("sid") or next(iter(seen.get("ids") or []), None) or row.get("email")
            or seen.get("email") or None)


def default_column(assignment: str, max_score: float) -> str:
    return "Total Score"


def table(students: list[Student], column: str, missing: str) -> tuple[list[str], list[list[str]]]:
    header = ["First Name", "Last Name", "SID", "Email", column, "Max Points", "Status"]
    rows = [[s.first_name, s.last_name, s.columns.get("sid") or (s.platform_id if s.platform_id != s.email else ""),
             s.email, cell(s, missing), points(s.max_score), "Graded" if s.handed_in else "Missing"]
            for s in students]
    return header, rows
