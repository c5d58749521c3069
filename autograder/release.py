"""Generate the student version of assignments into release/ with nbgrader, and the student bundle."""
from __future__ import annotations

from pathlib import Path

from .bundle import bundle_notebooks, colab_table, course_bundle, update_readme, write_bundle
from .course import ROOT, nbgrader


def release(assignments: list[str], root: Path = ROOT) -> tuple[Path, Path]:
    """Rebuild release/<assignment>/ from source/<assignment>/ and record it in the gradebook,
    then write the student bundle (folder and zip) and the course README's Colab links.

    nbgrader strips solutions, hidden tests and outputs, and writes `c.CourseBundle.url` into
    the setup cell; the gradebook keeps the grade cells that autograding restores in every
    submission. Returns the bundle's (folder, zip).
    """
    course_bundle(root)  # a missing or malformed setting stops the release before nbgrader runs
    for assignment in assignments:
        nbgrader(root, "generate_assignment", assignment, "--force")
    return publish(root)


def publish(root: Path = ROOT) -> tuple[Path, Path]:
    """Write the student bundle from release/ as it is, and the README's Colab links."""
    bundle = course_bundle(root)
    update_readme(root / "README.md", colab_table(bundle, bundle_notebooks(root)))
    return write_bundle(bundle, root)
