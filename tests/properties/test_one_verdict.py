"""One verdict (course contract): a visible check and the grader judge the same value the same way.

For every `check_close` of every assignment's visible checks (run in this process on the
instructor's solution, `samples.visible_checks`), hypothesis draws a right or a wrong answer
(the expected value, a likely mistake's value, a scaled, negated, transposed or nan-holding
one) in any form a student's code may return it: lists, tuples, nested lists of NumPy scalars,
0-d arrays, float32, float16, object-dtype arrays of numbers, ndarray subclasses, NumPy
scalars, Python ints. The visible check (`nnkit.checks.compare`) and the grader (the value
encoded as the kernel sends it, decoded and judged as `verdicts.judge_value` does) must agree
on pass or fail and on every named likely mistake. The likely mistakes themselves are declared
once, as samples (`samples/<assignment>.py`), for the grader and the visible checks alike.
"""
from __future__ import annotations

import ast
import functools
import json
import re

import nbformat
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from autograder.course import ROOT
from autograder.grade.judge.verdicts import judge_value
from autograder.samples import load_samples
from nnkit.checks import LIKELY_MISTAKES, compare
from nnkit.encoding import decode, encode
from samples.visible_checks import declared_mistakes, run_visible_checks

ASSIGNMENTS = ("forward_propagation", "backpropagation", "gradient_checking", "optimizers", "mnist_mlp")


class Tagged(np.ndarray):
    """A student's own ndarray subclass (e.g. one that carries a name)."""


class ArrayLike:
    """An object NumPy reads through `__array__`, as a pandas Series or a tensor."""

    def __init__(self, values):
        self.values = values

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.values, dtype=dtype)


def _nested(value, leaf):
    return [_nested(item, leaf) for item in value] if isinstance(value, list) else leaf(value)


def _tuples(value):
    return tuple(_tuples(item) for item in value) if isinstance(value, list) else value


# Forms that keep every number: the verdict must not change at all.
EXACT_FORMS = {
    "float64 array": lambda v: v.copy(),
    "nested lists": lambda v: v.tolist(),
    "nested tuples": lambda v: _tuples(v.tolist()) if v.ndim else float(v),
    "lists of numpy float64": lambda v: _nested(v.tolist(), np.float64),
    "lists of 0-d arrays": lambda v: _nested(v.tolist(), np.array) if v.ndim else np.array(float(v)),
    "object-dtype array": lambda v: np.array(v.tolist(), dtype=object) if v.ndim else np.array(float(v), dtype=object),
    "object-dtype array of numpy floats": lambda v: np.array(_nested(v.tolist(), np.float64), dtype=object),
    "ndarray subclass": lambda v: v.view(Tagged),
    "masked array": lambda v: np.ma.masked_array(v),
    "an object with __array__": lambda v: ArrayLike(v.copy()),
    "numpy scalar": lambda v: np.float64(v) if v.ndim == 0 else v,
    "0-d array": lambda v: np.array(float(v)) if v.ndim == 0 else v,
    "python ints where integral": lambda v: _nested(v.tolist(), lambda x: int(x) if np.isfinite(x) and x == int(x)
                                                    else x),
    "matrix for 2-d": lambda v: np.asmatrix(v) if v.ndim == 2 else v,
    "leading axis of length 1": lambda v: v.reshape(1, *v.shape) if v.ndim else v,
}
# Forms that round: the verdict may change, but both must still agree.
ROUNDING_FORMS = {
    "float32 array": lambda v: v.astype(np.float32),
    "float16 array": lambda v: v.astype(np.float16),
    "lists of numpy float32": lambda v: _nested(v.tolist(), np.float32),
    "object-dtype array of float32": lambda v: np.array(_nested(v.tolist(), np.float32), dtype=object),
    "transposed": lambda v: v.T,
    "flattened": lambda v: v.ravel(),
}


@functools.lru_cache(maxsize=None)
def visible_checks() -> tuple:
    """Every numeric `check_close` of the five notebooks, run once per test session (about a
    minute, most of it the optimizers notebook's training)."""
    found = []
    for assignment in ASSIGNMENTS:
        for check in run_visible_checks(assignment):
            try:
                np.asarray(check.expected, dtype=np.float64)
            except (TypeError, ValueError):
                continue
            found.append(check)
    return tuple(found)


def test_every_assignment_s_visible_checks_are_found():
    names = {check.name for check in visible_checks()}
    assert len(names) > 100
    assert {"sigmoid([-2, 0, 3])", "Dense.dbiases", "relative_error of two zero arrays of shape (2, 3)",
            "Adam(learning_rate=0.01): weights after 3 steps", "model.predict(X_small)"} <= names


def hints(message: str | None) -> list[str]:
    return sorted(re.findall(r"likely mistake: (.*)", message or ""))


def grader(check, value) -> str | None:
    """The grader's verdict on `value` sent from a kernel, the key holding the check's expected value."""
    options = {key: val for key, val in check.options.items() if key != "loose_shape" or val}
    mistakes = {hint: decode(encode(m)) for hint, m in check.mistakes.items()}
    return judge_value(check.name, decode(encode(value)), decode(encode(check.expected)), options, mistakes)


def visible(check, value) -> str | None:
    return compare(check.name, value, check.expected, mistakes=check.mistakes, **check.options)


@st.composite
def answers(draw, check):
    """A base answer as float64 (right, a mistake's, or wrong in a way a mistake makes)."""
    expected = np.asarray(check.expected, dtype=np.float64)
    choices = ["right", "scaled", "negated", "nan", "shifted"] + ["mistake"] * bool(check.mistakes)
    kind = draw(st.sampled_from(choices))
    if kind == "mistake":
        value = check.mistakes[draw(st.sampled_from(sorted(check.mistakes)))]
        try:
            return np.array(value, dtype=np.float64)
        except (TypeError, ValueError):
            return expected
    if kind == "scaled":
        return expected * draw(st.sampled_from([2.0, 0.5, 3.0, 1 + 1e-3, 1 + 1e-7]))
    if kind == "negated":
        return -expected
    if kind == "nan" and expected.size:
        out = expected.copy().reshape(-1)
        out[draw(st.integers(0, expected.size - 1))] = np.nan
        return out.reshape(expected.shape)
    if kind == "shifted":
        return expected + draw(st.sampled_from([1.0, 1e-3, 1e-9]))
    return expected.copy()


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # np.matrix, one of the forms
@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_the_visible_check_and_the_grader_agree_on_any_form_of_any_answer(data):
    check = data.draw(st.sampled_from(visible_checks()), label="check")
    base = data.draw(answers(check), label="answer")
    form = data.draw(st.sampled_from(sorted(EXACT_FORMS) + sorted(ROUNDING_FORMS)), label="form")
    value = {**EXACT_FORMS, **ROUNDING_FORMS}[form](base)
    ours, theirs = visible(check, value), grader(check, value)
    assert (ours is None) == (theirs is None), f"{check.name} as {form}:\nvisible: {ours}\ngrader: {theirs}"
    assert hints(ours) == hints(theirs), f"{check.name} as {form}:\nvisible: {ours}\ngrader: {theirs}"


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_form_that_keeps_every_number_keeps_the_verdict(data):
    check = data.draw(st.sampled_from(visible_checks()), label="check")
    base = data.draw(answers(check), label="answer")
    form = data.draw(st.sampled_from(sorted(EXACT_FORMS)), label="form")
    value = EXACT_FORMS[form](base)
    plain = visible(check, base)
    for verdict in (visible(check, value), grader(check, value)):
        assert (verdict is None) == (plain is None), f"{check.name} as {form}:\n{verdict}\nplain: {plain}"
        assert hints(verdict) == hints(plain), f"{check.name} as {form}:\n{verdict}\nplain: {plain}"


def _mistake_values(source: str):
    """The values of `mistakes=` in a cell's check_close calls, as expressions."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "check_close":
            for keyword in node.keywords:
                if keyword.arg == "mistakes":
                    value = keyword.value
                    yield from (value.values if isinstance(value, ast.Dict) else [value])


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_visible_check_types_a_mistake_s_value_by_hand(assignment):
    """A mistake's value is declared once, by its sample; a check may only compute one from the
    student's own values (e.g. `a3 - 1`)."""
    nb = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code" or "check_close" not in cell.source:
            continue
        for value in _mistake_values(cell.source):
            names = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)} - {"np"}
            assert names, f"{assignment}: a hand-typed mistake value {ast.unparse(value)[:80]} (declare it in samples/)"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_likely_mistake_a_visible_check_names_is_a_sample_s(assignment):
    descriptions = {sample.description for sample in load_samples(assignment) if sample.loses}
    table = json.loads((LIKELY_MISTAKES / f"{assignment}.json").read_text())
    assert table["assignment"] == assignment
    hints = {hint for hints in table["checks"].values() for hint in hints}
    assert hints <= descriptions, hints - descriptions


@pytest.mark.notebook  # runs every sample through the visible checks: about two minutes
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_likely_mistakes_handed_to_students_are_those_the_samples_give_now(assignment):
    fresh = {"assignment": assignment, "checks": declared_mistakes(assignment)}
    assert json.loads((LIKELY_MISTAKES / f"{assignment}.json").read_text()) == fresh, (
        f"nnkit/likely_mistakes/{assignment}.json is stale: run `python -m samples.visible_checks {assignment}`")


NEW_SAMPLES = ("mistake-sigmoid-no-denominator", "mistake-softmax-columns", "mistake-dense-no-bias",
               "mistake-dense-bias-subtracted")


@pytest.mark.parametrize("student", NEW_SAMPLES)
def test_a_sample_mistake_is_named_by_every_visible_check_it_fails(student):
    """The visible check names the mistake the grader names (from the same sample), e.g. the
    softmax over axis 0 that only the visible check used to know."""
    sample = next(s for s in load_samples("forward_propagation") if s.student == student)
    failed = 0
    for check in run_visible_checks("forward_propagation", sample):
        message = visible(check, check.received)
        if message and check.name in {"sigmoid([-2, 0, 3])", "softmax([[1, 2, 3], [0, 0, 0]])",
                                      "dense_forward(X_check, W_square, b_square)"}:
            failed += 1
            assert f"likely mistake: {sample.description}" in message
    assert failed == 1
