"""The grader's verdict on one grade cell, from answers alone: what passes, fails and is flagged."""
import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from autograder.grade.judge import verdicts as judge
from autograder.grade.judge.key import Key
from nnkit.encoding import Raised, encode
from nnkit.questions import ANSWER_MIME


def record(question, value, check="value", **options):
    return {"check": check, "question": question, "value": encode(value), **options}


KEY = [record("f(1)", 2.0), record("f([1, 2])", np.array([2.0, 4.0]))]


def test_answers_equal_to_the_key_pass_with_a_tick_each():
    verdict = judge.judge_cell(KEY, KEY, {}, {})
    assert verdict.failure is None and verdict.passed == ["f(1)", "f([1, 2])"]


def test_a_wrong_answer_fails_without_revealing_the_expected_value():
    verdict = judge.judge_cell([record("f(1)", 2.0), record("f([1, 2])", [2.0, 5.0])], KEY, {}, {})
    assert "f([1, 2]) differs" in verdict.failure and "4." not in verdict.failure
    assert verdict.notes == []


def test_the_keys_tolerance_counts_not_the_students():
    key = [record("g", 1.0, rtol=1e-3)]
    assert judge.judge_cell([record("g", 1.0005, rtol=1e-12)], key, {}, {}).failure is None
    assert judge.judge_cell([record("g", 1.5, rtol=10.0)], key, {}, {}).failure is not None


def test_a_question_never_answered_says_why_from_the_kernel_error():
    verdict = judge.judge_cell([record("f(1)", 2.0)], KEY, {}, {}, kernel_error="NameError: name 'f' is not defined")
    assert verdict.failure == "f([1, 2]) was never answered (NameError: name 'f' is not defined)."


def test_an_answer_given_twice_earns_nothing_and_is_flagged():
    forged = [record("f(1)", 2.0), record("f(1)", 2.0), record("f([1, 2])", [2.0, 4.0])]
    verdict = judge.judge_cell(forged, KEY, {}, {})
    assert verdict.failure.startswith("not credited")
    assert [(n.kind, n.detail["questions"]) for n in verdict.notes] == [("unasked_answers", {"f(1)": 1})]


def test_an_answer_to_a_question_not_asked_is_flagged():
    verdict = judge.judge_cell(KEY + [record("h", 1.0)], KEY, {}, {})
    assert verdict.failure.startswith("not credited")
    assert [(n.kind, n.detail["questions"]) for n in verdict.notes] == [("unasked_answers", {"h": 1})]


def test_a_malformed_answer_is_flagged_and_the_question_unanswered():
    bad = [{"check": "value", "question": "f(1)", "value": {"kind": "array", "shape": [2], "f8": "xx"}}, KEY[1]]
    verdict = judge.judge_cell(bad, KEY, {}, {})
    assert verdict.notes[0].kind == "malformed_answer" and "never answered" in verdict.failure


def test_a_sample_mistakes_answer_names_the_likely_mistake():
    hints = {("value", "f([1, 2])", 0): {"f adds instead of multiplying": encode([3.0, 4.0])}}
    verdict = judge.judge_cell([record("f(1)", 2.0), record("f([1, 2])", [3.0, 4.0])], KEY, hints, {})
    assert "likely mistake: f adds instead of multiplying" in verdict.failure
    assert verdict.mistakes == ["f adds instead of multiplying"]


def test_an_error_answer_matching_a_sample_error_names_the_mistake():
    error = Raised("ValueError", "f raised ValueError: shapes (2,3) and (2,3) not aligned")
    hints = {("value", "f(1)", 0): {"f multiplies by W.T": encode(error)}}
    verdict = judge.judge_cell([record("f(1)", error)], KEY, hints, {})
    assert verdict.failure.startswith("f raised ValueError") and "f multiplies by W.T" in verdict.failure
    assert verdict.mistakes == ["f multiplies by W.T"]


def test_dict_answers_grade_only_the_named_keys_and_welcome_extra_ones():
    key = [record("fp", {"loss": 1.0, "y_pred": 3.0}, keys=["loss"])]
    assert judge.judge_cell([record("fp", {"loss": 1.0, "mine": 7.0})], key, {}, {}).failure is None
    failure = judge.judge_cell([record("fp", {"loss": 2.0})], key, {}, {}).failure
    assert failure.startswith("fp['loss'] differs")


def test_a_derived_expected_value_comes_from_the_students_own_earlier_answer():
    key = [record("delta3", [1.0, 2.0]), record("dW3", np.ones((2, 2)), derive="outer", given=["delta3", "a2"])]
    answered = {"a2": np.array([1.0, 1.0])}
    wrong_delta = [record("delta3", [2.0, 2.0]), record("dW3", [[2.0, 2.0], [2.0, 2.0]])]
    verdict = judge.judge_cell(wrong_delta, key, {}, answered)
    assert verdict.failure.startswith("delta3 differs") and verdict.passed == []
    assert judge.judge_cell([record("dW3", [[2.0, 2.0], [2.0, 2.0]])], key[1:], {}, {"delta3": np.array([2.0, 2.0]),
                                                                                    "a2": np.ones(2)}).failure is None


def test_warnings_fail_the_cell_with_a_stable_form_hint():
    key = [record("s", [], check="warnings")]
    failure = judge.judge_cell([record("s", ["RuntimeWarning: overflow encountered in exp"], check="warnings")],
                               key, {}, {}).failure
    assert "s warned: RuntimeWarning: overflow" in failure and "numerically stable" in failure


def _notebook(records_by_cell):
    cells = []
    for gid, records in records_by_cell:
        cell = new_code_cell("ask(...)")
        if gid:
            cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": gid,
                                         "points": 1, "schema_version": 3}
        cell.outputs = [new_output("display_data", data={ANSWER_MIME: r, "text/plain": "asked"}) for r in records]
        cells.append(cell)
    return new_notebook(cells=cells)


def test_a_notebook_verdict_replaces_outputs_and_strips_every_answer():
    nb = _notebook([(None, [record("f(1)", 2.0)]), ("q", [record("f(1)", 2.0), record("f([1, 2])", [9.0, 9.0])])])
    verdict = judge.judge_notebook(nb, Key(answers={"q": KEY}))
    assert [(n.kind, n.cell) for n in verdict.notes] == [("answers_outside", "1")]
    assert nb.cells[1].outputs[-1].output_type == "error" and nb.cells[1].outputs[0].text == "\u2713 f(1)\n"
    assert ANSWER_MIME not in nbformat.writes(nb)
