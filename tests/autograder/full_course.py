"""A scratch copy of the course with one real assignment, for tests that grade it end to end."""
from __future__ import annotations

import shutil
from pathlib import Path

from .tiny_course import ROOT, nbgrader

FIELD_CASES = Path(__file__).parent / "notebooks" / "field-cases"  # copied from ../shared/field-cases/
ASSIGNMENT = "forward_propagation"


def course(where: Path, *, release: bool = False) -> Path:
    """The course's config, nnkit/, data/ and source/ of `ASSIGNMENT`; released if `release`."""
    shutil.copy(ROOT / "nbgrader_config.py", where / "nbgrader_config.py")
    (where / "autograder").symlink_to(ROOT / "autograder")
    for name in ("nnkit", "data"):
        shutil.copytree(ROOT / name, where / name, ignore=shutil.ignore_patterns("__pycache__", "full"))
    shutil.copytree(ROOT / "source" / ASSIGNMENT, where / "source" / ASSIGNMENT)
    (where / "release-history").mkdir()
    shutil.copy(ROOT / "release-history" / f"{ASSIGNMENT}.json", where / "release-history")
    if release:
        nbgrader(where, "generate_assignment", ASSIGNMENT, "--force")
    return where
