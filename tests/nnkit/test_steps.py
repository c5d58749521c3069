import numpy as np
import pytest

from nnkit.optim import Optimizer
from nnkit.questions import ANSWER_MIME, NotAnswered
from nnkit.steps import Layer, ask_steps, layer_problem, take_steps


class PlainSGD(Optimizer):
    def update_params(self, layer):
        layer.weights = layer.weights - self.current_learning_rate * layer.dweights
        layer.biases = layer.biases - self.current_learning_rate * layer.dbiases


class Broken(Optimizer):
    def update_params(self, layer):
        raise KeyError("velocity")


@pytest.fixture
def published(monkeypatch):
    records = []
    monkeypatch.setattr("IPython.display.publish_display_data", lambda data, **_: records.append(data[ANSWER_MIME]))
    return records


def test_a_problem_has_the_shapes_asked_and_is_the_same_for_the_same_seed():
    weights, biases, grads = layer_problem(3, shape=(2, 5), steps=4, scale=1e-4)
    assert weights.shape == (2, 5) and biases.shape == (1, 5) and len(grads) == 4
    assert all(dw.shape == (2, 5) and db.shape == (1, 5) and np.abs(dw).max() < 1e-3 for dw, db in grads)
    again = layer_problem(3, shape=(2, 5), steps=4, scale=1e-4)
    assert np.array_equal(weights, again[0]) and np.array_equal(grads[3][0], again[2][3][0])


def test_take_steps_reports_rates_parameters_after_each_step_and_the_count():
    weights, biases, grads = layer_problem(1, shape=(3, 2), steps=3)
    log = take_steps(PlainSGD(0.5, decay=1.0), Layer(weights, biases), grads)
    assert np.allclose(log["learning_rate"], [0.5, 0.25, 0.5 / 3])
    assert log["weights"].shape == (3, 3, 2) and log["biases"].shape == (3, 1, 2)
    assert np.allclose(log["weights"][0], weights - 0.5 * grads[0][0])
    assert log["iterations"] == 3


def test_ask_steps_answers_four_questions_named_after_the_optimizer(published):
    ask_steps("PlainSGD(0.1)", PlainSGD(0.1), *layer_problem(2, steps=2))
    assert [r["question"] for r in published] == [
        "PlainSGD(0.1): current_learning_rate at steps 1..2", "PlainSGD(0.1): weights after steps 1..2",
        "PlainSGD(0.1): biases (1, n) after steps 1..2", "PlainSGD(0.1): iterations after 2 steps"]
    assert published[1]["atol"] == 1e-6


def test_an_error_in_update_params_is_the_answer_and_names_the_method(published):
    with pytest.raises(NotAnswered, match="Broken.update_params raised KeyError"):
        ask_steps("Broken(0.1)", Broken(0.1), *layer_problem(2, steps=2))
    assert len(published) == 1 and published[0]["value"]["kind"] == "raised"
