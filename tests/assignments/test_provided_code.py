"""Provided code lives once (issue 19): provided/<module>.py, filled into release notebooks.

A source notebook's provided cell names what it takes with a marker line
(`from provided.layers import Dense, ...`); release puts the canonical text of those definitions
in its place, so students read one implementation across the course and no source notebook holds
a pasted copy. A marker release cannot fill stops it with the notebook, the cell and what is wrong.
"""
from __future__ import annotations

import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder import cells
from autograder.course import ROOT, available, notebook_path, provided_path
from autograder.grade.judge.key import KEY_STUDENT, digest, key_notebooks
from autograder.provided import ProvidedCodeError, fill_provided, markers, module_definitions
from autograder.release import release
from autograder.release.names import definitions

CANONICAL = {module.stem: module_definitions(module.stem) for module in sorted((ROOT / "provided").glob("[!_]*.py"))}


def _notebook(step: str, assignment: str):
    return nbformat.read(notebook_path(step, assignment), as_version=4)


def _provided_cells(nb) -> dict[str, str]:
    return {cells.grade_id(c): c.source for c in nb.cells if c.cell_type == "code" and cells.is_read_only(c)}


def test_the_graph_and_every_layer_of_assignment_2_have_one_home():
    assert list(CANONICAL["graph"]) == ["sigmoid", "forward_propagation", "backward_propagation"]
    assert set(CANONICAL["layers"]) == {"Dense", "ReLU", "Tanh", "Softmax", "labels_of",
                                        "CategoricalCrossEntropy", "SoftmaxCrossEntropy"}


@pytest.mark.parametrize("assignment", available())
def test_no_source_notebook_holds_a_copy_of_provided_code(assignment):
    copies = [(gid, d.name) for gid, source in _provided_cells(_notebook("source", assignment)).items()
              for d in definitions(source)
              if any(d.name in defs and d.text == defs[d.name].text for defs in CANONICAL.values())]
    assert copies == [], f"{assignment} pastes provided code instead of naming it with a marker"


@pytest.mark.parametrize("assignment", available())
def test_each_release_cell_holds_the_canonical_text_of_what_its_source_cell_names(assignment):
    source = _provided_cells(_notebook("source", assignment))
    released = _provided_cells(_notebook("release", assignment))
    for gid, text in source.items():
        named = markers(text)
        defined = {d.name: d.text for d in definitions(released[gid])}
        for marker in named:
            canonical = CANONICAL[marker.module]
            for name in marker.names or canonical:
                assert defined.get(name) == canonical[name].text, f"{assignment}, cell {gid}: {name}"


def test_assignments_3_to_5_take_the_layers_from_provided_code():
    taking = {a for a in available() for source in _provided_cells(_notebook("source", a)).values()
              for m in markers(source) if m.module == "layers"}
    assert taking == {"gradient_checking", "optimizers", "mnist_mlp"}


def _one_cell(source: str, before: str = "import numpy as np  # as the setup cell does", **role):
    """A notebook of one provided cell, after a cell holding `before` ("": none)."""
    meta = {"grade_id": "provided_here", "locked": True, "solution": False, "grade": False, **role}
    return new_notebook(cells=[new_code_cell(text) for text in [before] if text]
                        + [new_code_cell(source, metadata={"nbgrader": meta})])


def test_filling_keeps_the_rest_of_the_cell_and_puts_the_definitions_in_the_marker_s_place():
    nb = _one_cell("# Provided: the ReLU layer.\nfrom provided.layers import ReLU\n\n\nrelu = ReLU()")
    assert fill_provided(nb, ROOT, where="demo.ipynb") == ["provided_here"]
    assert nb.cells[-1].source == f"# Provided: the ReLU layer.\n{CANONICAL['layers']['ReLU'].text}\n\n\nrelu = ReLU()"


@pytest.mark.parametrize("marker, words", [
    ("from provided.layer import Dense", "provided/layer.py does not exist (provided/ holds: graph, layers)"),
    ("from provided.layers import Dense, Conv2D", "provided/layers.py defines no Conv2D (it defines: Dense, ReLU"),
    ("from provided.layers import SoftmaxCrossEntropy", "SoftmaxCrossEntropy of provided/layers.py uses labels_of: name that in the marker too"),
    ("from provided.layers import (Dense,\n    ReLU)", "write it on one line"),
    ("import provided.layers", "write it on one line"),
    ("from provded.layers import Dense", "looks like a provided-code marker with `provided` misspelt"),
    ("from Provided.layers import Dense", "looks like a provided-code marker with `provided` misspelt"),
])
def test_a_marker_release_cannot_fill_names_the_notebook_the_cell_and_what_is_wrong(marker, words):
    where = re.escape("demo.ipynb, cell 'provided_here': ")
    with pytest.raises(ProvidedCodeError, match=where + ".*" + re.escape(words)):
        fill_provided(_one_cell(marker), ROOT, where="demo.ipynb")


def test_a_marker_in_a_solution_cell_is_refused_since_release_would_strip_it():
    with pytest.raises(ProvidedCodeError, match="only a read-only cell"):
        fill_provided(_one_cell("from provided.layers import Dense", solution=True), ROOT, where="demo.ipynb")


def test_a_provided_module_with_statements_release_cannot_place_is_refused(tmp_path):
    (tmp_path / "provided").mkdir()
    (tmp_path / "provided" / "scale.py").write_text('"""Doc."""\nimport numpy as np\n\nSCALE = 2.0\n')
    with pytest.raises(ProvidedCodeError, match="provided/scale.py, line 4: a provided module holds"):
        module_definitions("scale", tmp_path)


def test_release_stops_before_nbgrader_runs_on_a_marker_naming_nothing(tmp_path):
    for name in ("autograder", "nnkit", "provided"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "nbgrader_config.py").write_text((ROOT / "nbgrader_config.py").read_text())
    path = notebook_path("source", "demo", root=tmp_path)
    path.parent.mkdir(parents=True)
    nbformat.write(_one_cell("from provided.graph import sigmoid, tanh"), path)
    with pytest.raises(SystemExit, match=re.escape("source/demo/demo.ipynb, cell 'provided_here': provided/graph.py "
                                                   "defines no tanh")):
        release(["demo"], tmp_path)
    assert not (tmp_path / "release").exists()


def test_the_answer_key_runs_the_provided_code_students_get_and_is_computed_again_when_it_changes(tmp_path):
    runs = key_notebooks(ROOT, "gradient_checking", "gradient_checking")
    for nb in runs.values():  # the key's kernel sees nnkit/ and data/ only, never provided/
        assert not any(markers(c.source) for c in nb.cells if c.cell_type == "code")
    assert CANONICAL["layers"]["Dense"].text in _provided_cells(runs[KEY_STUDENT])["provided_layers"]

    for name in ("source", "samples", "nnkit"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "nbgrader_config.py").write_text((ROOT / "nbgrader_config.py").read_text())
    provided_path("layers", tmp_path).parent.mkdir()
    provided_path("layers", tmp_path).write_text(provided_path("layers").read_text())
    before = digest(tmp_path, "gradient_checking", "gradient_checking")
    provided_path("layers", tmp_path).write_text(provided_path("layers").read_text().replace("0.01 *", "0.02 *"))
    assert digest(tmp_path, "gradient_checking", "gradient_checking") != before


def test_a_provided_definition_using_what_only_its_module_imports_stops_release_until_an_earlier_cell_binds_it(tmp_path):
    # Release fills in definitions, not the module's imports: the source notebook ran (the real
    # import), while the students' copy raised NameError in a read-only cell they cannot fix.
    (tmp_path / "provided").mkdir()
    (tmp_path / "provided" / "norms.py").write_text(
        '"""Doc."""\nimport math\n\n\ndef norm(v):\n    return math.sqrt(sum(x * x for x in v))\n')
    nb = _one_cell("from provided.norms import norm", before="")
    with pytest.raises(ProvidedCodeError, match=re.escape("demo.ipynb, cell 'provided_here': norm of "
                                                          "provided/norms.py uses math, which that module imports")):
        fill_provided(nb, tmp_path, where="demo.ipynb")
    nb.cells.insert(0, new_code_cell("%matplotlib inline\nimport math"))
    assert fill_provided(nb, tmp_path, where="demo.ipynb") == ["provided_here"]
    assert "return math.sqrt" in nb.cells[-1].source


def test_a_star_import_beside_the_marker_may_bind_what_a_definition_uses_so_release_goes_on(tmp_path):
    # `from math import *` binds math's names, which release cannot list: it must not stop on them.
    (tmp_path / "provided").mkdir()
    (tmp_path / "provided" / "norms.py").write_text(
        '"""Doc."""\nfrom math import sqrt\n\n\ndef norm(v):\n    return sqrt(sum(x * x for x in v))\n')
    nb = _one_cell("from math import *\nfrom provided.norms import norm", before="")
    assert fill_provided(nb, tmp_path, where="demo.ipynb") == ["provided_here"]
    assert "return sqrt" in nb.cells[-1].source
