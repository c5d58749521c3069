"""Autograde the submissions in submitted/ into autograded/ and the gradebook.

Grading runs every submission in a sandbox of its own, several at a time, and re-checks the
hidden tests' values outside the student's kernel: see autograder/batch.py and README.md.
"""
from __future__ import annotations

from pathlib import Path

from .batch import Summary, grade_batch
from .course import ROOT


def grade(assignment: str, root: Path = ROOT, *, force: bool = False, workers: int | None = None,
          scheduler: str | None = None, progress: bool = False) -> Summary:
    """Autograde every new or changed submission of `assignment` (all of them with `force`)."""
    return grade_batch(assignment, root, force=force, workers=workers, scheduler=scheduler,
                       progress=progress)
