"""The leak test by meaning: no code in the bundle earns points on an open assignment.

For each open assignment, every definition elsewhere in the bundle (other notebooks' cells, the
labs, `nnkit/`) that has one of its graded names, or passes a step's visible check under its
name (lookalikes.py), is put into the assignment's student notebook in place of the student's
cell, and the real grader grades it in a scratch copy of the course.
It must earn none of that step's points. Definitions of one name found in several places with
different texts go into different notebooks; all names found go into one notebook each round, so
an assignment costs as many graded runs as its most often found name has texts.
"""
from __future__ import annotations

import copy
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..course import ROOT, nbgrader
from ..grade import grade
from ..scores import cell_scores
from .found import Found, found_definitions
from .lookalikes import lookalikes
from .names import definitions, read, steps



@dataclass(frozen=True)
class Leak:
    """Code found at `where`, put in place of `name`, earned `score` of grade cell `grade_id`."""

    assignment: str
    name: str
    where: str
    grade_id: str
    score: float


class LeakingBundle(Exception):
    """The bundle holds code that earns points on an open assignment; `leaks` says which."""

    def __init__(self, leaks: list[Leak]):
        super().__init__(leaks)
        self.leaks = tuple(leaks)


def batches(found: list[Found]) -> list[dict[str, Found]]:
    """Rounds of at most one text per name: round i holds each name's i-th distinct text."""
    texts: dict[str, list[Found]] = {}
    for item in found:
        if all(item.text != other.text for other in texts.get(item.name, [])):
            texts.setdefault(item.name, []).append(item)
    rounds = max(map(len, texts.values()), default=0)
    return [{name: items[i] for name, items in texts.items() if i < len(items)} for i in range(rounds)]


def with_found(nb, batch: dict[str, Found]):
    """A copy of student notebook `nb` whose solution cells hold `batch`'s code for their names."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type != "code" or not cell.metadata.get("nbgrader", {}).get("solution"):
            continue
        defs = definitions(cell.source)
        if any(d.name in batch for d in defs):
            cell.source = "\n\n".join(batch[d.name].text if d.name in batch else d.text for d in defs)
    return nb


def scratch_course(root: Path, assignment: str, where: Path) -> Path:
    """A copy of the course at `where` with `assignment` alone, released; the grader's own course."""
    shutil.copy(root / "nbgrader_config.py", where / "nbgrader_config.py")
    (where / "autograder").symlink_to(root / "autograder")
    for name in ("nnkit", "data"):
        shutil.copytree(root / name, where / name, ignore=shutil.ignore_patterns("__pycache__", "full"))
    if (root / "provided").is_dir():  # generate_assignment fills its code into the notebook
        shutil.copytree(root / "provided", where / "provided", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(root / "source" / assignment, where / "source" / assignment)
    (where / "release-history").mkdir()
    history = root / "release-history" / f"{assignment}.json"
    if history.is_file():
        shutil.copy(history, where / "release-history")
    nbgrader(where, "generate_assignment", assignment, "--force")
    return where


def graded_leaks(root: Path, folder: Path, assignment: str, *, workers: int | None = None) -> list[Leak]:
    """Grade every round of `found_definitions` and `lookalikes` in `assignment`'s place; the cells
    they earned points on. [] without running the grader when the bundle holds none of them.
    """
    rounds = batches(found_definitions(folder, assignment) + lookalikes(folder, assignment, root))
    if not rounds:
        return []
    own = read(folder / assignment / f"{assignment}.ipynb")
    tests = {step.name: step.grade_ids for step in steps(own)}
    with tempfile.TemporaryDirectory(prefix="leak-test-") as tmp:
        course = scratch_course(root, assignment, Path(tmp))
        for i, batch in enumerate(rounds):
            target = course / "submitted" / f"leak-{i}" / assignment / f"{assignment}.ipynb"
            target.parent.mkdir(parents=True)
            nbformat.write(with_found(own, batch), target)
        grade(assignment, course, force=True, workers=workers, progress=False)
        scores = cell_scores(assignment, course)
    return [Leak(assignment, name, item.where, gid, scores[f"leak-{i}"][gid].score)
            for i, batch in enumerate(rounds) for name, item in batch.items()
            for gid in tests[name] if scores[f"leak-{i}"][gid].score > 0]


def check_bundle(folder: Path, open_assignments, root: Path = ROOT, *, workers: int | None = None) -> None:
    """LeakingBundle if code in bundle `folder` earns points on one of `open_assignments`."""
    leaks = [leak for a in open_assignments for leak in graded_leaks(root, folder, a, workers=workers)]
    if leaks:
        raise LeakingBundle(leaks)
