"""Canvas: the gradebook's "Import" CSV.

Format, from Canvas's `app/models/gradebook_importer.rb` (`header?`, `row_has_student_headers?`,
`update_column_count`, `parse_assignments`, `process_student`): the header starts with
`Student`, `ID`, optionally `SIS User ID` and `SIS Login ID`, and must end its student columns
with `Section`; every later column is an assignment, matched by the id in parentheses at the end
of its title (`Forward propagation (123456)`, as Canvas's own export writes it), else by its
exact title, else created as a new assignment. Each row's student is found by `ID`, Canvas's
user id (the number in "Download Submissions" names, collect/canvas.py), then by SIS ids, then
by name. Canvas shows the changes for confirmation before it saves them.

Feedback goes back as one zip per student (to attach on SpeedGrader). Canvas's bulk route,
"Re-Upload Submissions" (`Assignment#infer_comment_context_from_filename` in
`app/models/assignment.rb`), reads the first two numbers in each file name as the user id and
the id of a file *in that student's submission*, so a feedback page would need the file id of
the notebook collect placed, which collect's record does not keep: not written here.

Cannot carry: a comment or the late penalty apart from the score (the score has nbgrader's
penalty taken off already; a late policy set in the Canvas course would deduct again from a
submission Canvas marked late, so leave it off for this assignment), anonymous students
(`anon_...` ids), a score per question.
"""
from __future__ import annotations

from .records import Student, cell, title

NAME = "canvas"
LABEL = "Canvas"
ID = "Canvas user id"
ROSTER_COLUMNS = ("lms_user_id", "lms_id")
FEEDBACK = "zips"
SUFFIX = ".csv"


def platform_id(row: dict[str, str], seen: dict) -> str | None:
    ids = [i for i in (*(row.get(c) for c in ROSTER_COLUMNS), *(seen.get("ids") or [])) if i]
    return next((i for i in ids if i.isdigit()), None)  # anon_… ids cannot be imported


def default_column(assignment: str, max_score: float) -> str:
    """The assignment's title; give `--column "Title (id)"` from Canvas's export to match by id."""
    return title(assignment)


def table(students: list[Student], column: str, missing: str) -> tuple[list[str], list[list[str]]]:
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column]
    rows = [[f"{s.last_name}, {s.first_name}" if s.last_name else s.full_name, s.platform_id,
             s.columns.get("sis_id", ""), s.columns.get("login_id", ""), "",
             cell(s, missing)] for s in students]
    return header, rows
