import re
import time

import nbformat
import numpy as np
import pytest
from nbgrader import utils

from autograder.course import ROOT
from autograder.samples import run_cells


ASSIGNMENT = "backpropagation"
MANUAL = ("xor_stuck_explanation",)


def _source_cells():
    nb = nbformat.read(ROOT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}


@pytest.fixture(scope="module")
def reference():
    """The namespace of the instructor notebook's provided code and reference solutions, run in-process."""
    return run_cells(ASSIGNMENT, ("provided_forward_propagation", "backward_propagation", "Dense", "ReLU",
                                  "Softmax", "CategoricalCrossEntropy", "SoftmaxCrossEntropy",
                                  "worked_example_given", "worked_example_backward", "xor_given"),
                     {"np": np})


def _numerical_gradient(f, x, eps=1e-6):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += eps
        minus[index] -= eps
        grad[index] = (f(plus) - f(minus)) / (2 * eps)
    return grad


def test_a_visible_check_names_each_mistake_before_grading(graded, mistake):
    # The autograded notebook keeps the visible checks' outputs as the student saw them.
    nb = graded.autograded(mistake.student, ASSIGNMENT)
    shown = [out.evalue for cell in nb.cells if cell.cell_type == "code" and not utils.is_grade(cell)
             for out in cell.outputs if out.output_type == "error"]
    # A tuple for a number is named by the comparison's own words, the sample's last mention.
    assert any(mistake.description in text or mistake.mentions[-1] in text for text in shown), shown


def test_written_answer_is_a_manually_graded_markdown_cell():
    answers = [c for c in _source_cells().values() if utils.is_grade(c) and utils.is_solution(c)]
    assert [c.metadata.nbgrader["grade_id"] for c in answers] == list(MANUAL)
    assert all(c.cell_type == "markdown" for c in answers)


def test_each_graded_class_is_one_solution_cell_named_after_it():
    cells = _source_cells()
    for name in ("Dense", "ReLU", "Softmax", "CategoricalCrossEntropy", "SoftmaxCrossEntropy"):
        assert cells[name].metadata.nbgrader["solution"]
        assert re.search(rf"^class {name}\b", cells[name].source, re.M)


def test_reference_backward_propagation_matches_central_differences(reference):
    rng = np.random.default_rng(0)
    for _ in range(5):
        x, y, w = rng.normal(size=5), float(rng.normal()), rng.normal(0, 0.5, 9)
        grads = reference["backward_propagation"](x, y, w, reference["forward_propagation"](x, y, w))
        numerical = _numerical_gradient(lambda v: reference["forward_propagation"](x, y, v)["loss"], w)
        assert np.allclose([grads[f"dw{i}"] for i in range(1, 10)], numerical, rtol=1e-5, atol=1e-8)


def test_reference_layers_match_central_differences(reference):
    rng = np.random.default_rng(1)
    X, labels = rng.normal(size=(5, 4)), rng.integers(0, 3, size=5)
    dense = reference["Dense"](4, 3)
    dense.weights, dense.biases = rng.normal(size=(4, 3)), rng.normal(size=(1, 3))

    def loss_of(X, W, b):
        layer = reference["Dense"](4, 3)
        layer.weights, layer.biases = W, b
        layer.forward(X)
        relu = reference["ReLU"]()
        relu.forward(layer.output)
        return reference["SoftmaxCrossEntropy"]().forward(relu.output, labels)

    relu, head = reference["ReLU"](), reference["SoftmaxCrossEntropy"]()
    dense.forward(X); relu.forward(dense.output); head.forward(relu.output, labels)
    head.backward(head.output, labels); relu.backward(head.dinputs); dense.backward(relu.dinputs)
    W, b = dense.weights, dense.biases
    assert np.allclose(dense.dweights, _numerical_gradient(lambda v: loss_of(X, v, b), W), atol=1e-7)
    assert np.allclose(dense.dbiases, _numerical_gradient(lambda v: loss_of(X, W, v), b), atol=1e-7)
    assert np.allclose(dense.dinputs, _numerical_gradient(lambda v: loss_of(v, W, b), X), atol=1e-7)


def test_chained_softmax_and_cross_entropy_equal_the_combined_gradient(reference):
    rng = np.random.default_rng(2)
    Z, labels = rng.normal(size=(6, 4)), rng.integers(0, 4, size=6)
    softmax, loss, head = reference["Softmax"](), reference["CategoricalCrossEntropy"](), reference["SoftmaxCrossEntropy"]()
    softmax.forward(Z); loss.backward(softmax.output, labels); softmax.backward(loss.dinputs)
    head.forward(Z, np.eye(4)[labels]); head.backward(head.output, np.eye(4)[labels])
    assert np.allclose(softmax.dinputs, head.dinputs)
    assert np.allclose(head.dinputs, (head.output - np.eye(4)[labels]) / 6)


def test_worked_example_matches_its_numbers(reference):
    assert reference["s3"].tolist() == [42, -31, 25]
    assert np.allclose(reference["delta1"], [14, 0], atol=1e-6)
    assert np.allclose(reference["dW1"][1], 0)  # the dead second neuron of layer 1 gets no gradient


def test_zero_initialised_xor_stays_at_ln2_and_the_reference_fix_trains_fast(reference):
    zeros = {"W1": np.zeros((2, 4)), "b1": np.zeros((1, 4)), "W2": np.zeros((4, 1)), "b2": np.zeros((1, 1))}
    params, losses = reference["train_xor"](zeros)
    assert np.allclose(losses, np.log(2))
    assert reference["xor_predictions"](params).tolist() != [0, 1, 1, 0]
    start = time.perf_counter()
    run_cells(ASSIGNMENT, ["xor_fix"], reference)
    assert time.perf_counter() - start < 5
    assert reference["xor_predictions"](reference["xor_params"]).tolist() == [0, 1, 1, 0]
