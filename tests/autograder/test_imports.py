"""Each step of the pipeline imports on its own, first, in a fresh interpreter.

An import cycle between steps shows only when a particular module is imported before the others
(reasons → grade's records → grade → feedback → reasons did, once): each entry point is tried
first here, the command packages and the modules every step shares.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENTRIES = ["autograder.cli", "autograder.course", "autograder.cells", "autograder.reasons", "autograder.samples",
           "autograder.scores", "autograder.release", "autograder.collect", "autograder.grade",
           "autograder.grade.batch", "autograder.grade.record.notes", "autograder.grade.record.outcomes",
           "autograder.grade.judge.verdicts", "autograder.grade.sandbox.execute", "autograder.grade.intake.admit",
           "autograder.export", "autograder.feedback", "autograder.report"]


@pytest.mark.slow
@pytest.mark.parametrize("name", ENTRIES)
def test_each_step_imports_first_in_a_fresh_interpreter(name):
    done = subprocess.run([sys.executable, "-c", f"import {name}"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr.strip().splitlines()[-1:]
