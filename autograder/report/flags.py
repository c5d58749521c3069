"""Submissions the instructor should look at: flagged by grading, or read with format repairs.

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
