"""A scratch copy of the whole course, released, with its gradebook: what the properties grade in.

Released with `nbgrader generate_assignment`, as `python -m autograder release` does, without
writing the student bundle; the answer keys cached in the course's own `reports/` are reused
when they are current (`key.load` checks them against the source, samples, nnkit and config).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat

from autograder.course import ROOT, available
from autograder.samples import REFERENCE, build_submission
from tests.autograder.tiny_course import nbgrader

COPIED = ("nbgrader_config.py", "nnkit", "data", "source", "samples", "release-history", "provided")


def released_course(where: Path, assignments=None) -> Path:
    """The course at `where`, `assignments` released and in its gradebook (more: `release`)."""
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, where / name, ignore=shutil.ignore_patterns("__pycache__", "full"))
        else:
            shutil.copy(src, where / name)
    (where / "autograder").symlink_to(ROOT / "autograder")
    for assignment in available() if assignments is None else assignments:
        release(where, assignment)
    return where


def release(root: Path, assignment: str) -> None:
    """Release `assignment` in the course at `root` (its gradebook entry too), with the answer key
    the course has cached, if any."""
    nbgrader(root, "generate_assignment", assignment, "--force")
    for key in (ROOT / "reports" / assignment).glob("key-*.json"):
        (root / "reports" / assignment).mkdir(parents=True, exist_ok=True)
        shutil.copy(key, root / "reports" / assignment / key.name)


def perfect(root: Path, assignment: str) -> dict:
    """The perfect submission: the reference solution filled into the release notebook, as JSON data."""
    name = f"{assignment}.ipynb"
    source = nbformat.read(root / "source" / assignment / name, as_version=4)
    release = nbformat.read(root / "release" / assignment / name, as_version=4)
    return json.loads(nbformat.writes(build_submission(source, release, REFERENCE)))


def submit(root: Path, student: str, assignment: str, data: bytes) -> Path:
    """Place `data` as `student`'s notebook, where collect places it."""
    path = root / "submitted" / student / assignment / f"{assignment}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def keep_samples(root: Path, assignment: str, samples) -> None:
    """Make `samples` (autograder.samples.Sample, without the two every assignment gets) the only
    ones of `assignment` in the course at `root`: its key then runs only their mistakes."""
    text = "from autograder.samples import Sample\n\nSAMPLES = [\n" + "".join(f"    {s!r},\n" for s in samples) + "]\n"
    (root / "samples" / f"{assignment}.py").write_text(text)
