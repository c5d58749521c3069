"""Shell lines and package magics: skipped before grading, the rest of the cell kept, noted once per cell."""
from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from autograder import reasons
from autograder.grade.intake.shell import skip_shell_lines


def _notebook(*sources, locked=()):
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    for index in locked:
        nb.cells[index].metadata["nbgrader"] = {"grade_id": f"test_{index}", "locked": True, "grade": True}
    return nb


def test_a_pip_line_atop_a_solution_leaves_the_functions_defined():
    nb = _notebook("!pip install numpy\n%pip install -q h5py\ndef double(x):\n    return 2 * x")
    notes = skip_shell_lines(nb)
    namespace = {}
    exec(compile(nb.cells[0].source, "<cell>", "exec"), namespace)
    assert namespace["double"](4) == 8
    assert [(n.kind, n.cell, n.detail["lines"]) for n in notes] == [
        ("shell_line", "1", ["!pip install numpy", "%pip install -q h5py"])]


def test_a_shell_line_inside_a_block_keeps_the_block_valid_python():
    nb = _notebook("if True:\n    !nvidia-smi\nfiles = !ls\nx = 1")
    skip_shell_lines(nb)
    namespace = {}
    exec(compile(nb.cells[0].source, "<cell>", "exec"), namespace)
    assert namespace["files"] == [] and namespace["x"] == 1


def test_a_shell_cell_becomes_comments():
    nb = _notebook("%%bash\npip install numpy\necho done")
    notes = skip_shell_lines(nb)
    compile(nb.cells[0].source, "<cell>", "exec")
    assert notes[0].detail["lines"] == ["%%bash"] and "echo done" in nb.cells[0].source


def test_harmless_magics_strings_and_read_only_cells_are_left_alone():
    text = 'x = """\n!not a shell line\n"""\n%matplotlib inline\n%load_ext autoreload'
    nb = _notebook(text, "!pip install numpy", locked=(1,))
    assert skip_shell_lines(nb) == []
    assert nb.cells[0].source == text and nb.cells[1].source == "!pip install numpy"


def test_the_student_is_told_in_one_line_per_cell():
    nb = _notebook("!pip install numpy\n!pip install h5py\nimport numpy", "%pip install tqdm")
    nbformat.validate(nb)
    said = reasons.for_student(skip_shell_lines(nb))
    assert len(said) == 2 and all("not run" in line and "\n" not in line for line in said)
