"""Kinks: where a function has no derivative, any subgradient is a right answer.

ReLU has no derivative at exactly 0: its subgradients there are every t in [0, 1]. A backward
pass may use any of them (`inputs > 0` gives 0, `inputs >= 0` gives 1), so the gradient it lets
through at such an input is t * dvalues, anywhere between 0 and dvalues. A visible check and
the grader (`autograder/derived.py`) both ask this one function what to expect, so they give
the same verdict on the same code.
"""
from __future__ import annotations

import numpy as np

KINK_ATOL = 1e-12  # slack on "between 0 and dvalues", for float32 answers


def relu_dinputs_allowing_kinks(expected, received, inputs, dvalues) -> np.ndarray:
    """ReLU's expected `dinputs`, with each entry where `inputs` is exactly 0 taken from `received`
    when that entry lies between 0 and `dvalues` there (a subgradient in [0, 1]).

    expected: ReLU's dinputs with any subgradient at 0 (e.g. `np.where(inputs > 0, dvalues, 0)`);
    received: the answer to judge, an array or nested lists of the same shape;
    inputs, dvalues: what the layer's forward and backward were given, the same shape.
    Returns `expected` as a float array, unchanged where `received` cannot be read as numbers of
    that shape (the comparison then says what is wrong with it) or lies outside the range.
    """
    expected = np.array(expected, dtype=np.float64)
    try:
        got = np.asarray(received, dtype=np.float64)
        inputs = np.asarray(inputs, dtype=np.float64).reshape(expected.shape)
        dvalues = np.asarray(dvalues, dtype=np.float64).reshape(expected.shape)
        got = got.reshape(expected.shape)
    except (TypeError, ValueError):
        return expected
    low, high = np.minimum(0.0, dvalues) - KINK_ATOL, np.maximum(0.0, dvalues) + KINK_ATOL
    allowed = (inputs == 0) & (got >= low) & (got <= high)
    expected[allowed] = got[allowed]
    return expected
