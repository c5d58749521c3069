"""What grading made of each submission, for the report: every submission's standing, and the
ones the instructor should look at (flagged by grading, or read with format repairs).

Grading's notes (autograder/grade/record/notes.py) say what it found; each kind's severity says
whether it flags the submission or only notes a repair; `reasons.for_instructor` says it.
"""
from __future__ import annotations

from autograder.grade.record.notes import SEVERITY
from autograder.grade.record.notes import flagged as is_flagged
from autograder.reasons import for_instructor


def flagged(outcomes: dict[str, dict]) -> list[tuple[dict, list[str]]]:
    """(outcome, reasons) of every submission grading flagged or could not grade, by student."""
    return [(o, [for_instructor(n) for n in o.get("notes", []) if SEVERITY[n["kind"]] != "repair"])
            for _, o in sorted(outcomes.items())
            if is_flagged(o.get("notes", [])) or o.get("status") != "graded"]


def repaired(outcomes: dict[str, dict]) -> list[tuple[dict, list[str]]]:
    """(outcome, repairs) of every submission intake had to repair to read: nothing wrong with the work."""
    found = []
    for _, outcome in sorted(outcomes.items()):
        repairs = [for_instructor(n) for n in outcome.get("notes", []) if SEVERITY[n["kind"]] == "repair"]
        if repairs:
            found.append((outcome, repairs))
    return found


def standing(outcome: dict | None) -> tuple[str, str]:
    """A submission's standing: its status ("graded", "invalid", "failed"; "" when grading kept
    no outcome, as for one scored by stock nbgrader) and "flagged", "repaired" or ""."""
    if outcome is None:
        return "", ""
    notes = outcome.get("notes", [])
    mark = "flagged" if is_flagged(notes) else "repaired" if any(SEVERITY[n["kind"]] == "repair" for n in notes) else ""
    return outcome.get("status", ""), mark


def every(outcomes: dict[str, dict], totals: dict[str, float]) -> list[tuple[str, str, float | None, tuple[str, str]]]:
    """(student, notebook, total score or None, standing) of every submission grading recorded or
    the gradebook scored (`totals`: student -> total), by student: nothing handed in goes unlisted."""
    rows = {(o["student"], o["notebook"]): o for o in outcomes.values()}
    for student in totals:
        if not any(who == student for who, _ in rows):
            rows[(student, "")] = None
    return [(student, notebook, totals.get(student), standing(outcome))
            for (student, notebook), outcome in sorted(rows.items())]
