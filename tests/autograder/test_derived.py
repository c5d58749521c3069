"""Expected values the grader derives itself: here, weights scaled to the fan-in in any usual way."""
import pytest

from autograder import judge
from nnkit.encoding import encode


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
