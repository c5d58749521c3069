import numpy as np
import pytest

from nnkit.encoding import Malformed, Opaque, Raised, decode, encode


@pytest.mark.parametrize("value", [None, True, 3, 2.5, "text", [1.0, 2.0], (1.0,), {"a": 1.0, "b": [2.0]},
                                   frozenset({"f", "g"}), Raised("ValueError", "f raised ValueError: x", "line 1")])
def test_plain_values_survive_the_round_trip(value):
    assert decode(encode(value)) == value


def test_arrays_keep_shape_and_every_bit_of_float64():
    array = np.array([[1 / 3, -0.0], [np.inf, 1e-300]])
    back = decode(encode(array))
    assert back.shape == (2, 2) and back.tobytes() == array.tobytes()


def test_nan_and_float32_are_kept_as_numbers():
    back = decode(encode(np.array([np.nan, 0.5], dtype=np.float32)))
    assert np.isnan(back[0]) and back[1] == 0.5


def test_a_tuple_stays_a_tuple_so_a_trailing_comma_is_visible():
    assert isinstance(decode(encode((2.0,))), tuple)


def test_objects_are_described_not_pickled():
    class Layer:
        def __repr__(self):
            return "Layer()"

    assert decode(encode(Layer())) == Opaque("Layer", "Layer()")


def test_a_hostile_repr_does_not_break_encoding():
    class Hostile:
        def __repr__(self):
            raise RuntimeError("no")

    assert encode(Hostile())["kind"] == "opaque"


@pytest.mark.parametrize("data", [None, {"kind": "array", "shape": [3], "f8": "AAAA"}, {"kind": "exec", "code": "1"},
                                  {"kind": "array", "shape": [10**9], "f8": ""}, {"kind": "number", "f8": "!!"}])
def test_forged_data_is_refused_as_malformed(data):
    with pytest.raises(Malformed):
        decode(data)


def _cell(source: str, filename: str, hidden: bool = False) -> dict:
    """Run `source` as a notebook cell named `filename` (IPython keeps cells in linecache)."""
    import linecache
    text = ("### BEGIN HIDDEN TESTS\n" if hidden else "") + source
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    namespace = {"np": np}
    exec(compile(text, filename, "exec"), namespace)
    return namespace


def _raised(function, *args):
    from nnkit.encoding import raised_by
    try:
        function(*args)
    except Exception as err:
        return raised_by(function.__name__, err)
    raise AssertionError("did not raise")


def test_an_error_inside_numpy_is_placed_on_the_students_line():
    cell = _cell("def dense_forward(X, W, b):\n    return X @ W.T + b\n", "/tmp/ipykernel_1/cell_dense.py")
    raised = _raised(cell["dense_forward"], np.ones((2, 3)), np.ones((3, 4)), np.zeros((1, 4)))
    assert raised.where == "line 2: return X @ W.T + b"


def test_an_error_in_numpy_s_own_code_is_placed_on_the_students_line_not_numpy_s():
    cell = _cell("def stack(parts):\n    return np.concatenate(parts)\n", "/tmp/ipykernel_1/cell_stack.py")
    raised = _raised(cell["stack"], [np.ones((2, 2)), np.ones(3)])
    assert raised.where == "line 2: return np.concatenate(parts)"


def test_an_optimizer_error_inside_nnkit_steps_is_placed_on_the_students_line():
    from nnkit.steps import Layer, layer_problem, take_steps
    cell = _cell("class SGD:\n    def pre_update_params(self):\n        pass\n"
                 "    def update_params(self, layer):\n        layer.weights -= self.lr * layer.dweights\n"
                 "    def post_update_params(self):\n        pass\n", "/tmp/ipykernel_1/cell_sgd.py")
    weights, biases, grads = layer_problem(0)
    raised = _raised(take_steps, cell["SGD"](), Layer(weights, biases), grads)
    assert raised.where == "line 5: layer.weights -= self.lr * layer.dweights"


def test_a_hidden_test_s_line_is_never_shown():
    student = _cell("def f(x):\n    return x.missing\n", "/tmp/ipykernel_1/cell_f.py")
    hidden = _cell("def _wrapper(g):\n    return g(1.0)\n", "/tmp/ipykernel_1/cell_hidden.py", hidden=True)
    assert _raised(hidden["_wrapper"], student["f"]).where == "line 2: return x.missing"
    only_hidden = _cell("def _helper(x):\n    return x.missing\n", "/tmp/ipykernel_1/cell_hidden2.py", hidden=True)
    assert _raised(only_hidden["_helper"], 1.0).where == ""


class _Series:
    """Read by NumPy through __array__, as a pandas Series is."""

    def __array__(self, dtype=None, copy=None):
        return np.array([0.5, 0.25], dtype=dtype)


@pytest.mark.parametrize("value", [np.array([0.5, 0.25], dtype=object), _Series(), np.array([np.float32(0.5), 1], dtype=object),
                                   [np.float64(0.5), np.array(0.25)], np.ma.masked_array([0.5, 0.25])])
def test_numbers_in_any_form_reach_the_grader_as_numbers(value):
    back = decode(encode(value))
    assert not isinstance(back, Opaque) and np.array_equal(np.asarray(back, dtype=float), np.asarray(value, dtype=float))


@pytest.mark.parametrize("value", [np.array(["0.5"], dtype=object), ["0.5", "1"], np.array([1 + 2j]),
                                   np.array([None, 1.0], dtype=object), [[1.0], [1.0, 2.0]], 2 ** 1100])
def test_text_complex_ragged_and_huge_values_are_not_numbers(value):
    from nnkit.encoding import as_numbers
    assert as_numbers(value) is None
