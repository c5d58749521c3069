"""The grade command: autograde the submissions in submitted/ into autograded/ and the gradebook.

Each submission is taken in (`intake/`), run in a sandbox of its own (`sandbox/`), its grade cells
decided outside the student's kernel (`judge/`), and what happened recorded (`record/`);
`batch.py` runs those steps over a class, several submissions at a time. See autograder/README.md.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from autograder.course import ROOT

if TYPE_CHECKING:  # importing the batch here would import every step with any one of them
    from autograder.grade.record.outcomes import Summary


def main(*, assignment: str, root: Path = ROOT, force: bool = False, workers: int | None = None,
         scheduler: str | None = None, progress: bool = False) -> "Summary":
    """Autograde every new or changed submission of `assignment` (all of them with `force`)."""
    from autograder.grade.batch import grade_batch

    return grade_batch(assignment, root, force=force, workers=workers, scheduler=scheduler,
                       progress=progress)


def grade(assignment: str, root: Path = ROOT, *, force: bool = False, workers: int | None = None,
          scheduler: str | None = None, progress: bool = False) -> "Summary":
    """`main` with the assignment given by position, as tests and the demo call it."""
    return main(assignment=assignment, root=root, force=force, workers=workers, scheduler=scheduler,
                progress=progress)
