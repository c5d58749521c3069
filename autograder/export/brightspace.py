"""Brightspace (D2L): the Grades tool's "Import" CSV.

Format, from D2L's own help, "Importing grades" (community.d2l.com/brightspace/kb/articles/3538,
and its `Grades_Sample_Import_File.csv`): a header row; each student identified by
`OrgDefinedId` or `Username` (at least one; USC's Brightspace guide asks for them as the first
and second columns, as here); a numeric grade item's column named `<grade item name> Points
Grade`, holding the points; no other user details ("Do not import other options, such as a
user's first name, email"). Each row ends with the `End-of-Line Indicator` column of `#` that
Brightspace's own grade export writes (it is not in the help page's table of fields). A column
naming no existing grade item makes the import offer to create it.

The download collect reads names students only by name, so the ids come from the roster: an
`org_defined_id` or `username` column (Brightspace's Classlist, or a grades export with "Both"
key fields, shows them).

Feedback goes back as one zip per student (Brightspace's assignment feedback takes files one
student at a time).

Cannot carry: comments or the late penalty apart from the score (the import's fields are
points, grade symbols, text grades and final grades: none for feedback), a score per question. A points grade above the item's maximum is capped unless the
item allows exceeding it.
"""
from __future__ import annotations

from .records import Student, cell, title

NAME = "brightspace"
LABEL = "Brightspace"
ID = "OrgDefinedId or username"
ROSTER_COLUMNS = ("org_defined_id", "username")
FEEDBACK = "zips"
SUFFIX = ".csv"


def platform_id(row: dict[str, str], seen: dict) -> str | None:
    return row.get("org_defined_id") or row.get("username") or None


def default_column(assignment: str, max_score: float) -> str:
    return f"{title(assignment)} Points Grade"


def table(students: list[Student], column: str, missing: str) -> tuple[list[str], list[list[str]]]:
    header = ["OrgDefinedId", "Username", column, "End-of-Line Indicator"]
    rows = [[s.columns.get("org_defined_id", ""), s.columns.get("username", ""), cell(s, missing), "#"]
            for s in students]
    return header, rows
