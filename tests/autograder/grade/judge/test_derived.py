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
