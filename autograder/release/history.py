"""The release history: the text of every test cell each release had, kept as SHA-256 digests in
`release-history/<assignment>.json` in the course's repository.

Release adds to it; grading reads it to tell a test cell from an earlier release (the student
worked from an older copy and changed nothing) from an edited one.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat

from autograder import cells as roles
from autograder.course import format_path, release_history


def text_digest(text: str) -> str:
    """SHA-256 of a cell's text without its leading and trailing white space (editors differ there)."""
    return hashlib.sha256(text.strip().encode()).hexdigest()


def released_tests(root: Path, assignment: str) -> dict[str, dict[str, set[str]]]:
    """notebook -> grade id -> `text_digest`s of every text that test cell has had in a release
    (`release-history/<assignment>.json`, kept in the course's repository); empty if none."""
    path = release_history(assignment, root)
    if not path.is_file():
        return {}
    return {notebook: {gid: set(digests) for gid, digests in cells.items()}
            for notebook, cells in json.loads(path.read_text()).items()}


def record_release(root: Path, assignment: str) -> None:
    """Add the test cells of release/<assignment>/ as they are now to the assignment's history."""
    history = released_tests(root, assignment)
    for path in sorted(format_path("release", assignment, root=root).glob("*.ipynb")):
        cells = history.setdefault(path.stem, {})
        for cell in nbformat.read(path, as_version=4).cells:
            if roles.is_test(cell):
                cells.setdefault(roles.grade_id(cell), set()).add(text_digest(cell.source))
    out = release_history(assignment, root)
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({notebook: {gid: sorted(digests) for gid, digests in sorted(cells.items())}
                               for notebook, cells in sorted(history.items())}, indent=1) + "\n")
