"""Editor noise never costs or flags: generated submissions of every assignment, checked at intake.

Each example is the perfect submission of one assignment (the reference solution in the release
notebook) with a drawn list of editors' changes (`editors.py`), saved in a drawn file form.
Grading's intake must take it (not "not a notebook"), claim nothing false (no edited, deleted,
restored or moved cell, no undone metadata), and hand the kernel the same program as the
perfect submission: the same statements around the same tests, shell lines skipped. No kernel
runs here; `test_editor_noise_grading.py` grades a few such examples for real.
"""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings

from autograder.course import available
from tests.properties import editors
from tests.properties.editors import Edit, Form
from tests.properties.intake_verdict import Intake, program
from tests.properties.course import perfect, release, released_course

EXAMPLES = settings(max_examples=int(os.environ.get("PROPERTY_EXAMPLES", 25)), deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    return released_course(tmp_path_factory.mktemp("course"), assignments=())


@pytest.fixture(scope="session")
def intakes(course):
    found = {}

    def intake(assignment):
        if assignment not in found:
            release(course, assignment)
            perfect_nb = perfect(course, assignment)
            taker = Intake(course, assignment)
            expected = taker.take(editors.save(perfect_nb), student="perfect")
            found[assignment] = (taker, perfect_nb, program(expected.prepared))
        return found[assignment]
    return intake


def check(intakes, assignment, edits, form) -> None:
    taker, perfect_nb, expected = intakes(assignment)
    taken = taker.take(editors.save(editors.apply(perfect_nb, edits), form))
    assert not taken.rejected, taken.rejected
    assert taken.false_claims() == []
    assert program(taken.prepared) == expected


@pytest.mark.parametrize("assignment", available())
@EXAMPLES
@given(edits=editors.edits_for(), form=editors.forms())
def test_editor_noise_keeps_the_program_and_claims_nothing(intakes, assignment, edits, form):
    check(intakes, assignment, edits, form)


# Shrunk failures of the property above, each a kind of noise that once cost or flagged.
REGRESSIONS = {
    # field case: every grade cell flagged as edited, the student told ten times
    "vs-code-on-windows-crlf": ([Edit("crlf")], Form()),
    "cr-line-endings-in-an-nbformat-4.0-file": ([Edit("cr")], Form(minor=0, indent=None, sort_keys=False)),
    # field case: the line failed in the sandbox and took the cell's functions with it
    "colab-pip-install-atop-a-solution": ([Edit("shell", 0, 0), Edit("shell", 1, 2)], Form()),
    "pip-install-cell-after-setup": ([Edit("shell", 0, 1)], Form()),
    "vs-code-crlf-metadata-and-ids-dropped": ([Edit("crlf"), Edit("drop_metadata"), Edit("ids", 0, 1)], Form(minor=2)),
    "jupytext-percent-script-converted-back": ([], Form(jupytext="py:percent")),
    "jupytext-markdown-converted-back": ([Edit("crlf")], Form(jupytext="md")),
    # the model's own mistake: trailing spaces went between CR and LF, a blank line no editor writes
    "crlf-with-trailing-spaces": ([Edit("crlf"), Edit("trailing_spaces")], Form(minor=0, indent=None)),
}


@pytest.mark.parametrize("assignment", available())
@pytest.mark.parametrize("case", sorted(REGRESSIONS))
def test_noise_once_misread(intakes, assignment, case):
    edits, form = REGRESSIONS[case]
    check(intakes, assignment, edits, form)
