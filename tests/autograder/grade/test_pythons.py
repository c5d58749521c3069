"""The course's Pythons: stated once in config; a cell only a newer supported Python parses is named."""
from __future__ import annotations

import sys

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder import reasons
from autograder.course import ROOT, load_config
from autograder.grade import pythons

NESTED_QUOTES = 'd = {"key": 1}\nprint(f"{d["key"]}")'  # PEP 701: Python 3.12 and later


def test_the_course_states_its_pythons_once_in_config_and_the_grader_runs_on_one():
    course_python = pythons.CoursePython(config=load_config(ROOT))
    assert course_python.supported == ["3.10", "3.11", "3.12", "3.13"]
    assert pythons.check_grading_python(course_python) == pythons.version_of()


def test_a_grader_on_an_unsupported_python_refuses_in_words():
    with pytest.raises(SystemExit, match="does not support"):
        pythons.check_grading_python(pythons.CoursePython(supported=["2.7"]))


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the grading Python parses PEP 701 f-strings itself")
def test_a_nested_quote_f_string_is_named_with_the_python_that_accepts_it():
    course_python = pythons.CoursePython()
    if not pythons.interpreter("3.12", course_python):
        pytest.skip("no Python 3.12 on this machine to compile with")
    nb = new_notebook(cells=[new_code_cell("x = 1"), new_code_cell(NESTED_QUOTES), new_code_cell("def f(:\n pass")])
    nb.cells[1].metadata["nbgrader"] = {"grade_id": "report", "solution": True}
    notes = pythons.newer_syntax(nb, course_python)
    assert [(n.kind, n.cell, n.detail) for n in notes] == [
        ("newer_python", "report", {"grading": pythons.version_of(), "accepts": "3.12"})]
    assert "3.12" in reasons.for_student(notes)[0] and "3.12" in reasons.for_instructor(notes[0])


def test_no_note_when_no_newer_python_is_supported():
    nb = new_notebook(cells=[new_code_cell(NESTED_QUOTES)])
    assert pythons.newer_syntax(nb, pythons.CoursePython(supported=[pythons.version_of()])) == []
