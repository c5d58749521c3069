"""What a hidden test does in a student's kernel: ask questions and report the answers, nothing else.

A grade cell calls the student's code on inputs and reports what came out:

    for x in inputs:
        ask(f"f of shape {np.shape(x)}", f, x)           # reports f(x), or what f raised
    with watch_warnings("f of huge inputs"):             # reports the RuntimeWarnings raised
        ask("f of huge inputs", f, huge, atol=1e-12)

It never holds an expected value, a mistake's value or a reference implementation. The grader
runs the same cell on the instructor's source notebook in a sandbox of its own; those answers
are the key. It then compares the two in its own process (`autograder/judge.py`), with the
tolerances the key's run asked for, and writes the verdict into the graded notebook.

Each answer is published as a display output of type `ANSWER_MIME`, holding the question, the
value as `nnkit.encoding` data and the comparison options. Outside grading the same output shows
as one plain-text line, so a source notebook run by hand says what each grade cell asked.
"""
from __future__ import annotations

import warnings
from contextlib import contextmanager

import numpy as np

from .encoding import encode, raised_by

ANSWER_MIME = "application/vnd.nnkit.answer+json"


class NotAnswered(Exception):
    """The student's function raised: the question is answered with what it raised, and the
    grade cell stops here. Shown as its message alone."""

    def _render_traceback_(self):
        return [f"{type(self).__name__}: {self}"]


def _publish(check: str, question: str, value, options: dict) -> None:
    from IPython.display import publish_display_data

    record = {"check": check, "question": question, "value": encode(value), **options}
    publish_display_data({ANSWER_MIME: record, "text/plain": f"asked: {question}"})


def answer(question: str, value, *, rtol: float | None = None, atol: float | None = None,
           loose_shape: bool = False, keys: tuple[str, ...] = (), derive: str | None = None,
           given: tuple[str, ...] = ()):
    """Report `value` as the answer to `question` and return it unchanged.

    rtol, atol: the tolerance of the comparison (defaults: `nnkit.checks.RTOL`, `ATOL`).
    loose_shape: accept any shape with the same values once length-1 axes are dropped (for
        questions whose text allows a vector as a row, a column or flat).
    keys: for a dict answer, the keys that are graded (default: every key of the key's dict);
        a student's extra keys are always welcome.
    derive, given: the expected value is not the key's own answer but the grader's function
        `derive` (in `autograder/derived.py`) applied to the student's answers to the questions
        named in `given`, so that one mistake costs one cell.
    Only the key's options count; a student's kernel cannot change them.
    """
    options = {key: val for key, val in (("rtol", rtol), ("atol", atol)) if val is not None}
    if loose_shape:
        options["loose_shape"] = True
    if keys:
        options["keys"] = list(keys)
    if derive:
        options.update(derive=derive, given=list(given))
    _publish("value", question, value, options)
    return value


def ask(question: str, function, *args, rtol: float | None = None, atol: float | None = None,
        loose_shape: bool = False, keys: tuple[str, ...] = (), derive: str | None = None,
        given: tuple[str, ...] = (), **kwargs):
    """Call `function(*args, **kwargs)`, report what it returned as the answer to `question`, return it.

    rtol, atol, loose_shape, keys, derive, given: as for `answer`.

    If it raises, the answer is what it raised (type, message, the student's line: `nnkit.encoding.student_line`) and
    `NotAnswered` stops the grade cell, so later questions that need this result go unanswered.
    """
    try:
        value = function(*args, **kwargs)
    except Exception as err:  # any error in student code is an answer, reported by name
        raised = raised_by(getattr(function, "__qualname__", getattr(function, "__name__", "the function")), err)
        answer(question, raised)
        raise NotAnswered(raised.evalue) from None
    return answer(question, value, rtol=rtol, atol=atol, loose_shape=loose_shape, keys=keys,
                  derive=derive, given=given)


@contextmanager
def watch_warnings(question: str, category=RuntimeWarning):
    """Report the warnings of `category` the block emits (e.g. overflow in `np.exp`) as a list.

    The key's run of a correct solution reports none; the grader fails a cell whose student
    run reports any. A warning raised as an error inside the block is reported too.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # Underflow to 0 is harmless and NumPy ignores it by default; the rest must not happen.
        with np.errstate(over="warn", divide="warn", invalid="warn"):
            try:
                yield
            finally:
                seen = [f"{w.category.__name__}: {w.message}" for w in caught if issubclass(w.category, category)]
                _publish("warnings", question, seen, {})
