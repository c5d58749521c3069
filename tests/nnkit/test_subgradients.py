import numpy as np

from autograder.grade.judge.derived import expected as derived_expected
from nnkit.subgradients import relu_dinputs_allowing_kinks

INPUTS = np.array([[-1.0, 0.0, 2.0], [0.0, 3.0, -0.5]])
DVALUES = np.array([[1.0, 2.0, 3.0], [-4.0, 5.0, 6.0]])
AT_ZERO_ZERO = np.array([[0.0, 0.0, 3.0], [0.0, 5.0, 0.0]])  # inputs > 0: subgradient 0 at 0


def test_any_subgradient_between_0_and_1_at_an_exact_zero_is_expected():
    for t in (0.0, 0.5, 1.0):
        received = np.where(INPUTS > 0, DVALUES, 0.0) + t * DVALUES * (INPUTS == 0)
        assert np.allclose(relu_dinputs_allowing_kinks(AT_ZERO_ZERO, received, INPUTS, DVALUES), received)


def test_values_outside_the_range_or_away_from_kinks_keep_the_expected_value():
    received = AT_ZERO_ZERO.copy()
    received[0, 1] = 2.5         # more than dvalues: t > 1
    received[1, 0] = 1.0         # opposite sign to dvalues: t < 0
    received[0, 0] = 1.0         # not a kink: the input is -1
    assert np.array_equal(relu_dinputs_allowing_kinks(AT_ZERO_ZERO, received, INPUTS, DVALUES), AT_ZERO_ZERO)


def test_answers_of_another_shape_or_kind_leave_the_expected_value():
    for received in ([1.0, 2.0], "dinputs", None):
        assert np.array_equal(relu_dinputs_allowing_kinks(AT_ZERO_ZERO, received, INPUTS, DVALUES), AT_ZERO_ZERO)


def test_the_grader_derivation_uses_it_and_needs_both_givens():
    received = np.where(INPUTS >= 0, DVALUES, 0.0).tolist()
    assert np.allclose(derived_expected("relu_kinks", AT_ZERO_ZERO, received, INPUTS, DVALUES), received)
    assert derived_expected("relu_kinks", AT_ZERO_ZERO, received, None, DVALUES) is AT_ZERO_ZERO
