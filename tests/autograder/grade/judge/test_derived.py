"""Expected values the grader derives itself, from a student's own earlier answers."""
import numpy as np
import pytest

from autograder.grade.judge import verdicts as judge
from autograder.grade.judge.derived import expected
from nnkit.encoding import Raised, encode


def test_outer_is_the_weight_gradient_of_the_students_own_delta():
    assert np.array_equal(expected("outer", None, None, [[1.0], [2.0]], [3.0, 4.0, 5.0]),
                          [[3.0, 4.0, 5.0], [6.0, 8.0, 10.0]])


def test_same_passes_the_students_own_answer_on():
    assert expected("same", "key", None, [1.0, 2.0]) == [1.0, 2.0]


@pytest.mark.parametrize("given", [None, Raised("NameError", "name 'delta3' is not defined"), {"a": 1}, "text"])
def test_givens_that_are_not_numbers_fall_back_on_the_keys_value(given):
    assert expected("outer", "key", None, given, [1.0]) == "key"
    assert expected("same", "key", None, given) == "key"


def test_an_unknown_derivation_is_named():
    with pytest.raises(KeyError, match="no derivation 'inner'"):
        expected("inner", None, None)



def record(question, value, **options):
    return {"check": "value", "question": question, "value": encode(value), **options}


KEY = [record("std times sqrt(n_inputs)", 1.414, rtol=0.1, derive="scaled_to_fan_in")]


@pytest.mark.parametrize("scale", [1.414, 1.31, 1.0, 0.577])  # He, Glorot (784 -> 128), LeCun, U(+-1/sqrt(n))
def test_every_usual_scaling_to_the_fan_in_passes(scale):
    assert judge.judge_cell([record("std times sqrt(n_inputs)", scale)], KEY, {}, {}).failure is None


@pytest.mark.parametrize("scale", [0.28, 28.0, 0.0])  # 0.01 x N(0, 1) and N(0, 1) for 784 inputs, all zero
def test_weights_far_from_the_fan_in_fail_without_revealing_the_keys_value(scale):
    failure = judge.judge_cell([record("std times sqrt(n_inputs)", scale)], KEY, {}, {}).failure
    assert failure.startswith("std times sqrt(n_inputs) differs") and "1.414" not in failure


def test_a_mistake_at_the_same_scale_is_named():
    mistakes = {("value", "std times sqrt(n_inputs)", 0): {"0.01 x N(0, 1)": encode(0.28)}}
    failure = judge.judge_cell([record("std times sqrt(n_inputs)", 0.277)], KEY, mistakes, {}).failure
    assert "likely mistake: 0.01 x N(0, 1)" in failure


def _worked_example():
    """Assignment 2's worked example (its `worked_example_given` cell) and its right backward pass."""
    W1, b1 = np.array([[1, -2, 1], [3, 4, -2]]), np.array([1, -2])
    W2, b2 = np.array([[1, -2], [3, 4]]), np.array([1, 0])
    W3, b3 = np.array([[2, 2], [3, -3], [2, 1]]), np.array([0, -4, -2])
    x = np.array([1, -1, 1])
    s1 = W1 @ x + b1; a1 = np.maximum(0, s1)
    s2 = W2 @ a1 + b2; a2 = np.maximum(0, s2)
    s3 = W3 @ a2 + b3; a3 = np.exp(s3 - s3.max()) / np.exp(s3 - s3.max()).sum()
    delta3 = a3 - np.array([0, 1, 0])
    delta2 = (W3.T @ delta3) * (s2 > 0)
    delta1 = (W2.T @ delta2) * (s1 > 0)
    return {"x": x, "a1": a1, "a2": a2}, {3: delta3, 2: delta2, 1: delta1}


def _weight_gradient_cell(below, deltas):
    """The records of `worked_example_backward_weight_gradients`, as its hidden test gives them."""
    records = []
    for k, name in ((3, "a2"), (2, "a1"), (1, "x")):
        records.append(record(f"worked example {name} (given)", below[name]))
        records.append(record(f"worked example dW{k}", np.outer(deltas[k], below[name]), atol=1e-9, derive="outer",
                              given=(f"worked example delta{k}", f"worked example {name} (given)")))
        records.append(record(f"worked example db{k}", deltas[k], atol=1e-9, loose_shape=True, derive="same",
                              given=(f"worked example delta{k}",)))
    return records


def test_a_wrong_delta_costs_its_own_cell_only():
    below, deltas = _worked_example()
    wrong = {k: 2 * delta for k, delta in deltas.items()}  # the student's deltas, all wrong, used rightly
    answered = {f"worked example delta{k}": delta for k, delta in wrong.items()}
    verdict = judge.judge_cell(_weight_gradient_cell(below, wrong), _weight_gradient_cell(below, deltas), {}, answered)
    assert verdict.failure is None


@pytest.mark.xfail(strict=True, reason="`outer` and `same` derive 0 from deltas of 0, so zeros everywhere pass "
                                       "worked_example_backward_weight_gradients (2 points) without its formula; "
                                       "the visible check (dW_k from your delta_k) passes zeros too, so a fix must "
                                       "change both, one verdict")
def test_deltas_of_zero_earn_no_weight_gradient_points_with_gradients_of_zero():
    below, deltas = _worked_example()
    zeros = {k: np.zeros_like(delta, dtype=float) for k, delta in deltas.items()}
    answered = {f"worked example delta{k}": delta for k, delta in zeros.items()}
    verdict = judge.judge_cell(_weight_gradient_cell(below, zeros), _weight_gradient_cell(below, deltas), {}, answered)
    assert verdict.failure is not None
