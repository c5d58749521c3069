"""Expected values the grader computes from a student's own earlier answers: one mistake, one cell.

Some steps build on an earlier one: assignment 2's worked-example weight gradient dW3 is
delta3 times a2 transposed. Graded against the key's dW3, a wrong delta3 would cost two cells.
So the hidden test answers with `answer("dW3", dW3, derive="outer", given=("delta3", "a2"))`,
and the grader computes the expected dW3 here, from the student's answers to "delta3" and "a2",
with this trusted code that never enters a student's sandbox. Only the key's record names the
derivation and its givens; a student's kernel cannot choose them.

Each derivation takes the key's expected value, the student's received value and the givens
(the student's decoded answers in the order the key names them, None where the student
never answered) and returns the value
the student's answer is compared with.
"""
from __future__ import annotations

import numpy as np

from nnkit.subgradients import relu_dinputs_allowing_kinks


def _numbers(value):
    """`value` as a float array, or None when it is not numbers (None, an error, a dict, text):
    then a derivation falls back on the key's own value and the comparison says what is wrong."""
    try:
        return None if value is None else np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None


def _outer(expected, received, delta, a):
    """Column form of a dense layer's weight gradient: delta (m, 1) times a (n, 1) transposed."""
    delta, a = _numbers(delta), _numbers(a)
    if delta is None or a is None:
        return expected
    return delta.reshape(-1, 1) @ a.reshape(1, -1)


def _same(expected, received, value):
    """The student's own earlier answer, passed on unchanged (e.g. db3 = delta3)."""
    return expected if _numbers(value) is None else value


def _relu_kinks(expected, received, inputs, dvalues):
    """ReLU's dinputs where any subgradient in [0, 1] passes at inputs of exactly 0 (the course
    contract's kink rule), given the inputs and dvalues the test reported handing the layer."""
    if inputs is None or dvalues is None:
        return expected
    return relu_dinputs_allowing_kinks(expected, received, inputs, dvalues)


def _scaled_to_fan_in(expected, received):
    """Initial weights' std times sqrt(n_inputs): any scaling to the fan-in passes.

    He gives 1.41, Glorot about 1.3, LeCun 1, a uniform U(-1/sqrt(n), 1/sqrt(n)) 0.58: a student's
    value between 0.4 and 2.5 is its own expected value. Outside that range (0.01 x N(0, 1) gives
    0.28 for 784 inputs, N(0, 1) gives 28) the key's value is, so the answer fails.
    """
    try:
        value = float(received)
    except (TypeError, ValueError):
        return expected
    return received if 0.4 <= value <= 2.5 else expected


DERIVATIONS = {
    "outer": _outer,
    "same": _same,
    "scaled_to_fan_in": _scaled_to_fan_in,
    "relu_kinks": _relu_kinks,
}


def expected(name: str, expected, received, *given):
    """The expected value of derivation `name`, givens in the order the key names them.

    Raises KeyError naming the known derivations: a source notebook names one that is missing.
    """
    if name not in DERIVATIONS:
        raise KeyError(f"no derivation {name!r} in autograder/derived.py (known: {', '.join(DERIVATIONS)})")
    return DERIVATIONS[name](expected, received, *given)
