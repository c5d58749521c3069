"""Generate the student version of assignments into release/ with nbgrader, and the student bundle."""
from __future__ import annotations

from pathlib import Path

from .bundle import bundle_notebooks, colab_table, course_bundle, update_readme, write_bundle
from .course import ROOT, nbgrader


def release(assignments: list[str], root: Path = ROOT) -> None:
    """Rebuild release/<assignment>/ from source/<assignment>/ and record it in the gradebook.

    nbgrader strips solutions, hidden tests and outputs, and writes `c.CourseBundle.url` into
    the setup cell; the gradebook keeps the grade cells that autograding restores in every
    submission. `python -m autograder release` then calls `publish`.
    """
    course_bundle(root)  # a missing or malformed setting stops the release before nbgrader runs
    for assignment in assignments:
        nbgrader(root, "generate_assignment", assignment, "--force")


def publish(root: Path = ROOT) -> tuple[Path, Path]:
    """Write the student bundle (folder and zip) from release/ as it is, and the README's Colab links.

    Returns the bundle's (folder, zip).
    """
    bundle = course_bundle(root)
    update_readme(root / "README.md", colab_table(bundle, bundle_notebooks(root)))
    return write_bundle(bundle, root)
