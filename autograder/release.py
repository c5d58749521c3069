"""Generate the student version of assignments into release/ with nbgrader."""
from __future__ import annotations

from pathlib import Path

from .course import ROOT, nbgrader


def release(assignments: list[str], root: Path = ROOT) -> None:
    """Rebuild release/<assignment>/ from source/<assignment>/ and record it in the gradebook.

    nbgrader strips solutions, hidden tests and outputs; the gradebook keeps the grade cells
    that autograding restores in every submission.
    """
    for assignment in assignments:
        nbgrader(root, "generate_assignment", assignment, "--force")
