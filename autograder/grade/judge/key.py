"""The answer key: the instructor's answers to every grade cell's questions, and the mistakes' answers.

The key of a notebook is its source notebook, run in a sandbox of its own like any submission:
each grade cell's hidden test asks its questions of the reference solution (`nnkit.questions`),
and those answers are what students' answers are compared with (`judge.py`). The course's
sample mistakes (`samples/<assignment>.py`) are run through the same questions, so that when a
student's answer equals the answer a known mistake gives, the verdict names that mistake: a
new misconception is taught to the grader by adding a sample. Nothing of the key is ever sent
into a student's sandbox.

A key is cached in `reports/<assignment>/key-<notebook>.json` until the source notebook, the
samples, `nnkit/` or the course config change.
"""
from __future__ import annotations

import copy
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.course import key_path, notebook_path, provided_modules, samples_path
from autograder.provided import fill_provided

from autograder.grade.judge import verdicts as judge
from autograder.samples import Sample, build_submission, load_samples

VERSION = "3"          # bump when the key's format or its computation changes
KEY_STUDENT = "__answer_key__"
MISTAKE_PREFIX = "__mistake__"


@dataclass
class Key:
    """answers: grade id -> the source's answer records, in order.
    mistakes: grade id -> [check, question, occurrence, hint, encoded value] for each sample
    mistake whose answer differs from the key's."""
    answers: dict[str, list[dict]] = field(default_factory=dict)
    mistakes: dict[str, list[list]] = field(default_factory=dict)

    def hints(self, grade_id: str) -> dict[tuple, dict]:
        """(check, question, occurrence) -> {hint: encoded value}, as `judge.judge_cell` takes them."""
        found: dict[tuple, dict] = {}
        for check, question, index, hint, value in self.mistakes.get(grade_id, []):
            found.setdefault((check, question, index), {})[hint] = value
        return found


def mistake_samples(assignment: str, root: Path) -> list[Sample]:
    """The sample mistakes the course at `root` declares in `samples/<assignment>.py`; none
    for a course without samples."""
    try:
        return [sample for sample in load_samples(assignment, root) if sample.loses]
    except ModuleNotFoundError as err:
        if err.name not in ("samples", f"samples.{assignment}"):
            raise
        return []


def key_notebooks(root: Path, assignment: str, notebook: str) -> dict[str, object]:
    """The notebooks to run for a key: the source, and the source with each sample mistake's cells,
    with provided code filled in as release fills it (the kernel sees nnkit/ and data/, not provided/)."""
    source = nbformat.read(notebook_path("source", assignment, None, notebook, root), as_version=4)
    fill_provided(source, root, where=f"source/{assignment}/{notebook}.ipynb")
    runs = {KEY_STUDENT: source}
    for sample in mistake_samples(assignment, root):
        runs[MISTAKE_PREFIX + sample.student] = build_submission(source, copy.deepcopy(source), sample)
    return runs


def build(executed: dict[str, object], assignment: str, root: Path) -> Key:
    """The key from the executed notebooks `key_notebooks` named. Raises ValueError when the
    source notebook's own run failed a grade cell (the source, not a student, needs fixing)."""
    source = executed[KEY_STUDENT]
    for cell in source.cells:
        gid = judge.grade_id(cell)
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if gid and errors:
            raise ValueError(f"the source notebook's grade cell {gid} raised "
                             f"{errors[0].get('ename')}: {errors[0].get('evalue')}")
    key = Key(answers=judge.answer_key(source))
    descriptions = {MISTAKE_PREFIX + s.student: s.description for s in mistake_samples(assignment, root)}
    for name, nb in executed.items():
        if name not in descriptions:
            continue
        for gid, records in judge.answer_key(nb).items():
            want = {}
            for record in key.answers.get(gid, []):
                want.setdefault(judge.answer_label(record), []).append(record.get("value"))
            for label, index, record in judge.numbered(records):
                expected = want.get(label, [])
                if index < len(expected) and record.get("value") != expected[index]:
                    key.mistakes.setdefault(gid, []).append([*label, index, descriptions[name], record["value"]])
    return key


def depends_on(root: Path, assignment: str, notebook: str) -> list[Path]:
    """The files a grade depends on besides the submission: the key's source notebook, the samples
    (whose answers name mistakes), the course config, `nnkit/` and the provided code the source
    takes (`provided/`). A change to any of them computes the key again, and regrades every
    submission (batch.py)."""
    return [notebook_path("source", assignment, None, notebook, root), samples_path(assignment, root),
            root / "nbgrader_config.py", *sorted(root.glob("nnkit/*.py")), *provided_modules(root)]


def digest(root: Path, assignment: str, notebook: str) -> str:
    """A digest of `depends_on`'s files and this module's VERSION."""
    h = hashlib.sha256(VERSION.encode())
    for path in depends_on(root, assignment, notebook):
        h.update(hashlib.sha256(path.read_bytes() if path.is_file() else b"").digest())
    return h.hexdigest()


def _path(root: Path, assignment: str, notebook: str) -> Path:
    return key_path(assignment, notebook, root)


def load(root: Path, assignment: str, notebook: str) -> Key | None:
    """The cached key, if it was computed from the files as they are now."""
    try:
        data = json.loads(_path(root, assignment, notebook).read_text())
    except (OSError, ValueError):
        return None
    if data.get("digest") != digest(root, assignment, notebook):
        return None
    return Key(data["answers"], data["mistakes"])


def save(root: Path, assignment: str, notebook: str, key: Key) -> None:
    path = _path(root, assignment, notebook)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"digest": digest(root, assignment, notebook), "answers": key.answers,
                               "mistakes": key.mistakes}))
    os.replace(tmp, path)  # atomic: a killed grader leaves the old key or the new one


def compute_locally(root: Path, assignment: str, notebook: str, timeout: int = 600) -> Key:
    """Run the key's notebooks here, one after another, without a sandbox, and cache the key.

    For plain `nbgrader autograde`, which has no workers: the notebooks are the instructor's
    own. `python -m autograder grade` computes keys in sandboxes, in parallel, instead.
    """
    from autograder.grade.sandbox.execute import run_trusted

    executed = {name: run_trusted(nb, root, timeout) for name, nb in key_notebooks(root, assignment, notebook).items()}
    key = build(executed, assignment, root)
    save(root, assignment, notebook, key)
    return key


class Runs:
    """The answer keys one batch needs: cached ones at once, the others once every run of theirs
    (the source, each sample mistake) is back from a worker."""

    def __init__(self, root: Path, assignment: str, notebooks):
        self.root, self.assignment = root, assignment
        self.keys: dict[str, Key] = {}
        self.todo: dict[str, dict[str, object]] = {}    # notebook -> run -> notebook to execute
        self._back: dict[str, dict[str, object]] = {}   # notebook -> run -> executed notebook
        self._pending: dict[str, set] = {}
        for name in notebooks:
            cached = load(root, assignment, name)
            if cached:
                self.keys[name] = cached
            else:
                self.todo[name] = key_notebooks(root, assignment, name)
                self._back[name], self._pending[name] = {}, set(self.todo[name])
        self.notebooks = set(notebooks)

    @property
    def complete(self) -> bool:
        return set(self.keys) == self.notebooks

    def back(self, name: str, run: str, ran, failure: str = "") -> bool:
        """Take one run's executed notebook (None if it did not run; `failure` says why); True
        when this completed every key. Raises RuntimeError when the source itself did not run."""
        self._pending[name].discard(run)
        if run == KEY_STUDENT and (ran is None or failure):
            raise RuntimeError(f"the source notebook {name} did not run cleanly: {failure or 'no result'}")
        if ran is not None:  # a sample mistake that did not run only costs its hints
            self._back[name][run] = ran
        if self._pending[name]:
            return False
        self.keys[name] = build(self._back.pop(name), self.assignment, self.root)
        save(self.root, self.assignment, name, self.keys[name])
        return self.complete
