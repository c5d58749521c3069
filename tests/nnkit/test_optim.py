import numpy as np
import pytest

from nnkit.optim import Optimizer


class PlainSGD(Optimizer):
    def update_params(self, layer):
        layer.weights = layer.weights - self.current_learning_rate * layer.dweights


def test_a_new_optimizer_has_taken_no_steps_and_uses_its_learning_rate():
    optimizer = PlainSGD(0.3, decay=0.5)
    assert optimizer.iterations == 0
    assert optimizer.current_learning_rate == optimizer.learning_rate == 0.3


def test_decay_is_inverse_time_in_the_number_of_steps_taken():
    optimizer, rates = PlainSGD(0.5, decay=0.25), []
    for _ in range(5):
        optimizer.pre_update_params()
        rates.append(optimizer.current_learning_rate)
        optimizer.post_update_params()
    assert np.allclose(rates, 0.5 / (1 + 0.25 * np.arange(5)))
    assert optimizer.iterations == 5


def test_without_an_update_rule_update_params_says_so():
    with pytest.raises(NotImplementedError, match="Optimizer has no update_params"):
        Optimizer(0.1).update_params(object())


@pytest.mark.parametrize("learning_rate, decay", [(-1.0, 0.0), (float("nan"), 0.0), (0.1, -0.5)])
def test_a_negative_learning_rate_or_decay_is_refused(learning_rate, decay):
    with pytest.raises(ValueError, match="learning_rate|decay"):
        PlainSGD(learning_rate, decay)


def test_a_learning_rate_of_zero_takes_steps_that_leave_the_weights_as_they_are():
    layer = type("Layer", (), {})()
    layer.weights, layer.dweights = np.array([1.0, -2.0]), np.array([0.5, 3.0])
    optimizer = PlainSGD(0.0, decay=0.1)
    for _ in range(3):
        optimizer.pre_update_params()
        optimizer.update_params(layer)
        optimizer.post_update_params()
    assert optimizer.iterations == 3 and optimizer.current_learning_rate == 0.0
    assert np.array_equal(layer.weights, [1.0, -2.0])
