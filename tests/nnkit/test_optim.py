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


@pytest.mark.parametrize("learning_rate, decay", [(0.0, 0.0), (-1.0, 0.0), (0.1, -0.5)])
def test_a_learning_rate_that_is_not_positive_or_a_negative_decay_is_refused(learning_rate, decay):
    with pytest.raises(ValueError, match="learning_rate|decay"):
        PlainSGD(learning_rate, decay)
