"""The scan for code reaching into the grading machinery flags what reaches, and not a reference
solution: a finding puts a submission among the flagged ones for a person to look at."""
from __future__ import annotations

import nbformat
import pytest

from autograder.course import ROOT, available
from autograder.grade.judge.scan import scan_notebook, scan_source


@pytest.mark.parametrize("assignment", available())
def test_no_reference_solution_is_flagged_for_review(assignment):
    source = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    assert scan_notebook(source) == []


# Shrunk from test_graded.py on gradient_checking: every perfect submission was flagged
# "for review: calls setattr on layer", for the reference's own way of restoring a layer.
def test_a_gradient_check_putting_a_layers_parameters_back_is_not_flagged():
    assert scan_source("saved = getattr(layer, attribute)\nsetattr(layer, attribute, value)\n"
                       "setattr(layer, 'weights', saved)") == []


@pytest.mark.parametrize("code, found", [
    ("setattr(np, 'allclose', lambda *a, **k: True)", ("calls setattr on", "np")),
    ("import nnkit.checks as c\nsetattr(c, name, f)", ("calls setattr on", "c")),
    ("setattr(type(shell.display_pub), 'publish', f)", ("calls setattr on", "type(shell.display_pub)")),
    ("setattr(anything, 'check_close', f)", ("calls setattr on", "anything")),
])
def test_setattr_on_a_watched_module_or_a_sensitive_attribute_is_flagged(code, found):
    assert found in scan_source(code)
