"""recover.recover: cells' nbgrader roles mended against the release, in the documented order."""
from __future__ import annotations

import copy

import pytest

from autograder.grade.intake import recover

from tests.autograder import tiny_course as tiny


@pytest.fixture
def release():
    return tiny.source_notebook()


def _ids(nb):
    return [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]


def _strip(nb, *, ids=False):
    for i, cell in enumerate(nb.cells):
        cell.metadata = {}
        if ids:
            cell.id = f"other-{i}"
    return nb


def test_an_intact_submission_is_left_alone(release):
    nb = copy.deepcopy(release)
    found = recover.recover(nb, release, release)
    assert (found.notes, nb) == ([], release)


def test_roles_are_recovered_by_cell_id_first(release):
    nb = _strip(copy.deepcopy(release))
    found = recover.recover(nb, release, release)
    assert _ids(nb) == _ids(release)
    assert set(found.recovered.values()) == {"id"}


def test_without_ids_read_only_cells_are_recovered_by_text_and_solutions_by_defined_names(release):
    nb = _strip(copy.deepcopy(release), ids=True)
    for cell in nb.cells:
        if "def square" in cell.source:
            cell.source = "def square(x):\n    return x * x"  # the student's own code
    found = recover.recover(nb, release, release)
    assert _ids(nb) == _ids(release)
    assert found.recovered == {"test_square": "text", "test_double": "text", "square": "names", "double": "names"}
    assert [n.kind for n in found.notes] == ["recovered"]
    assert found.notes[0].detail["by"] == {"text": ["test_square", "test_double"], "names": ["square", "double"]}


def test_a_deleted_grade_cell_is_restored_where_the_release_has_it(release):
    nb = copy.deepcopy(release)
    del nb.cells[3]  # test_square
    found = recover.recover(nb, release, release)
    assert _ids(nb) == _ids(release) and found.restored == ["test_square"]
    assert [(n.kind, n.cell, n.detail) for n in found.notes] == [("restored", "test_square", {"role": "grade cell"})]


def test_consecutive_deleted_cells_are_restored_in_order(release):
    nb = copy.deepcopy(release)
    nb.cells = [c for c in nb.cells if _ids(nb)[nb.cells.index(c)] not in ("test_square", "double")]
    recover.recover(nb, release, release)
    assert _ids(nb)[:4] == _ids(release)[:4]


def test_raised_points_and_a_grade_cell_turned_solution_are_undone_and_flagged(release):
    nb = copy.deepcopy(release)
    nb.cells[3].metadata.nbgrader.update(points=20)
    nb.cells[5].metadata.nbgrader.update(grade=False, solution=True, locked=False)
    found = recover.recover(nb, release, release)
    assert nb.cells[3].metadata.nbgrader["points"] == 2 and nb.cells[5].metadata.nbgrader["grade"]
    undone = {n.cell: n.detail["changes"] for n in found.notes if n.kind == "metadata_undone"}
    assert "points 2 -> 20" in undone["test_square"] and "grade True -> False" in undone["test_double"]


def test_metadata_naming_a_cell_the_assignment_lacks_is_ignored_and_flagged(release):
    nb = copy.deepcopy(release)
    nb.cells[1].metadata["nbgrader"] = {"grade_id": "from_another_course", "grade": True, "points": 50}
    found = recover.recover(nb, release, release)
    assert "nbgrader" not in nb.cells[1].metadata
    assert [(n.kind, n.cell) for n in found.notes] == [("foreign_metadata", "from_another_course")]


def test_a_scratch_copy_of_a_read_only_cell_is_not_taken_for_it_while_the_original_is_there(release):
    nb = copy.deepcopy(release)
    scratch = copy.deepcopy(nb.cells[3])
    scratch.metadata, scratch.id = {}, "scratch"
    nb.cells.append(scratch)
    assert recover.recover(nb, release, release).notes == []
    assert "nbgrader" not in nb.cells[-1].metadata


def test_defined_names_are_functions_and_classes_else_variables():
    assert recover.defined_names("def f(x):\n    y = 1\nclass C:\n    pass") == {"f", "C"}
    assert recover.defined_names("s1 = W @ x\na1, s2 = 1, 2\nif a == b: pass") == {"s1", "a1"}


def test_a_read_only_cell_moved_above_a_solution_cell_goes_back_after_it_and_is_flagged(release):
    # A test (or hidden helper) cell run before the student's code would leave its names, a correct
    # copy of a step say, within reach of that code.
    nb = copy.deepcopy(release)
    test_double = nb.cells.pop(5)
    nb.cells.insert(0, test_double)  # above both solution cells
    found = recover.recover(nb, release, release)
    assert _ids(nb) == [None, None, "square", "test_square", "double", "test_double"]
    assert [(n.kind, n.cell, n.detail) for n in found.notes] == [
        ("moved_back", "test_double", {"above": ["square", "test_square", "double"], "last": "double"})]


def test_a_read_only_cell_moved_between_a_solution_and_its_tests_goes_back_after_the_tests(release):
    # A hidden helper cell put right after a solution, above that step's own tests, would let the
    # student's code for the step call the helper's correct copy before the step is graded.
    nb = copy.deepcopy(release)
    moved = nb.cells.pop(5)  # test_double: in the release after square, test_square and double
    nb.cells.insert(3, moved)  # between square and test_square
    found = recover.recover(nb, release, release)
    assert _ids(nb) == [None, None, "square", "test_square", "double", "test_double"]
    assert [(n.kind, n.detail["above"]) for n in found.notes] == [("moved_back", ["test_square", "double"])]


def test_read_only_cells_moved_together_keep_their_release_order(release):
    nb = copy.deepcopy(release)
    tests = [nb.cells.pop(5), nb.cells.pop(3)]  # test_double, test_square
    nb.cells[0:0] = tests
    recover.recover(nb, release, release)
    assert _ids(nb) == [None, None, "square", "test_square", "double", "test_double"]


def test_solution_cells_the_student_moved_up_leave_the_read_only_cells_where_they_are(release):
    nb = copy.deepcopy(release)
    nb.cells = [nb.cells[i] for i in (0, 1, 2, 4, 3, 5)]  # square, double, test_square, test_double
    before = _ids(nb)
    assert before == [None, None, "square", "double", "test_square", "test_double"]
    assert recover.recover(nb, release, release).notes == []
    assert _ids(nb) == before


def _with_written_answer(nb):
    from nbformat.v4 import new_markdown_cell

    answer = new_markdown_cell("YOUR ANSWER HERE")
    answer.metadata["nbgrader"] = {"grade_id": "why", "solution": True, "grade": True, "locked": False,
                                   "points": 1, "schema_version": 3}
    nb.cells.insert(4, new_markdown_cell("Why does `double` come after `square`?"))
    nb.cells.insert(5, answer)
    return nb


def test_a_written_answer_without_metadata_or_id_is_recovered_by_its_place(release):
    release = _with_written_answer(release)
    nb = copy.deepcopy(release)
    nb.cells[5].source = "Because the \r\nassignment says so."
    nb = _strip(nb, ids=True)
    found = recover.recover(nb, release, release)
    assert found.recovered["why"] == "place" and found.restored == []
    assert next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "why").source.startswith("Because")


def test_no_place_is_guessed_between_two_new_cells(release):
    from nbformat.v4 import new_markdown_cell

    release = _with_written_answer(release)
    nb = copy.deepcopy(release)
    nb.cells[5].source = "Because."
    nb.cells.insert(5, new_markdown_cell("My own note."))
    nb = _strip(nb, ids=True)
    found = recover.recover(nb, release, release)
    assert "why" not in found.recovered and "why" in found.restored
