"""The notebook part of a feedback page: values from the notebook file never become markup."""
from __future__ import annotations

from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_output

from autograder.feedback.notebook import anchor, cell_html, output

from .hostile import inert_problems


def test_a_grade_id_that_tries_to_close_the_attribute_becomes_a_plain_anchor():
    grade_id = "x' onmouseover='alert(1)"
    cell = new_code_cell("", metadata={"nbgrader": {"grade": True, "grade_id": grade_id, "points": 1,
                                                    "solution": False, "locked": True}})
    page = cell_html(cell, {grade_id: (0.0, 1.0)})
    assert f"id='{anchor(grade_id)}'" in page and inert_problems(page) == []


def test_a_cell_type_the_file_made_up_is_not_written_into_the_class_attribute():
    cell = NotebookNode(cell_type="raw' onclick='alert(1)", source="text", metadata={})
    assert inert_problems(cell_html(cell, {})) == []


def test_an_image_whose_data_is_not_base64_is_not_shown_as_an_image():
    bad = new_output("display_data", data={"image/png": "AAAA' onerror='alert(1)", "text/plain": "figure"})
    assert "<img" not in output(bad) and "figure" in output(bad)


def test_a_javascript_output_shows_nothing():
    assert output(new_output("display_data", data={"application/javascript": "alert(1)"})) == ""
