import warnings

import numpy as np
import pytest

from nnkit.checks import CheckFailure, call, check_close, check_keys, compare, no_warnings, substitute
from nnkit.encoding import Raised


def failure(*args, **kwargs) -> str:
    with pytest.raises(CheckFailure) as info:
        check_close(*args, **kwargs)
    return str(info.value)


def test_close_values_pass_and_print_a_tick(capsys):
    check_close("sigmoid(0)", 0.5 + 1e-9, 0.5)
    assert "\u2713 sigmoid(0)" in capsys.readouterr().out


def test_lists_float32_and_extra_length_one_axes_are_accepted():
    check_close("a", [1.0, 2.0], np.array([1.0, 2.0]))
    check_close("b", np.float32([0.1, 0.2]), [0.1, 0.2])
    check_close("c", [[1.0, 2.0]], [1.0, 2.0])


def test_message_names_the_quantity_the_received_value_and_the_worst_error():
    message = failure("tanh", [1.0, 2.5], [1.0, 2.0], reveal=True)
    assert message.startswith("tanh differs")
    assert "received: [1. , 2.5]" in message
    assert "1 of 2 values differ; worst relative error 0.25 at index (1,)" in message


def test_hidden_check_never_shows_the_expected_value():
    message = failure("loss", 0.123456, 0.987654)
    assert "0.987654" not in message and "expected:" not in message


def test_hidden_check_rounds_the_error_so_the_answer_cannot_be_solved_for():
    message = failure("loss", 0.123456, 0.987654)
    assert "worst relative error about 9e-01" in message
    assert "times the expected" not in message  # 0.125 is no whole-number factor


def test_a_whole_number_factor_is_named_in_hidden_checks_too():
    assert "every value is 1/3 of the expected one" in failure("loss", [1.0, 2.0], [3.0, 6.0])


def test_visible_check_shows_the_expected_value():
    assert "expected: 0.987654" in failure("loss", 0.123456, 0.987654, reveal=True)


def test_flipped_sign_is_named():
    assert "likely mistake: the sign is flipped" in failure("dy_pred", [-1.0, 2.0], [1.0, -2.0])


def test_missing_square_is_named():
    assert "likely mistake: a square is missing" in failure("loss", -3.0, 9.0)


def test_constant_factor_is_named():
    assert "every value is 4 times the expected one" in failure("loss", [4.0, 8.0], [1.0, 2.0])


def test_transposed_result_is_named_on_a_shape_mismatch():
    expected = np.arange(6.0).reshape(2, 3)
    message = failure("dense_forward", expected.T, expected)
    assert "has shape (3, 2), expected shape (2, 3)" in message
    assert "likely mistake: the result is transposed" in message


def test_a_known_mistake_overrides_the_generic_hints():
    Z = np.array([[1.0, 2.0], [3.0, 1.0]])
    whole_batch = np.exp(Z) / np.exp(Z).sum()
    row_wise = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    message = failure("softmax", whole_batch, row_wise, mistakes={"normalised over the whole batch": whole_batch})
    assert "likely mistake: normalised over the whole batch" in message


def test_a_mistake_that_gives_nan_is_named_when_the_nan_are_in_the_same_places():
    # Adam's bias correction counted from 0 divides by 1 - beta**0 = 0 at the first step.
    nan = np.full((2, 3), np.nan)
    message = failure("Adam weights", nan, np.ones((2, 3)), mistakes={"counts steps from 0": nan})
    assert "division by zero" in message
    assert "likely mistake: counts steps from 0" in message
    other = failure("Adam weights", [[np.nan, 1, 1], [1, 1, 1]], np.ones((2, 3)), mistakes={"counts steps from 0": nan})
    assert "likely mistake" not in other


def test_nan_and_inf_are_located():
    message = failure("softmax", [0.5, np.nan], [0.5, 0.5])
    assert "1 of 2 values are nan or inf (first at index (1,))" in message


@pytest.mark.parametrize("received, phrase", [(None, "forget to `return`"),
                                              ({"a": 1}, "received a dict"),
                                              ("text", "received a str")])
def test_non_numbers_are_reported_by_type(received, phrase):
    assert phrase in failure("f(x)", received, 1.0)


def test_check_keys_accepts_extra_keys_and_names_missing_ones():
    check_keys("out", {"a": 1, "b": 2, "extra": 3}, ["a", "b"])
    with pytest.raises(CheckFailure, match="missing the key\\(s\\) 'b'"):
        check_keys("out", {"a": 1}, ["a", "b"])


def test_call_reports_unimplemented_functions_by_name():
    def sigmoid(z):
        raise NotImplementedError()
    with pytest.raises(CheckFailure, match="sigmoid is not implemented yet"):
        call(sigmoid, 0.0)


def test_call_reports_the_error_and_the_students_line():
    def relu(Z):
        return Z.nonexistent
    with pytest.raises(CheckFailure, match=r"relu raised AttributeError: .*\(line \d+: return Z.nonexistent\)"):
        call(relu, np.zeros(2))


def test_failures_render_as_their_message_alone_in_ipython():
    assert CheckFailure("x differs")._render_traceback_() == ["\x1b[0;31mCheckFailure\x1b[0m: x differs"]


def test_no_warnings_fails_on_overflow_but_not_on_underflow():
    with no_warnings("exp"):
        np.exp(np.array([-1000.0]))
    with pytest.raises(CheckFailure, match="overflow"):
        with no_warnings("exp"):
            np.exp(np.array([1000.0]))


def test_no_warnings_ignores_other_categories():
    with no_warnings("f"):
        warnings.warn("just a note", UserWarning)


def test_substitute_swaps_names_and_restores_them():
    namespace = {"sigmoid": "student's"}
    with substitute(namespace, sigmoid="reference", helper="new"):
        assert namespace == {"sigmoid": "reference", "helper": "new"}
    assert namespace == {"sigmoid": "student's"}


# --- the contract's shape and kind rules, the same in visible checks and the grader -----------

@pytest.mark.parametrize("received", [np.zeros(3), np.zeros((1, 3)), [0.0, 0.0, 0.0]])
def test_a_row_passes_as_a_row_or_flat(received):
    assert compare("db", received, np.zeros((1, 3))) is None


def test_a_column_never_passes_for_a_row():
    message = compare("db", np.zeros((3, 1)), np.zeros((1, 3)))
    assert "shape (3, 1)" in message and "transposed" in message


@pytest.mark.parametrize("received", [(2.0,), [2.0], np.array([2.0])])
def test_a_scalar_is_never_a_sequence(received):
    assert "expected a single number" in compare("dw2", received, 2.0)


def test_a_trailing_comma_tuple_is_named():
    assert "trailing comma" in compare("dw2", (2.0,), 2.0)


@pytest.mark.parametrize("received", [2.0, np.float32(2.0), np.array(2.0), 2])
def test_a_scalar_passes_as_any_number(received):
    assert compare("dw2", received, 2.0) is None


def test_loose_shape_accepts_a_column_for_a_flat_vector():
    assert compare("delta", np.ones((3, 1)), np.ones(3), loose_shape=True) is None
    assert compare("delta", np.ones((3, 1)), np.ones(3)) is not None


def test_a_nan_message_is_about_the_step_at_hand_only():
    message = compare("softmax([[1, 2, 3]])", np.array([[np.nan, 0.5, 0.5]]), np.array([[0.09, 0.24, 0.67]]))
    assert "overflow" in message and "division by zero" in message
    assert "beta" not in message and "step count" not in message


def test_a_step_s_own_nan_mistake_is_named_by_its_mistakes():
    t_from_0 = "Adam's bias correction counts steps from 0: use t = iterations + 1"
    message = compare("Adam step", np.array([np.nan, np.nan]), np.array([0.5, 1.0]),
                      mistakes={t_from_0: np.full(2, np.nan)})
    assert f"likely mistake: {t_from_0}" in message


def test_an_error_answer_is_reported_with_its_line():
    message = compare("f(1)", Raised("ValueError", "f raised ValueError: bad", "line 2: x @ W.T"), 1.0)
    assert message.startswith("f raised ValueError: bad") and "line 2" in message


def _declare(tmp_path, monkeypatch, assignment, checks, filename=None):
    import json
    from nnkit.encoding import encode
    table = {"assignment": assignment, "checks": {name: {hint: encode(value) for hint, value in hints.items()}
                                                  for name, hints in checks.items()}}
    (tmp_path / f"{filename or assignment}.json").write_text(json.dumps(table))
    monkeypatch.setattr("nnkit.checks.LIKELY_MISTAKES", tmp_path)
    monkeypatch.setattr("nnkit.checks._declared", {})  # this test's table only, gone after it


def test_a_declared_mistake_is_named_by_its_visible_check(tmp_path, monkeypatch):
    from nnkit.checks import use_likely_mistakes
    axis0 = "softmax normalised over columns (axis=0) instead of rows"
    _declare(tmp_path, monkeypatch, "forward_propagation", {"softmax(Z)": {axis0: [[0.25, 0.75]]}})
    assert use_likely_mistakes("forward_propagation") == 1
    assert f"likely mistake: {axis0}" in failure("softmax(Z)", np.array([[0.25, 0.75]], dtype=object), [[0.5, 0.5]])
    assert axis0 not in failure("relu(Z)", [[0.25, 0.75]], [[0.5, 0.5]])  # another check's mistake is not its


def test_likely_mistakes_of_another_assignment_are_refused(tmp_path, monkeypatch):
    from nnkit.checks import use_likely_mistakes
    _declare(tmp_path, monkeypatch, "optimizers", {"x": {"hint": 1.0}}, filename="forward_propagation")
    with pytest.raises(ValueError, match="likely mistakes of 'optimizers', not 'forward_propagation'"):
        use_likely_mistakes("forward_propagation")
