from nbformat.v4 import new_code_cell, new_notebook, new_output

from autograder.feedback.preprocessors import HideHiddenTests


def grade_cell(source, outputs=()):
    cell = new_code_cell(source, outputs=list(outputs))
    cell.metadata = {"nbgrader": {"grade": True, "grade_id": "q", "points": 1, "solution": False,
                                  "locked": True, "schema_version": 3}}
    return cell


def run(cell):
    nb, _ = HideHiddenTests().preprocess(new_notebook(cells=[cell]), {})
    return nb.cells[0]


def test_hidden_region_is_removed_and_the_visible_part_kept():
    cell = run(grade_cell("# Check that f works.\n### BEGIN HIDDEN TESTS\nassert f(2) == 0.4242\n### END HIDDEN TESTS"))
    assert cell.source == "# Check that f works."


def test_a_grade_cell_traceback_keeps_only_its_last_line():
    error = new_output("error", ename="AssertionError", evalue="f(2) differs",
                       traceback=["frame quoting assert f(2) == 0.4242", "AssertionError: f(2) differs"])
    cell = run(grade_cell("### BEGIN HIDDEN TESTS\nassert f(2) == 0.4242\n### END HIDDEN TESTS", [error]))
    assert cell.outputs[0].traceback == ["AssertionError: f(2) differs"]


def test_student_cells_keep_their_full_traceback():
    error = new_output("error", ename="E", evalue="v", traceback=["line 1", "line 2"])
    cell = new_code_cell("f()", outputs=[error])
    assert run(cell).outputs[0].traceback == ["line 1", "line 2"]


def test_a_begin_marker_with_no_end_hides_the_rest_of_its_cell_and_raises_nothing():
    cell = new_code_cell("x = 1\n# ### BEGIN HIDDEN TESTS is what the grader hides\nsecret = 2")
    assert run(cell).source == "x = 1"


def test_a_region_outside_a_grade_cell_is_removed_without_complaint():
    cell = new_code_cell("y = 1\n### BEGIN HIDDEN TESTS\nz = 2\n### END HIDDEN TESTS\n### END HIDDEN TESTS")
    assert run(cell).source == "y = 1"
