"""Who is exported and with what score: the roster, collect's record and the gradebook, joined.

Every student of the roster (or, without one, every student the gradebook graded) becomes one
`Student`, with the platform's id for them taken from the roster's columns for that platform
or, failing that, from how the platform named them in the export collect read
(reports/<assignment>/collect.json, `who`). Scores are nbgrader's: `SubmittedAssignment.score`
less its `late_submission_penalty`, never below 0, as `nbgrader export` computes `score`.
Nothing is written here; `ExportError` says, in words, what stops an export.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..collect.export import CollectError
from ..collect.roster import read_roster
from ..course import open_gradebook


class ExportError(Exception):
    """The export cannot be written; the message says why and what to do. Nothing was written."""


@dataclass(frozen=True)
class Student:
    """One row of an import file.

    platform_id: the platform's own id (Moodle participant id, Canvas user id, Blackboard
    username, Brightspace OrgDefinedId or username, Gradescope SID or e-mail); None if unknown.
    name_on_platform: the full name the platform's export used, if collect saw one.
    raw, penalty, max_score: nbgrader's points; raw is None when nothing was handed in.
    columns: the student's roster row (lower-case column names), for ids a platform takes besides its own.
    """
    id: str
    platform_id: str | None
    first_name: str
    last_name: str
    email: str
    name_on_platform: str | None
    raw: float | None
    penalty: float
    max_score: float
    columns: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def handed_in(self) -> bool:
        return self.raw is not None

    @property
    def score(self) -> float | None:
        """Points after nbgrader's late penalty, never below 0; None if nothing was handed in."""
        return None if self.raw is None else max(0.0, self.raw - self.penalty)

    @property
    def full_name(self) -> str:
        return self.name_on_platform or " ".join(p for p in (self.first_name, self.last_name) if p) or self.id


def points(value: float) -> str:
    """Points as a spreadsheet reads them back: `2.5`, `3`, at most two decimals, a dot."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def collect_record(root: Path, assignment: str) -> dict:
    """What collect kept about `assignment` (reports/<assignment>/collect.json), or {} if it did not run."""
    path = root / "reports" / assignment / "collect.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def _roster_rows(path: Path) -> list[dict[str, str]]:
    try:
        read_roster(path)  # the same checks collect made: an id column, ids usable and unique
    except CollectError as err:
        raise ExportError(str(err)) from None
    rows = csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines())
    cleaned = [{(k or "").strip().lower(): (v or "").strip() for k, v in row.items()} for row in rows]
    return [row for row in cleaned if row.get("id")]


def _graded(root: Path, assignment: str) -> tuple[dict[str, tuple[float, float]], float, dict[str, dict]]:
    """student -> (raw score, late penalty); the assignment's maximum; the gradebook's student records."""
    with open_gradebook(root) as gb:
        known = {a.name for a in gb.assignments}
        if assignment not in known:
            raise ExportError(f"{assignment} has not been released or graded: the gradebook has no record of it. "
                              f"Run `python -m autograder grade {assignment}` first.")
        submissions = gb.assignment_submissions(assignment)
        scores = {s.student_id: (float(s.score), float(s.late_submission_penalty or 0)) for s in submissions}
        maximum = float(gb.find_assignment(assignment).max_score)
        people = {s.id: {"first_name": s.first_name or "", "last_name": s.last_name or "", "email": s.email or ""}
                  for s in gb.students}
    if not scores:
        raise ExportError(f"{assignment} has not been graded yet: the gradebook holds no submission of it. "
                          f"Run `python -m autograder grade {assignment}` first.")
    return scores, maximum, people


def class_list(root: Path, assignment: str, roster: Path | None, platform) -> list[Student]:
    """Every student to export for `platform` (a module of this package), in the roster's order.

    Raises ExportError if the assignment is not graded, a handed-in notebook is not graded yet, a
    graded student is not on the roster, or a student has no id the platform can read.
    """
    record = collect_record(root, assignment)
    scores, maximum, people = _graded(root, assignment)
    ungraded = sorted(p.parts[-3] for p in (root / "submitted").glob(f"*/{assignment}/*.ipynb")
                      if p.parts[-3] not in scores)
    if ungraded:
        raise ExportError(f"{', '.join(ungraded)} handed in {assignment} but {'is' if len(ungraded) == 1 else 'are'} "
                          f"not graded yet. Run `python -m autograder grade {assignment}` first.")
    who = record.get("who", {})
    if roster is not None:
        rows = _roster_rows(roster)
        listed = {row["id"] for row in rows}
        strangers = sorted(set(scores) - listed)
        if strangers:
            raise ExportError(f"graded for {assignment} but not on the roster {roster}: {', '.join(strangers)}. "
                              "Add them to the roster (with the platform's id), or remove their folders from "
                              "submitted/ and the gradebook, and export again.")
    else:
        rows = [{"id": s, **people.get(s, {})} for s in sorted(scores)]
    students = []
    for row in rows:
        seen = who.get(row["id"], {})
        raw, penalty = scores.get(row["id"], (None, 0.0))
        students.append(Student(
            id=row["id"], platform_id=platform.platform_id(row, seen),
            first_name=row.get("first_name", ""), last_name=row.get("last_name", ""),
            email=row.get("email", "") or seen.get("email") or "", name_on_platform=seen.get("name"),
            raw=raw, penalty=penalty, max_score=maximum, columns=row))
    if not students:
        raise ExportError(f"the roster {roster} lists no students")
    unknown = [s.id for s in students if not s.platform_id]
    if unknown:
        raise _without_ids(platform, roster, rows[0].keys(), unknown)
    return students


def _without_ids(platform, roster: Path | None, columns, students: list[str]) -> ExportError:
    wanted = " or ".join(f"`{c}`" for c in platform.ROSTER_COLUMNS)
    if roster is None:
        where = "collect ran without a roster"
    elif not set(platform.ROSTER_COLUMNS) & set(columns):
        where = f"the roster {roster} has no {wanted} column"
    else:
        where = f"the roster's {wanted} column is empty for them"
    return ExportError(f"{platform.LABEL} needs each student's {platform.ID}, and {where}: {', '.join(students)} "
                       f"{'has' if len(students) == 1 else 'have'} none. Give them a {wanted} in the roster (the "
                       f"{platform.ID} as {platform.LABEL} shows it) and pass it with --roster.")


def cell(student: Student, missing: str) -> str:
    """The score as the import file writes it; nothing handed in: "" or "0", as `missing` says."""
    if student.score is None:
        return "0" if missing == "zero" else ""
    return points(student.score)


def title(assignment: str) -> str:
    """The grade item's default name on a platform: `forward_propagation` -> `Forward propagation`."""
    return assignment.replace("_", " ").capitalize()
