"""Values as plain JSON, and back, without pickle: how a kernel's answers reach the grader.

`encode` turns what a student's function returned (a number, an array, a list, a dict, None, an
error it raised, or anything else) into JSON-safe data that keeps what grading needs: the kind
of value (a tuple is not a number), the shape, the dtype and every number exactly (IEEE
float64 bytes, base64). `decode` rebuilds an equivalent Python value from that data alone,
never running code, so the grading process can read what an untrusted kernel sent.
`as_numbers` is the one reading of a value as numbers, for the kernel and the visible checks;
`raised_by` says what a student's function raised, on the student's own line.
"""
from __future__ import annotations

import base64
import linecache
import numbers
import sysconfig
import traceback
from pathlib import Path

import numpy as np

MAX_ITEMS = 10_000        # elements of an array, or items of a list or dict, kept
MAX_DEPTH = 6             # nesting of lists and dicts kept


class Raised:
    """What a student's function raised instead of returning: its type, message and line."""

    def __init__(self, ename: str, evalue: str, where: str = ""):
        self.ename, self.evalue, self.where = ename, evalue, where

    def __eq__(self, other) -> bool:
        return isinstance(other, Raised) and (self.ename, self.evalue) == (other.ename, other.evalue)

    def __repr__(self) -> str:
        return f"{self.ename}: {self.evalue}"


HIDDEN_MARK = "### BEGIN HIDDEN TESTS"   # a cell holding it is a hidden test's, never the student's
# Code that is not the student's: nnkit, and Python's own and installed packages (numpy...).
_NOT_STUDENT = tuple(str(Path(path).resolve()) for path in
                     {str(Path(__file__).resolve().parent),
                      *(sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib"))})


def student_line(tb) -> str:
    """'line N: code' of the last frame of traceback `tb` in the student's own code: a cell of
    the notebook or a module beside it; never nnkit, NumPy, Python's library or a hidden test
    (whose line would show the grader's code). Empty when no frame is the student's.
    """
    for frame in reversed(traceback.extract_tb(tb)):
        filename = frame.filename
        try:
            resolved = str(Path(filename).resolve()) if not filename.startswith("<") else filename
        except (OSError, ValueError):
            resolved = filename
        if resolved.startswith(_NOT_STUDENT) or HIDDEN_MARK in "".join(linecache.getlines(filename)):
            continue
        return f"line {frame.lineno}: {frame.line}" if frame.line else f"line {frame.lineno}"
    return ""


def raised_by(name: str, error: BaseException) -> Raised:
    """What the student's function `name` raised, as the feedback says it: its type, message
    and the student's line (`student_line`). NotImplementedError reads "not implemented yet"."""
    where = student_line(error.__traceback__)
    if isinstance(error, NotImplementedError):
        return Raised("NotImplementedError", f"{name} is not implemented yet", where)
    return Raised(type(error).__name__, f"{name} raised {type(error).__name__}: {error}", where)


class Opaque:
    """A value the grader cannot compare as numbers: its type name and a short repr."""

    def __init__(self, type_name: str, text: str):
        self.type_name, self.text = type_name, text

    def __eq__(self, other) -> bool:
        return isinstance(other, Opaque) and (self.type_name, self.text) == (other.type_name, other.text)

    def __repr__(self) -> str:
        return f"<{self.type_name} {self.text}>"


NUMERIC_KINDS = "biuf"   # NumPy dtype kinds read as numbers: bool, ints, unsigned ints, floats


def _is_real(value) -> bool:
    return isinstance(value, (numbers.Real, np.bool_)) or (
        isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in NUMERIC_KINDS)


def _array_like(value) -> bool:
    """An object NumPy reads through `__array__` (a pandas Series, a tensor), not a mapping or text."""
    return hasattr(type(value), "__array__") and not isinstance(value, (dict, str, bytes))


def as_numbers(value) -> np.ndarray | None:
    """`value` as a float64 array when it is numbers in any form, else None.

    Numbers are real numbers (Python's, NumPy's scalars, bools) and arrays, ndarray subclasses,
    objects NumPy reads as arrays (`__array__`) and rectangular nested lists or tuples of them,
    object-dtype arrays of them included; never
    text ("1.5"), complex numbers, None or ragged lists. The one reading of a value as numbers:
    visible checks (`nnkit.checks.compare`) use it in the notebook, and `encode` uses it in the
    kernel, so the grader receives exactly the numbers the visible check compares.
    """
    try:
        if _is_real(value):
            return np.asarray(float(value), dtype=np.float64)
        if not isinstance(value, (np.ndarray, list, tuple)) and not _array_like(value):
            return None
        array = np.asarray(value)
        if array.dtype.kind in NUMERIC_KINDS:
            return array.astype(np.float64)
        if array.dtype.kind != "O" or not all(_is_real(item) for item in array.flat):
            return None
        return np.array([float(item) for item in array.flat], dtype=np.float64).reshape(array.shape)
    except (TypeError, ValueError, OverflowError):  # ragged, or a number too large for a float
        return None


def _f8(values: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(values, dtype="<f8").tobytes()).decode("ascii")


def _short(value) -> str:
    try:
        text = repr(value)
    except Exception:  # a student's __repr__ may raise: the type is enough then
        text = "?"
    return text[:200]


def encode(value, depth: int = 0) -> dict:
    """JSON-safe data describing `value`; see the module docstring. Never raises."""
    try:
        if value is None:
            return {"kind": "none"}
        if isinstance(value, Raised):
            return {"kind": "raised", "ename": value.ename, "evalue": value.evalue[:500], "where": value.where[:300]}
        if isinstance(value, (bool, np.bool_)):
            return {"kind": "bool", "value": bool(value)}
        if isinstance(value, numbers.Real):
            return {"kind": "number", "type": type(value).__name__, "f8": _f8(np.array([float(value)]))}
        if isinstance(value, np.ndarray):
            # An object-dtype array of numbers is numbers, as a visible check reads it.
            array = as_numbers(value) if value.size <= MAX_ITEMS else None
            if array is None:
                return {"kind": "opaque", "type": f"ndarray {value.dtype} {value.shape}", "text": ""}
            return {"kind": "array", "shape": list(array.shape), "dtype": str(value.dtype), "f8": _f8(array)}
        if isinstance(value, (list, tuple)) and depth < MAX_DEPTH and len(value) <= MAX_ITEMS:
            return {"kind": type(value).__name__ if type(value) in (list, tuple) else "list",
                    "items": [encode(item, depth + 1) for item in value]}
        if isinstance(value, dict) and depth < MAX_DEPTH and len(value) <= MAX_ITEMS:
            return {"kind": "dict", "items": [[_short(k) if not isinstance(k, str) else k, encode(v, depth + 1)]
                                              for k, v in value.items()]}
        if isinstance(value, (set, frozenset)) and len(value) <= MAX_ITEMS:
            return {"kind": "set", "items": sorted(_short(v) if not isinstance(v, str) else v for v in value)}
        if isinstance(value, str):
            return {"kind": "str", "value": value[:2000]}
        if _array_like(value):  # read as a visible check reads it: numbers, or else described
            array = as_numbers(value)
            if array is not None and array.size <= MAX_ITEMS:
                return {"kind": "array", "shape": list(array.shape), "dtype": type(value).__name__, "f8": _f8(array)}
    except Exception as err:  # a hostile object's __len__ or __float__: describe, do not fail
        return {"kind": "opaque", "type": type(value).__name__, "text": f"could not be read ({type(err).__name__})"}
    return {"kind": "opaque", "type": type(value).__name__, "text": _short(value)}


class Malformed(ValueError):
    """Data that `encode` cannot have written."""


def _floats(data: dict, count: int) -> np.ndarray:
    raw = base64.b64decode(str(data["f8"]), validate=True)
    if len(raw) != 8 * count:
        raise Malformed(f"{len(raw)} bytes for {count} numbers")
    return np.frombuffer(raw, dtype="<f8").astype(np.float64)


def decode(data, depth: int = 0):
    """The value `data` describes (float64 arrays, floats, lists, dicts...). Raises Malformed."""
    if not isinstance(data, dict) or depth > MAX_DEPTH + 1:
        raise Malformed("not an encoded value")
    kind = data.get("kind")
    try:
        if kind == "none":
            return None
        if kind == "raised":
            return Raised(str(data["ename"]), str(data["evalue"]), str(data.get("where", "")))
        if kind == "bool":
            return bool(data["value"])
        if kind == "number":
            number = float(_floats(data, 1)[0])
            return int(number) if data.get("type") == "int" and number.is_integer() else number
        if kind == "array":
            shape = tuple(int(n) for n in data["shape"])
            if any(n < 0 for n in shape) or int(np.prod(shape)) > MAX_ITEMS:
                raise Malformed(f"shape {shape}")
            return _floats(data, int(np.prod(shape))).reshape(shape)
        if kind in ("list", "tuple"):
            items = [decode(item, depth + 1) for item in data["items"]]
            return items if kind == "list" else tuple(items)
        if kind == "dict":
            return {str(k): decode(v, depth + 1) for k, v in data["items"]}
        if kind == "set":
            return frozenset(str(v) for v in data["items"])
        if kind == "str":
            return str(data["value"])
        if kind == "opaque":
            return Opaque(str(data["type"]), str(data["text"]))
    except Malformed:
        raise
    except (KeyError, TypeError, ValueError, IndexError) as err:
        raise Malformed(f"{kind}: {type(err).__name__}") from None
    raise Malformed(f"unknown kind {kind!r}")
