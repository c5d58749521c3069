"""Comparisons with messages that say what is wrong: visible checks, and the grader's verdicts.

`compare` names the quantity, and on a mismatch says what was received, how it differs (shape,
sign, scale, worst relative error) and, when the received value matches a known mistake, the
likely mistake. Visible checks call it in the notebook through `check_close` with
`reveal=True`, which also shows the expected value. Hidden tests never compare in the
student's kernel (see `nnkit.questions`): the grader calls the same `compare` in its own
process, without revealing, so a visible check and a grade cell give the same verdict on the
same value.
"""
from __future__ import annotations

import json
import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from .encoding import Opaque, Raised, as_numbers, decode, raised_by

RTOL = 1e-5
ATOL = 1e-8


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


class Mismatch(Exception):
    """Raised inside `compare` with the message that ends the comparison early."""


def _as_array(name: str, received, expected: np.ndarray) -> np.ndarray:
    """`received` as float64, or Mismatch saying why it is not the kind of value expected.

    A single number is expected as a number or a 0-d array, never a sequence; an array may
    come as a list or any numeric dtype.
    """
    if received is None:
        raise Mismatch(f"{name}: received None. Did the function forget to `return` its result?")
    if isinstance(received, Raised):
        raise Mismatch(received.evalue + (f" ({received.where})" if received.where else ""))
    if isinstance(received, dict):
        raise Mismatch(f"{name}: received a dict with keys {sorted(map(str, received))}; expected numbers.")
    if expected.ndim == 0 and (isinstance(received, (list, tuple))
                               or isinstance(received, np.ndarray) and received.ndim):
        kind = type(received).__name__
        size = f" of length {len(received)}" if isinstance(received, (list, tuple)) else ""
        shape = f" of shape {received.shape}" if isinstance(received, np.ndarray) else ""
        comma = " (a trailing comma after a value makes a tuple)" if isinstance(received, tuple) else ""
        raise Mismatch(f"{name}: received a {kind}{size}{shape}; expected a single number{comma}.")
    array = as_numbers(received)
    if array is None:
        raise Mismatch(f"{name}: received {_kind(received)}; expected numbers.")
    return array


def _kind(value) -> str:
    """What a value that is not numbers is, in words the grader can say too: it sees an object
    as its type's name and a short text (`nnkit.encoding.Opaque`), an array as dtype and shape."""
    if isinstance(value, Opaque):
        return f"a {value.type_name} {value.text}".strip()
    if isinstance(value, np.ndarray):
        return f"an array of {value.dtype} of shape {value.shape}"
    return f"a {type(value).__name__} {value!r:.80}"


def _strip_leading_ones(shape: tuple) -> tuple:
    while shape and shape[0] == 1:
        shape = shape[1:]
    return shape


def same_shape(received: tuple, expected: tuple, loose: bool = False) -> bool:
    """The contract's shape rule: equal, or different only by leading axes of length 1 that
    broadcast the same way (`(n,)` for `(1, n)`); never transposed (`(n, 1)` for `(1, n)`).
    `loose` also drops length-1 axes anywhere, for questions whose text allows any vector form."""
    if received == expected or _strip_leading_ones(received) == _strip_leading_ones(expected):
        return True
    return loose and tuple(n for n in received if n != 1) == tuple(n for n in expected if n != 1)


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
    if not hints and np.all((expected > 0) & (expected < 1)) and _close(1 - received, expected, rtol, atol):
        hints.append("every value is 1 minus the expected one (is the sign inside exp flipped?)")
    if received.ndim == 2 and received.shape[0] == received.shape[1] > 1 and _close(received.T, expected, rtol, atol):
        hints.append("the result is transposed")
    nonzero = np.abs(expected) > atol
    if np.any(nonzero) and not hints:
        ratios = received[nonzero] / expected[nonzero]
        scale = ratios.flat[0]
        factor = _whole_factor(scale) if scale != 0 and np.allclose(ratios, scale, rtol=rtol) else None
        if factor:
            hints.append(f"every value is {factor} the expected one (a missing or extra factor)")
    return hints


def _matching(got, mistakes: dict, rtol, atol) -> list[str]:
    # nan in the same places matches: a mistake such as dividing by 1 - beta**0 = 0 gives nan.
    hints = []
    for hint, value in mistakes.items():
        if isinstance(value, Raised) or isinstance(got, Raised):
            if isinstance(value, Raised) and isinstance(got, Raised) and value == got:
                hints.append(hint)
            continue
        value = as_numbers(value)
        if value is None:
            continue
        if same_shape(got.shape, value.shape) and np.allclose(got.reshape(value.shape) if got.size == value.size
                                                               else got, value, rtol=rtol, atol=atol, equal_nan=True):
            hints.append(hint)
    return hints


def compare(name: str, received, expected, *, rtol: float = RTOL, atol: float = ATOL,
            reveal: bool = False, mistakes: dict | None = None, loose_shape: bool = False) -> str | None:
    """Why `received` differs from `expected`, or None when it matches within tolerance.

    The one comparison behind visible checks (in the notebook, `reveal=True` shows the expected
    value) and the grader's verdicts (outside it, never revealing). `mistakes` maps a hint
    ("softmax normalised over the whole batch") to the value that mistake produces; a matching
    hint is named. Shapes follow `same_shape`; see `_as_array` for the kinds of value accepted.
    """
    expected = np.asarray(expected, dtype=np.float64)
    mistakes = mistakes or {}
    try:
        if isinstance(received, Raised):
            hints = _matching(received, mistakes, rtol, atol)
            raise Mismatch(received.evalue + (f" ({received.where})" if received.where else "")
                           + "".join(f"\n  likely mistake: {hint}" for hint in hints))
        got = _as_array(name, received, expected)
    except Mismatch as mismatch:
        return str(mismatch)
    shown = f"\n  expected: {_describe(expected)}" if reveal else ""
    if not same_shape(got.shape, expected.shape, loose_shape):
        hints = _matching(got, mistakes, rtol, atol)
        if got.ndim == 2 and _close(got.T, expected.reshape(got.T.shape) if expected.size == got.size else expected,
                                    rtol, atol):
            hints.append("the result is transposed")
        elif got.ndim == 2 and got.shape[1] == 1 and _strip_leading_ones(expected.shape) == (got.shape[0],):
            hints.append("a column where a row is expected: keep the result as a row, shape (1, n)")
        return (f"{name} has shape {got.shape}, expected shape {expected.shape}." + shown
                + "".join(f"\n  likely mistake: {hint}" for hint in hints))
    got = got.reshape(expected.shape)
    if np.allclose(got, expected, rtol=rtol, atol=atol):
        return None

    lines = [f"{name} differs from the expected value.", f"  received: {_describe(got)}"]
    if reveal:
        lines.append(f"  expected: {_describe(expected)}")
    hints = _matching(got, mistakes, rtol, atol)
    if not np.all(np.isfinite(got)):
        where = np.argwhere(~np.isfinite(got))
        first = tuple(int(i) for i in where[0]) if got.ndim else ()
        lines.append(f"  {len(where)} of {got.size} values are nan or inf (first at index {first}): look for an "
                     "overflow (exp of a large number) or a division by zero.")
        # Which division, in which step, is a step's own likely mistake (`mistakes`), never guessed here.
    else:
        bad = ~np.isclose(got, expected, rtol=rtol, atol=atol)
        with np.errstate(divide="ignore", invalid="ignore"):  # atol=0 and an expected 0: an infinite error
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
        hints = hints or _generic_hints(got, expected, rtol, atol)
    lines += [f"  likely mistake: {hint}" for hint in hints]
    return "\n".join(lines)


LIKELY_MISTAKES = Path(__file__).resolve().parent / "likely_mistakes"   # <assignment>.json
_declared: dict[str, dict] = {}   # check name -> {hint: value}, from `use_likely_mistakes`


def use_likely_mistakes(assignment: str) -> int:
    """Name, in this notebook's visible checks, the likely mistakes the course declares for
    `assignment`; returns how many checks have some.

    The mistakes are declared once, as sample submissions the grader learns from too;
    `samples/visible_checks.py` writes what each gives each visible check into
    `nnkit/likely_mistakes/<assignment>.json` as `nnkit.encoding` data, read here without
    running code. It travels with nnkit: into the student bundle, Colab and the grading
    sandbox alike. Without it the checks name only the generic mistakes (a flipped sign...).
    """
    path = LIKELY_MISTAKES / f"{assignment}.json"
    _declared.clear()
    if not path.is_file():
        return 0
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("assignment") != assignment:
        raise ValueError(f"{path} holds the likely mistakes of {data.get('assignment')!r}, not {assignment!r}")
    _declared.update({name: {hint: decode(value) for hint, value in hints.items()}
                      for name, hints in data["checks"].items()})
    return len(_declared)


def likely_mistakes(name: str, mistakes: dict | None = None) -> dict:
    """hint -> value: the mistakes the course declares for the check `name`, and `mistakes`."""
    return {**_declared.get(name, {}), **(mistakes or {})}


def check_close(name: str, received, expected, *, rtol: float = RTOL, atol: float = ATOL,
                reveal: bool = False, mistakes: dict | None = None, loose_shape: bool = False) -> None:
    """Check that `received` equals `expected` within tolerance: print a tick, or raise `CheckFailure`.

    See `compare` for what is accepted and what the message says. The likely mistakes named
    are those the course declares for `name` (`use_likely_mistakes`) and `mistakes`, for
    values a check computes from the student's own (e.g. `a3 - 1`).
    """
    message = compare(name, received, expected, rtol=rtol, atol=atol, reveal=reveal,
                      mistakes=likely_mistakes(name, mistakes), loose_shape=loose_shape)
    if message:
        raise CheckFailure(message)
    print(f"\u2713 {name}")


def check_keys(name: str, received, keys) -> None:
    """Check that `received` is a dict holding at least `keys` (extra keys are fine)."""
    if not isinstance(received, dict):
        raise CheckFailure(f"{name}: received {type(received).__name__}; expected a dict.")
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
    name = getattr(function, "__qualname__", getattr(function, "__name__", "the function"))
    try:
        return function(*args, **kwargs)
    except CheckFailure:
        raise
    except Exception as err:  # any error in student code becomes a named, short report
        raised = raised_by(name, err)
        raise CheckFailure(raised.evalue + (f" ({raised.where})" if raised.where else "")) from None


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
