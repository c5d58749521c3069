"""Blackboard Learn: the Grade Centre's "Upload" (Work Offline) file.

Format, from Blackboard's own help, "Uploading External Grade Center Items"
(library.blackboard.com, Grade Center): a header row, then one row per student; the student is
identified by the `Username` column (the same username as in "Assignment File Download" names,
collect/blackboard.py; rows without one fail, changes to names are not processed); a column is
matched to an existing Grade Centre column by the column id Blackboard's download writes after
"|" in its header (`Forward propagation [Total Pts: 10 Score] |123456`); a column without one
is created as a new *text* column with 0 points possible, to be edited into a score column. In
comma-delimited files every value must be in quotes. `Last Name` and `First Name` are written
as in Blackboard's download, for the instructor.

Feedback goes back as one zip per student (to attach as feedback on the attempt).

Cannot carry: comments or the late penalty apart from the score, a score per question, a
student with no username (roster `username`, or collect's record).
"""
from __future__ import annotations

from .records import Student, cell, points, title

NAME = "blackboard"
LABEL = "Blackboard"
ID = "username"
ROSTER_COLUMNS = ("username",)
FEEDBACK = "zips"
SUFFIX = ".csv"
QUOTE_ALL = True


def platform_id(row: dict[str, str], seen: dict) -> str | None:
    return row.get("username") or next(iter(seen.get("ids") or []), None)


def default_column(assignment: str, max_score: float) -> str:
    """A new column; give `--column` the header of Blackboard's download (with `|<id>`) to fill an existing one."""
    return f"{title(assignment)} [Total Pts: {points(max_score)} Score]"


def table(students: list[Student], column: str, missing: str) -> tuple[list[str], list[list[str]]]:
    header = ["Last Name", "First Name", "Username", column]
    rows = [[s.last_name, s.first_name, s.platform_id, cell(s, missing)] for s in students]
    return header, rows
