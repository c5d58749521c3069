"""Kinks: where a function has no derivative, any subgradient is a right answer.

ReLU has no derivative at exactly 0: its subgradients there are every t in [0, 1]. A backward
pass may use any of them (`inputs > 0` gives 0, `inputs >= 0` gives 1), so the gradient it lets
through at such an input is t * dvalues, anywhere between 0 and dvalues. A visible check and
the grader (`autograder/derived.py`) both ask this one function what to expect, so they give
the same verdict on the same code.
"""
from __future__ import annotations

import numpy as np

from .encoding import as_numbers

KINK_ATOL = 1e-12  # slack on "between 0 and dvalues", for float32 answers


def relu_dinputs_allowing_kinks(expected, received, inputs, dvalues) -> np.ndarray:
    """ReLU's expected `dinputs`, with each entry where `inputs` is exactly 0 taken from `received`
    when that entry lies between 0 and `dvalues` there (a subgradient in [0, 1]).

    expected: ReLU's dinputs with any subgradient at 0 (e.g. `np.where(inputs > 0, dvalues, 0)`);
    received: the answer to judge, numbers of the same shape in any form (`nnkit.encoding.as_numbers`);
    inputs, dvalues: what the layer's forward and backward were given, the same shape.
    Returns `expected` as a float array, unchanged where `received` cannot be read as numbers of
    that shape (the comparison then says what is wrong with it) or lies outside the range.
    """
    expected = np.array(expected, dtype=np.float64)
    got, inputs, dvalues = (as_numbers(value) for value in (received, inputs, dvalues))
    if any(value is None or value.size != expected.size for value in (got, inputs, dvalues)):
        return expected
    got, inputs, dvalues = (value.reshape(expected.shape) for value in (got, inputs, dvalues))
    low, high = np.minimum(0.0, dvalues) - KINK_ATOL, np.maximum(0.0, dvalues) + KINK_ATOL
    allowed = (inputs == 0) & (got >= low) & (got <= high)
    expected[allowed] = got[allowed]
    return expected
