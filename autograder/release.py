"""Generate the student version of assignments into release/ with nbgrader, and the student bundle.

Every release also adds its test cells' texts to `release-history/<assignment>.json`, so that a
submission made from an earlier release is told apart from one whose test cells were edited.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat

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
        record_release(root, assignment)


def text_digest(text: str) -> str:
    """SHA-256 of a cell's text without its leading and trailing white space (editors differ there)."""
    return hashlib.sha256(text.strip().encode()).hexdigest()


def released_tests(root: Path, assignment: str) -> dict[str, dict[str, set[str]]]:
    """notebook -> grade id -> `text_digest`s of every text that test cell has had in a release
    (`release-history/<assignment>.json`, kept in the course's repository); empty if none."""
    path = root / "release-history" / f"{assignment}.json"
    if not path.is_file():
        return {}
    return {notebook: {gid: set(digests) for gid, digests in cells.items()}
            for notebook, cells in json.loads(path.read_text()).items()}


def record_release(root: Path, assignment: str) -> None:
    """Add the test cells of release/<assignment>/ as they are now to the assignment's history."""
    history = released_tests(root, assignment)
    for path in sorted((root / "release" / assignment).glob("*.ipynb")):
        cells = history.setdefault(path.stem, {})
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution"):
                cells.setdefault(meta["grade_id"], set()).add(text_digest(cell.source))
    out = root / "release-history" / f"{assignment}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({notebook: {gid: sorted(digests) for gid, digests in sorted(cells.items())}
                               for notebook, cells in sorted(history.items())}, indent=1) + "\n")


def publish(root: Path = ROOT) -> tuple[Path, Path]:
    """Write the student bundle (folder and zip) from release/ as it is, and the README's Colab links.

    Returns the bundle's (folder, zip).
    """
    bundle = course_bundle(root)
    update_readme(root / "README.md", colab_table(bundle, bundle_notebooks(root)))
    return write_bundle(bundle, root)
