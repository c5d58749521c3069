import ast
import re
import shutil
import time

import nbformat
import numpy as np
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from nbclient import NotebookClient

from autograder.course import ROOT
from autograder.grade import grade
from autograder.samples import Sample, load_samples, run_cells, write_submissions
from autograder.scores import cell_scores
from nnkit.data import load_regression


ASSIGNMENT = "gradient_checking"
MANUAL = ("error_vs_eps_explained", "buggy_candidates_explained")
PLANTED_BUGS = {"ben", "dee", "eve", "gus"}  # see the model answer of buggy_candidates_explained
W_DEMO = np.round(np.linspace(-0.4, 0.4, 9), 2)  # the weights of the notebook's visible checks


def _source():
    return nbformat.read(ROOT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)


def _cells():
    return {c.metadata["nbgrader"]["grade_id"]: c for c in _source().cells if "nbgrader" in c.metadata}


@pytest.fixture(scope="module")
def reference():
    """The namespace of the notebook's provided code and reference solutions, run in-process."""
    return run_cells(ASSIGNMENT, ("provided_graph", "provided_layers", "candidates", "numerical_gradient",
                                  "relative_error", "gradient_checking", "find_buggy", "check_layer"),
                     {"np": np})


def _hidden_find_buggy_points():
    source = _cells()["find_buggy_flags_exactly_the_buggy_candidates"].source
    match = re.search(r"_points = (\[.*?\])\n_runs", source, re.S)
    return ast.literal_eval(match.group(1))


def test_at_least_six_typical_mistakes_and_three_correct_variants():
    samples = load_samples(ASSIGNMENT)
    assert len([s for s in samples if s.loses]) >= 6
    assert len([s for s in samples if s.student.startswith("correct")]) >= 3


def test_manual_answers_are_markdown_cells_with_points():
    cells = _cells()
    for grade_id in MANUAL:
        meta = cells[grade_id].metadata["nbgrader"]
        assert cells[grade_id].cell_type == "markdown" and meta["grade"] and meta["solution"] and meta["points"] > 0


def test_numerical_gradient_leaves_x_bit_for_bit_even_when_f_raises(reference):
    numerical_gradient = reference["numerical_gradient"]
    x = np.random.default_rng(0).normal(size=(3, 4)) * 1e3
    before = x.copy()
    numerical_gradient(lambda v: np.sum(v ** 3), x)
    assert np.array_equal(x, before)

    def failing(v):
        raise ValueError("f failed")

    with pytest.raises(ValueError):
        numerical_gradient(failing, x)
    assert np.array_equal(x, before)


def test_numerical_gradient_is_exact_for_quadratics_in_any_shape(reference):
    rng = np.random.default_rng(1)
    for shape in [(1,), (6,), (2, 3), (2, 3, 2)]:
        C, x = rng.normal(size=shape), rng.normal(size=shape)
        grad = reference["numerical_gradient"](lambda v: np.sum(C * v ** 2), x.copy(), 1e-3)
        np.testing.assert_allclose(grad, 2 * C * x, rtol=1e-8, atol=1e-10)


def test_relative_error_edge_cases(reference):
    relative_error = reference["relative_error"]
    assert relative_error(np.zeros(3), np.zeros(3)) == 0
    assert relative_error(np.zeros(3), np.ones(3)) == 1
    assert relative_error([1.0, 2.0], [-1.0, -2.0]) == 1


def test_the_planted_bugs_are_found_at_the_visible_point(reference):
    X, y = load_regression()
    assert reference["find_buggy"](reference["CANDIDATES"], X[0], y[0], W_DEMO) == PLANTED_BUGS


def test_hidden_find_buggy_points_give_clear_verdicts_for_any_threshold_between_1e_7_and_1e_3(reference):
    # Every buggy candidate well above 1e-3, every correct one well below 1e-7: a student's
    # threshold anywhere in the grey zone gives the same verdict.
    X, y = load_regression()
    numerical_gradient, relative_error = reference["numerical_gradient"], reference["relative_error"]
    forward = reference["forward_propagation"]
    for k, w in _hidden_find_buggy_points()[:2]:
        w = np.array(w)
        numerical = numerical_gradient(lambda v: forward(X[k], y[k], v)["loss"], w.copy(), 1e-7)
        for name, backward in reference["CANDIDATES"].items():
            grads = backward(X[k], y[k], w, forward(X[k], y[k], w))
            error = relative_error([grads[f"dw{i + 1}"] for i in range(9)], numerical)
            assert error > 5e-3 if name in PLANTED_BUGS else error < 1e-8, (k, name, error)


def test_error_against_eps_has_its_minimum_where_the_model_answer_says(reference):
    X, y = load_regression()
    epsilons = np.logspace(-13, -1, 25)
    centred = [reference["gradient_checking"](X[0], y[0], W_DEMO, eps) for eps in epsilons]
    best = epsilons[int(np.argmin(centred))]
    assert 1e-6 <= best <= 1e-4
    assert min(centred) < 1e-10
    assert reference["gradient_checking"](X[0], y[0], W_DEMO) < 1e-8  # the default eps = 1e-7
    assert centred[0] > 1e-5 and centred[-1] > 1e-4  # both ends far above the minimum


def test_the_provided_layers_pass_check_layer(reference):
    rng = np.random.default_rng(2)
    check_layer = reference["check_layer"]
    dense = reference["Dense"](4, 3)
    dense.weights, dense.biases = rng.normal(size=(4, 3)), rng.normal(size=(1, 3))
    layers = [(dense, rng.normal(size=(5, 4))), (reference["ReLU"](), rng.normal(size=(5, 4)) + 0.5),
              (reference["Softmax"](), rng.normal(size=(5, 4)))]
    for layer, inputs in layers:
        assert all(error < 1e-8 for error in check_layer(layer, inputs).values())


@pytest.mark.notebook
def test_source_notebook_runs_top_to_bottom_in_well_under_a_minute(tmp_path):
    nb = _source()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = re.sub(r"### (BEGIN|END) (SOLUTION|HIDDEN TESTS)", "", cell.source)
    start = time.perf_counter()
    NotebookClient(nb, timeout=60, allow_errors=False,
                   resources={"metadata": {"path": str(ROOT / "source" / ASSIGNMENT)}}).execute()
    assert time.perf_counter() - start < 45


def test_later_cells_reach_numerical_gradient_and_relative_error_only_through_graded_functions():
    # Issue 12: no cell shows a later answer. Outside solutions and hidden tests, only a function's
    # own visible check calls numerical_gradient or relative_error; the cells after it (the eps
    # plot, the candidates' figure, the layers' overview) go through gradient_checking, find_buggy
    # and check_layer, so none of them spells out how those are written.
    for cell in _source().cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or meta.get("solution") or meta.get("grade"):
            continue
        python = TransformerManager().transform_cell(cell.source)  # the setup cell's `!git clone`
        calls = {node.func.id for node in ast.walk(ast.parse(python))
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
        for name in calls & {"numerical_gradient", "relative_error"}:
            assert meta.get("grade_id") == f"{name}_visible_check", (meta.get("grade_id"), cell.source[:80])


def test_hidden_test_helpers_are_one_locked_cell_after_the_functions_they_stand_in_for_are_graded():
    cells = _source().cells
    helpers = [i for i, c in enumerate(cells) if "def _numerical_gradient" in c.source]
    assert len(helpers) == 1
    meta = cells[helpers[0]].metadata["nbgrader"]
    assert meta["grade_id"] == "hidden_test_helpers" and meta["locked"] and not meta["grade"]
    graded = [c.metadata.get("nbgrader", {}).get("grade_id", "") for c in cells[:helpers[0]]]
    assert "relative_error_is_zero_when_both_are_zero" in graded and "gradient_checking" not in graded
    assert not any(re.search(r"def _(ng|rel)\(", c.source) for c in cells), "no copies left in grade cells"


# Each function replaced by a constant of the right kind: no work done, nothing computed.
CONSTANT_STUBS = Sample("constant-stubs", "every function returns a constant", cells={
    "numerical_gradient": "def numerical_gradient(f, x, eps=1e-5):\n    return np.zeros(np.shape(x))",
    "relative_error": "def relative_error(a, b):\n    return 0.0",
    "gradient_checking": "def gradient_checking(x, y, w, eps=1e-7):\n    return 0.0",
    "find_buggy": "def find_buggy(candidates, x, y, w, eps=1e-7):\n    return set()",
    "check_layer": ("def check_layer(layer, inputs, eps=1e-5, seed=0):\n"
                    "    keys = ('dinputs', 'dweights', 'dbiases') if hasattr(layer, 'weights') else ('dinputs',)\n"
                    "    return dict.fromkeys(keys, 0.0)"),
})


def test_constant_stubs_earn_no_point(graded, tmp_path):
    # A copy of the graded class: its answer key is cached, so only the stubs run.
    root = shutil.copytree(graded.root, tmp_path / "course", symlinks=True)
    write_submissions(ASSIGNMENT, [CONSTANT_STUBS], root)
    grade(ASSIGNMENT, root)
    earned = {cell: score.score for cell, score in cell_scores(ASSIGNMENT, root)["constant-stubs"].items() if score.score}
    assert earned == {}
