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
