"""Visible checks run in this process: what each `check_close` of a notebook compares, and the
values the course's sample mistakes give it.

A visible check names a likely mistake when the student's value equals the value that mistake
gives (`nnkit.checks.compare`). The mistakes are declared once, as samples in
`samples/<assignment>.py`; the grader learns them by running each sample through the hidden
tests (`autograder/grade/judge/key.py`), and `declared_mistakes` learns them here by running
each sample through the visible checks, so that release can hand the values to the students'
copies (`nnkit.checks.use_likely_mistakes`). Only the instructor's own code runs here: the source
notebook's cells (solutions filled as a sample says), never a student's.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import numpy as np

from autograder.course import ROOT
from autograder.samples import Sample, build_submission, load_samples
from nnkit import checks
from nnkit.encoding import encode

HIDDEN = "### BEGIN HIDDEN TESTS"


@dataclass
class VisibleCheck:
    """One `check_close` call as a notebook made it: what it compared, and how."""
    name: str
    received: object
    expected: object
    options: dict = field(default_factory=dict)    # rtol, atol, loose_shape as the call gave them
    mistakes: dict = field(default_factory=dict)   # hint -> value: declared ones and the call's own


def _runnable(cell) -> bool:
    # Grade cells and hidden-test helpers ask the grader's questions, and cells nbgrader does not
    # know (the experiments: plots, training runs) feed nothing to a check: visible checks need
    # none of them.
    meta = cell.metadata.get("nbgrader")
    return (cell.cell_type == "code" and meta is not None and HIDDEN not in cell.source
            and not (meta.get("grade") and not meta.get("solution")))


def _code(source: str) -> str:
    lines = [line for line in source.split("\n") if "### BEGIN SOLUTION" not in line
             and "### END SOLUTION" not in line and not line.lstrip().startswith(("%", "!"))]
    return "\n".join(lines)


def run_visible_checks(assignment: str, sample: Sample | None = None, root: Path = ROOT) -> list[VisibleCheck]:
    """Run the source notebook's cells up to its last visible check, grade cells and experiments
    left out, with solutions as `sample` fills them (the instructor's by default), and return
    every `check_close` call in order.

    The checks record and never fail, so a mistake's cell runs on to its later checks; a cell
    that raises anyway (a check_keys, a crash of the sample's code) ends there and the next
    cell runs. Runs in the notebook's folder, with NBGRADER_EXECUTION set as the grader sets it
    (experiments skip themselves) and matplotlib drawing off screen.
    """
    import matplotlib
    matplotlib.use("Agg")
    source = nbformat.read(root / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    nb = build_submission(source, source, sample) if sample else source
    calls: list[VisibleCheck] = []

    def record(name, received, expected, *, rtol=checks.RTOL, atol=checks.ATOL, reveal=False, mistakes=None,
               loose_shape=False):
        calls.append(VisibleCheck(name, received, expected, {"rtol": rtol, "atol": atol, "loose_shape": loose_shape},
                                  checks.likely_mistakes(name, mistakes)))

    saved = checks.check_close, os.getcwd(), os.environ.get("NBGRADER_EXECUTION")
    checks.check_close = record
    os.environ["NBGRADER_EXECUTION"] = "autograde"
    os.chdir(root / "source" / assignment)
    namespace = {"__name__": "__main__"}
    last = max((i for i, cell in enumerate(nb.cells) if "check_close" in cell.source), default=-1)
    try:
        for index, cell in enumerate(nb.cells[:last + 1]):
            if not _runnable(cell):
                continue
            try:
                with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                    exec(compile(_code(cell.source), f"{assignment}.ipynb[{index}]", "exec"), namespace)
            except Exception:  # a check that fails outside check_close, or the sample's own crash
                continue
    finally:
        checks.check_close = saved[0]
        os.chdir(saved[1])
        if saved[2] is None:
            os.environ.pop("NBGRADER_EXECUTION", None)
        else:
            os.environ["NBGRADER_EXECUTION"] = saved[2]
        import matplotlib.pyplot as plt
        plt.close("all")
    return calls


def _fails(check: VisibleCheck) -> bool:
    """Whether a sample's run failed `check`, against the expected value of its own run (some
    checks compute it from the student's earlier values): a sample that only rounds
    differently, or that gets a later step right from its own wrong input, teaches nothing."""
    return checks.compare(check.name, check.received, check.expected, **check.options) is not None


def declared_mistakes(assignment: str, root: Path = ROOT) -> dict[str, dict[str, dict]]:
    """check name -> {hint: encoded value}: what each sample mistake of `assignment` gives each
    visible check, where that value fails the check.

    The hint is the sample's description, the words the grader uses for the same mistake. A
    check name asked more than once (in a loop) is keyed by its first call only when every
    call gives the same values; otherwise it is left out (the grader still names it).
    """
    reference = run_visible_checks(assignment, root=root)
    table: dict[str, dict[str, dict]] = {}
    for sample in load_samples(assignment):
        if not sample.loses:
            continue
        calls = run_visible_checks(assignment, sample, root=root)
        given = _by_name(calls)
        wrong = {}
        for (name, index), ours in _by_name(reference).items():
            theirs = given.get((name, index))
            if theirs is not None and _numbers(theirs.received) and _fails(theirs):
                wrong.setdefault(name, []).append(encode(theirs.received))
        for name, values in wrong.items():
            if all(value == values[0] for value in values):
                table.setdefault(name, {})[sample.description] = values[0]
    return table


def _by_name(calls: list[VisibleCheck]) -> dict[tuple[str, int], VisibleCheck]:
    """(name, occurrence) -> call: a sample whose cell stopped early still lines up after it."""
    seen: dict[str, int] = {}
    found = {}
    for call in calls:
        seen[call.name] = seen.get(call.name, -1) + 1
        found[(call.name, seen[call.name])] = call
    return found


def _numbers(value) -> bool:
    try:
        np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return False
    return True


def write_likely_mistakes(assignment: str, root: Path = ROOT) -> Path:
    """Write `nnkit/likely_mistakes/<assignment>.json` (`declared_mistakes`), which travels with
    nnkit into the student bundle and the grading sandbox, for `nnkit.checks.use_likely_mistakes`."""
    path = root / "nnkit" / "likely_mistakes" / f"{assignment}.json"
    table = {"assignment": assignment, "checks": declared_mistakes(assignment, root)}
    path.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":  # python -m samples.visible_checks ASSIGNMENT ...
    import sys
    for name in sys.argv[1:]:
        print(write_likely_mistakes(name))
