"""Autograde the submissions in submitted/ into autograded/ and the gradebook."""
from __future__ import annotations

from pathlib import Path

from .course import ROOT, nbgrader


def grade(assignment: str, root: Path = ROOT) -> None:
    """Autograde every submission of `assignment`, regrading those graded before."""
    nbgrader(root, "autograde", assignment, "--force")
