"""Comparisons for visible checks and hidden tests, with messages that say what is wrong.

Every check names the quantity it compares. On a mismatch it raises `CheckFailure` saying what
was received, how it differs (shape, sign, scale, worst relative error) and, when the received
value matches a known mistake, a hint. A check shows the expected value only with
`reveal=True`, which visible checks use; hidden tests leave it off, so their feedback says what
differs without giving the answer away.
"""
from __future__ import annotations

import base64
import os
import traceback
import warnings
from contextlib import contextmanager

import numpy as np

RTOL = 1e-5
ATOL = 1e-8
# While nbgrader autogrades (it sets NBGRADER_EXECUTION), every comparison is also published as
# an output of this type, so the grader can re-check it outside the student's kernel.
RECORD_MIME = "application/vnd.nnkit.check+json"


class CheckFailure(AssertionError):
    """A check's verdict. Shown in notebooks and feedback as its message alone, no traceback."""

    def _render_traceback_(self):
        # IPython calls this instead of formatting a traceback, so a failed hidden test shows
        # neither the test's source lines nor the reference values written in them.
        return [f"\x1b[0;31m{type(self).__name__}\x1b[0m: {self}"]


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        if value.size <= 8:
            body = np.array2string(value, precision=6, separator=", ")
            return f"{body} (shape {value.shape}, {value.dtype})"
        return f"array of shape {value.shape}, {value.dtype}"
    return repr(value)


def _as_array(name: str, received) -> np.ndarray:
    if received is None:
        raise CheckFailure(f"{name}: received None. Did the function forget to `return` its result?")
    if isinstance(received, dict):
        raise CheckFailure(f"{name}: received a dict with keys {sorted(received)}; expected numbers.")
    try:
        array = np.asarray(received, dtype=np.float64)
    except (TypeError, ValueError):
        raise CheckFailure(
            f"{name}: received {type(received).__name__} {received!r:.80}; expected numbers."
        ) from None
    return array


def _encode(array: np.ndarray) -> dict:
    array = np.ascontiguousarray(array, dtype="<f8")
    return {"shape": list(array.shape), "f8": base64.b64encode(array.tobytes()).decode("ascii")}


def _record(check: str, name: str, **fields) -> None:
    """During autograding, publish what a check compared (see RECORD_MIME); else do nothing."""
    if not os.environ.get("NBGRADER_EXECUTION"):
        return
    try:
        from IPython.display import display
    except ImportError:
        return
    display({RECORD_MIME: {"check": check, "name": name, **fields}}, raw=True)


def _close(a, b, rtol, atol) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def _whole_factor(scale: float) -> str | None:
    """'3 times' or '1/3 of' when scale is a whole-number factor, the kind a mistake makes."""
    for value, text in ((scale, "{} times"), (1 / scale, "1/{} of")):
        if abs(value) >= 2 and np.isclose(value, round(value), rtol=1e-6):
            return text.format(round(value))
    return None


def _generic_hints(received, expected, rtol, atol) -> list[str]:
    hints = []
    if _close(received, -expected, rtol, atol) and np.any(expected != 0):
        hints.append("the sign is flipped")
    if _close(received**2, expected, rtol, atol) and np.any(np.abs(expected) > atol):
        hints.append("a square is missing")
    if _close(received, expected**2, rtol, atol) and np.any(np.abs(expected) != 1):
        hints.append("the value is squared once too often")
    nonzero = np.abs(expected) > atol
    if np.any(nonzero) and not hints:
        ratios = received[nonzero] / expected[nonzero]
        scale = ratios.flat[0]
        factor = _whole_factor(scale) if scale != 0 and np.allclose(ratios, scale, rtol=rtol) else None
        if factor:
            hints.append(f"every value is {factor} the expected one (a missing or extra factor)")
    return hints


def check_close(name: str, received, expected, *, rtol: float = RTOL, atol: float = ATOL,
                reveal: bool = False, mistakes: dict | None = None) -> None:
    """Check that `received` equals `expected` within tolerance, else raise `CheckFailure`.

    `mistakes` maps a hint ("softmax normalised over the whole batch") to the value that mistake
    produces; a matching hint is named in the message. Lists, scalars and any float dtype are
    accepted; shapes must match, except for extra length-1 axes.
    """
    expected = np.asarray(expected, dtype=np.float64)
    got = _as_array(name, received)
    _record("close", name, received=_encode(got), expected=_encode(expected), rtol=rtol, atol=atol)
    shown = f"\n  expected: {_describe(expected)}" if reveal else ""
    mistakes = {hint: np.asarray(value, dtype=np.float64) for hint, value in (mistakes or {}).items()}

    if got.shape != expected.shape:
        if got.squeeze().shape != expected.squeeze().shape:
            hints = [hint for hint, value in mistakes.items() if _close(got, value, rtol, atol)]
            if got.ndim == 2 and _close(got.T, expected, rtol, atol):
                hints.append("the result is transposed")
            raise CheckFailure(
                f"{name} has shape {got.shape}, expected shape {expected.shape}."
                + shown + "".join(f"\n  likely mistake: {hint}" for hint in hints)
            )
        got, expected = got.squeeze(), expected.squeeze()
        mistakes = {hint: value.squeeze() for hint, value in mistakes.items()}

    if np.allclose(got, expected, rtol=rtol, atol=atol):
        print(f"\u2713 {name}")
        return

    lines = [f"{name} differs from the expected value.", f"  received: {_describe(got)}"]
    if reveal:
        lines.append(f"  expected: {_describe(expected)}")
    if not np.all(np.isfinite(got)):
        where = np.argwhere(~np.isfinite(got))
        lines.append(
            f"  {len(where)} of {got.size} values are nan or inf (first at index "
            f"{tuple(int(i) for i in where[0])}): look for an overflow, e.g. exp of a large number."
        )
    else:
        bad = ~np.isclose(got, expected, rtol=rtol, atol=atol)
        error = np.abs(got - expected) / np.maximum(np.abs(expected), atol)
        worst = np.unravel_index(np.argmax(np.where(bad, error, -1)), got.shape)
        # A hidden check rounds the error to one digit: an exact error (or an exact scale factor)
        # together with the received value would give the answer away.
        size = f"{error[worst]:.3g}" if reveal else f"about {error[worst]:.0e}"
        lines.append(f"  {int(bad.sum())} of {got.size} values differ; worst relative error {size}")
        if got.ndim:
            lines[-1] += f" at index {tuple(int(i) for i in worst)}"
        if np.all(np.sign(got[bad]) == -np.sign(expected[bad])):
            lines.append("  every differing value has the opposite sign")
        hints = [hint for hint, value in mistakes.items() if _close(got, value, rtol, atol)]
        hints = hints or _generic_hints(got, expected, rtol, atol)
        lines += [f"  likely mistake: {hint}" for hint in hints]
    raise CheckFailure("\n".join(lines))


def check_keys(name: str, received, keys) -> None:
    """Check that `received` is a dict holding at least `keys` (extra keys are fine)."""
    if not isinstance(received, dict):
        raise CheckFailure(f"{name}: received {type(received).__name__}; expected a dict.")
    _record("keys", name, received=[repr(key) for key in received], expected=[repr(key) for key in keys])
    missing = [key for key in keys if key not in received]
    if missing:
        raise CheckFailure(
            f"{name} is missing the key(s) {', '.join(map(repr, missing))} "
            f"(it has {', '.join(map(repr, received))})."
        )
    print(f"\u2713 {name} has the keys {', '.join(map(repr, keys))}")


def call(function, *args, **kwargs):
    """Call a student's function; if it raises, report which function and where, by name.

    Hidden tests call student code through this, so that a crash is reported without the
    test's own source lines.
    """
    name = getattr(function, "__qualname__", function.__name__)  # "Dense.forward", not "forward"
    try:
        return function(*args, **kwargs)
    except CheckFailure:
        raise
    except NotImplementedError:
        raise CheckFailure(
            f"{name} is not implemented yet (it raises NotImplementedError)."
        ) from None
    except Exception as err:  # any error in student code becomes a named, short report
        frames = traceback.extract_tb(err.__traceback__)[1:]
        where = f" (line {frames[-1].lineno}: {frames[-1].line})" if frames else ""
        raise CheckFailure(
            f"{name} raised {type(err).__name__}: {err}{where}"
        ) from None


@contextmanager
def no_warnings(name: str, category=RuntimeWarning):
    """Fail if the block emits a warning of `category`, e.g. an overflow in `np.exp`."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # Underflow to 0 is harmless and NumPy ignores it by default; the rest must not happen.
        with np.errstate(over="warn", divide="warn", invalid="warn"):
            yield
    relevant = [w for w in caught if issubclass(w.category, category)]
    if relevant:
        raise CheckFailure(
            f"{name} warned: {relevant[0].category.__name__}: {relevant[0].message}. "
            "Rewrite it so that no step overflows or divides by zero (a numerically stable form)."
        )
    print(f"\u2713 {name} gives no {category.__name__}")


@contextmanager
def substitute(namespace: dict, **replacements):
    """Temporarily rebind names in `namespace` (a notebook's `globals()`).

    A hidden test uses it to grade one function alone, with a correct helper swapped in, so a
    mistake costs the points of the function that has it and no others.
    """
    missing = object()
    saved = {key: namespace.get(key, missing) for key in replacements}
    namespace.update(replacements)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is missing:
                namespace.pop(key, None)
            else:
                namespace[key] = value
