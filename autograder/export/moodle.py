"""Moodle: the assignment's grading worksheet, and feedback files in one zip.

Grades, from Moodle's `mod/assign/feedback/offline/importgradeslib.php`
(`assignfeedback_offline_grade_importer`, behind "Upload grading worksheet"): a CSV whose header
names the columns `Identifier` (`get_string('recordid', 'assign')`), `Grade` and
`Last modified (grade)` (`lastmodifiedgrade`), all three required; each row's identifier is
"Participant " (`hiddenuser`) and the participant id, the same id `get_uniqueid_for_user` put in
the names of "Download all submissions" (collect/moodle.py). `Last modified (grade)` is read
with PHP's `strtotime`: a grade changed in Moodle more than 60 s after it is kept, not
overwritten. `locallib.php` (`process_import_grades`) skips an empty grade (so `--missing empty`
leaves Moodle's grade as it is), an unchanged one, and one above the assignment's maximum grade.
Enabled feedback plugins' columns are matched by their names: `Feedback comments`
(assignfeedback_comments) carries the late-penalty note. Other columns of Moodle's own worksheet
(`Full name`, `Email address`, `Maximum Grade`) are written for the instructor and ignored on import.

Feedback, from `mod/assign/feedback/file/importziplib.php` ("Upload multiple feedback files in
a zip"): each path component is split on "_"; the first with a numeric participant id in its
second field and a plugin type and name in its third and fourth (`assignsubmission_file`) names
the student, and the rest of the path becomes the feedback file's name. So the zip holds
`<Full Name>_<participant id>_assignsubmission_file_/<feedback page>.html`, the folder names
the download used. A file equal to one the student submitted is skipped by Moodle as unchanged.

Cannot carry: the late penalty as a separate figure (only in the score and the comment), a
score per question, a grade for a student with no participant id (roster `lms_user_id` or
`lms_id`, or collect's record). Moodle takes the grade as points, unscaled: set the
assignment's maximum grade on Moodle to nbgrader's maximum (the `Maximum Grade` column), or a
score above Moodle's maximum is skipped.
"""
from __future__ import annotations

from datetime import datetime, timezone

from .records import Student, cell, points

NAME = "moodle"
LABEL = "Moodle"
ID = "participant id"
ROSTER_COLUMNS = ("lms_user_id", "lms_id")
FEEDBACK = "bulk"
SUFFIX = ".csv"


def platform_id(row: dict[str, str], seen: dict) -> str | None:
    """The participant id: the roster's, else the one in the download's folder name; always a number
    (the feedback upload skips a folder whose second field is not numeric)."""
    ids = [i for i in (*(row.get(c) for c in ROSTER_COLUMNS), *(seen.get("ids") or [])) if i]
    return next((i for i in ids if i.isdigit()), None)


def default_column(assignment: str, max_score: float) -> str:
    return "Grade"  # the worksheet belongs to one assignment: its grade column is always "Grade"


def table(students: list[Student], column: str, missing: str) -> tuple[list[str], list[list[str]]]:
    """The worksheet's header and rows, one per student."""
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()  # strtotime reads ISO 8601
    header = ["Identifier", "Full name", "Email address", "Grade", "Maximum Grade", "Last modified (grade)",
              "Feedback comments"]
    rows = [[f"Participant {s.platform_id}", s.full_name, s.email, cell(s, missing), points(s.max_score), now,
             f"Late: {points(s.penalty)} points deducted." if s.handed_in and s.penalty else ""]
            for s in students]
    return header, rows


def feedback_folder(student: Student) -> str:
    """The folder "Download all submissions" gave the student, which the feedback upload reads back."""
    name = student.full_name.replace("_", " ")  # as Moodle's download does: "_" separates the fields
    return f"{name}_{student.platform_id}_assignsubmission_file_"
