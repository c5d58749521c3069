import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder.samples import Sample, build_submission, load_samples, run_cells


def solution_cell(grade_id, source):
    cell = new_code_cell(source)
    cell.metadata = {"nbgrader": {"solution": True, "grade": False, "grade_id": grade_id, "locked": False,
                                  "schema_version": 3}}
    return cell


SOURCE = new_notebook(cells=[
    solution_cell("sigmoid", "def sigmoid(z):\n    ### BEGIN SOLUTION\n    return 1 / (1 + np.exp(-z))\n    ### END SOLUTION"),
    solution_cell("worked", "### BEGIN SOLUTION\ns1 = 5\n### END SOLUTION"),
    new_code_cell("check(sigmoid)"),
])
RELEASE = new_notebook(cells=[
    solution_cell("sigmoid", "def sigmoid(z):\n    # YOUR CODE HERE\n    raise NotImplementedError()"),
    solution_cell("worked", "# YOUR CODE HERE\nraise NotImplementedError()"),
    new_code_cell("check(sigmoid)"),
])


def test_reference_fills_every_solution_cell_without_the_markers():
    nb = build_submission(SOURCE, RELEASE, Sample("reference", ""))
    assert nb.cells[0].source == "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))"
    assert nb.cells[1].source == "s1 = 5"
    assert nb.cells[2].source == "check(sigmoid)"


def test_cells_are_replaced_by_defined_name_or_by_grade_id():
    sample = Sample("m", "", cells={"sigmoid": "def sigmoid(z):\n    return z", "worked": "s1 = 6"})
    nb = build_submission(SOURCE, RELEASE, sample)
    assert [c.source for c in nb.cells[:2]] == ["def sigmoid(z):\n    return z", "s1 = 6"]


def test_untouched_sample_is_the_release_itself():
    assert build_submission(SOURCE, RELEASE, Sample("u", "", untouched=True)) == RELEASE


def test_a_name_that_matches_no_solution_cell_is_an_error():
    with pytest.raises(ValueError, match="names no solution cell: \\['sigmoidd'\\]"):
        build_submission(SOURCE, RELEASE, Sample("typo", "", cells={"sigmoidd": "..."}))


def test_every_assignment_declares_reference_and_untouched_first():
    students = [s.student for s in load_samples("forward_propagation")]
    assert students[:2] == ["reference", "untouched"] and len(set(students)) == len(students)


def test_submissions_are_valid_notebooks():
    nbformat.validate(build_submission(SOURCE, RELEASE, Sample("reference", "")))


def test_run_cells_runs_the_instructors_solution_in_this_process():
    namespace = run_cells("forward_propagation", ["sigmoid"], {"np": __import__("numpy")})
    assert namespace["sigmoid"](0.0) == 0.5


def test_run_cells_names_cells_the_notebook_lacks():
    with pytest.raises(LookupError, match="no cell\\(s\\) \\['nonexistent'\\]"):
        run_cells("forward_propagation", ["nonexistent"])


def test_samples_are_read_from_the_course_they_belong_to(tmp_path):
    (tmp_path / "samples").mkdir()
    (tmp_path / "samples" / "extra.py").write_text(
        "from autograder.samples import Sample\nSAMPLES = [Sample('mistake-x', 'x', loses=('q',))]\n")
    assert [s.student for s in load_samples("extra", tmp_path)] == ["reference", "untouched", "mistake-x"]
    with pytest.raises(ModuleNotFoundError, match="extra has no samples") as missing:
        load_samples("extra", tmp_path / "elsewhere")
    assert missing.value.name == "samples.extra"
