"""SanitizeOutputs: the autograded notebook formgrader shows the instructor holds no student script."""
from __future__ import annotations

import copy

from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from autograder.grade.preprocessors import SCORING, SanitizeOutputs
from nnkit.questions import ANSWER_MIME
from tests.autograder.feedback.hostile import PAYLOADS, graded_notebook, inert_problems


def sanitized(nb):
    nb, _ = SanitizeOutputs().preprocess(copy.deepcopy(nb), {})
    return nb


def test_it_runs_in_scoring_after_the_judge_so_both_nbgrader_and_our_grader_use_it():
    assert SanitizeOutputs in SCORING and SCORING.index(SanitizeOutputs) > 0


def test_the_notebook_nbconvert_renders_for_the_instructor_runs_no_payload():
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(sanitized(graded_notebook(passed=False)))
    student_part = body[body.index("Look"):]  # nbconvert's own scripts (MathJax, require) come before
    assert inert_problems(student_part) == []
    assert "pwned-js" not in body


def test_before_sanitizing_the_same_render_does_run_payloads():
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(graded_notebook(passed=False))
    assert inert_problems(body[body.index("Look"):]) != []  # the check above can fail


def test_answers_grade_cells_and_read_only_cells_are_left_as_they_are():
    answer = new_output("display_data", data={ANSWER_MIME: {"question": "q", "value": 1}})
    locked = new_markdown_cell("<b>course markup</b>")
    locked.metadata["nbgrader"] = {"locked": True, "grade_id": "intro", "grade": False, "solution": False}
    nb = new_notebook(cells=[new_code_cell("ask()", outputs=[answer]), locked])
    assert sanitized(nb) == nb


def test_a_javascript_only_output_leaves_a_note_and_code_spans_keep_their_text():
    nb = new_notebook(cells=[new_code_cell("js()", outputs=[new_output("display_data", data={
        "application/javascript": "alert(1)"})]), new_markdown_cell("use `a<b` and <b>x</b>")])
    out = sanitized(nb)
    assert list(out.cells[0].outputs[0].data) == ["text/plain"]
    assert out.cells[1].source == "use `a<b` and &lt;b>x&lt;/b>"
    assert len(PAYLOADS) >= 9
