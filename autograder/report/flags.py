"""Submissions the instructor should look at: flagged by grading, or read with format repairs."""
from __future__ import annotations


def flagged(outcomes: dict[str, dict]) -> list[tuple[dict, list[str]]]:
    """(outcome, reasons) of every submission grading flagged or could not grade, by student."""
    return [(o, list(o.get("flags", []))) for _, o in sorted(outcomes.items())
            if o.get("flags") or o.get("status") != "graded"]


def repaired(outcomes: dict[str, dict]) -> list[tuple[dict, list[str]]]:
    """(outcome, repairs) of every submission intake had to repair to read: nothing wrong with the work."""
    return [(o, list(o["repairs"])) for _, o in sorted(outcomes.items()) if o.get("repairs")]
