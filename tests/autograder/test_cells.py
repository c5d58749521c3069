"""One cell classifier and one "names a cell defines", for well-formed and hostile notebooks alike."""
import keyword

import nbformat
from hypothesis import given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_markdown_cell
from nbgrader import utils

from autograder import cells
from autograder.course import ROOT, available, notebook_path

FLAGS = st.fixed_dictionaries({"solution": st.booleans(), "grade": st.booleans(), "locked": st.booleans(),
                               "grade_id": st.text(min_size=1, max_size=8)})
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                    max_leaves=10)
NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True).filter(lambda n: not keyword.iskeyword(n))


@settings(deadline=None)  # a loaded machine is slow, not wrong
@given(FLAGS)
def test_each_well_formed_cell_has_the_one_kind_nbgrader_gives_it(flags):
    cell = new_code_cell("x = 1", metadata={"nbgrader": flags})
    grade, solution = utils.is_grade(cell), utils.is_solution(cell)
    expected = {cells.TEST: grade and not solution, cells.WRITTEN_ANSWER: grade and solution,
                cells.SOLUTION: solution and not grade,
                cells.READ_ONLY: utils.is_locked(cell) and not grade and not solution}
    expected[cells.ORDINARY] = not any(expected.values())
    assert [k for k, yes in expected.items() if yes] == [cells.kind(cell)]
    assert cells.is_test(cell) == expected[cells.TEST] and cells.is_solution(cell) == expected[cells.SOLUTION]
    assert cells.is_read_only(cell) == expected[cells.READ_ONLY]
    assert cells.is_written_answer(cell) == expected[cells.WRITTEN_ANSWER]
    assert cells.is_answer(cell) == solution and cells.is_grade(cell) == grade
    assert cells.grade_id(cell) == flags["grade_id"]


@settings(deadline=None)  # a loaded machine is slow, not wrong
@given(JSON)
def test_metadata_of_any_shape_is_an_ordinary_cell_or_a_kind_never_an_error(meta):
    cell = new_markdown_cell("text")
    cell["metadata"] = {"nbgrader": meta}
    assert cells.kind(cell) in (cells.SOLUTION, cells.TEST, cells.WRITTEN_ANSWER, cells.READ_ONLY, cells.ORDINARY)
    assert cells.grade_id(cell) is None or isinstance(cells.grade_id(cell), str)
    if not isinstance(meta, dict):
        assert cells.kind(cell) == cells.ORDINARY and cells.role(cell) == {}


def _definition(name: str, form: int) -> str:
    return [f"def {name}(x):\n    def inner():\n        pass\n    return x",
            f"class {name}:\n    def method(self):\n        return 1",
            f"async def {name}():\n    return None"][form]


@settings(deadline=None)  # a loaded machine is slow, not wrong
@given(st.lists(st.tuples(NAMES, st.integers(0, 2)), max_size=5), st.lists(NAMES, max_size=3))
def test_defined_names_are_the_top_level_functions_and_classes_whether_or_not_the_code_parses(defs, variables):
    source = "\n\n".join([*(f"{v} = 1" for v in variables), *(_definition(n, f) for n, f in defs)])
    named = {n for n, _ in defs}
    assert cells.defined_names(source) == named
    assert cells.defined_names(source + "\n\ndef unfinished(:\n") == named | {"unfinished"}
    assert set(variables) <= cells.assigned_names(source)


def test_assigned_names_recognise_a_cell_that_defines_no_function():
    source = "dW3 = delta3.T @ a2\ndb3, other = 1, 2\nif x == 3:\n    hidden = 1"
    assert cells.defined_names(source) == set()
    assert cells.assigned_names(source) == {"dW3", "db3"}


def test_every_assignment_has_test_cells_and_each_solution_cell_defines_something():
    for assignment in available():
        nb = nbformat.read(notebook_path("source", assignment, root=ROOT), as_version=4)
        assert any(cells.is_test(c) for c in nb.cells), assignment
        for cell in nb.cells:
            if cells.is_solution(cell) and cell.cell_type == "code":
                assert cells.defined_names(cell.source) or cells.assigned_names(cell.source), cells.grade_id(cell)
