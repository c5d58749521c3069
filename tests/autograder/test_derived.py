import numpy as np
import pytest

from autograder.derived import expected
from nnkit.encoding import Raised


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
