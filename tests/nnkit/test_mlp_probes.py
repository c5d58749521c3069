"""nnkit.mlp_probes: the inputs of assignment 5's checks, and what watch_fit sees a fit do."""
import numpy as np
import pytest
from tqdm.auto import trange

from nnkit.mlp_probes import numbered_digits, row_numbers, set_parameters, small_network, watch_fit


class Layer:
    def __init__(self):
        self.weights, self.biases = np.zeros((2, 2)), np.zeros((1, 2))


class Model:
    """A spy's subject: fit calls train_step on minibatches, shuffled as `order` says."""

    def __init__(self, order="shuffle", bar=True, via_function=False):
        self.layers = [Layer(), Layer()]
        self.rng = np.random.default_rng(0)
        self.order, self.bar, self.via_function = order, bar, via_function

    def train_step(self, X, y, optimizer):
        return train_step_function(self, X, y, optimizer) if not self.via_function else 0.0

    def fit(self, X, y, epochs, batch_size, optimizer, namespace):
        for _ in (trange(epochs) if self.bar else range(epochs)):
            order = {"shuffle": self.rng.permutation(len(X)), "none": np.arange(len(X)),
                     "same": np.random.default_rng(1).permutation(len(X))}[self.order]
            for start in range(0, len(X), batch_size):
                batch = order[start:start + batch_size]
                step = namespace["mlp_train_step"] if self.via_function else self.train_step
                args = (self, X[batch], y[batch], optimizer) if self.via_function else (X[batch], y[batch], optimizer)
                step(*args)


def train_step_function(model, X, y, optimizer):
    return 0.0


def test_small_network_is_the_same_for_the_same_seed_and_set_parameters_copies_it():
    a, b = small_network([4, 5, 3], 1), small_network([4, 5, 3], 1)
    assert all(np.array_equal(x, y) for x, y in zip(a[0] + a[1] + [a[2], a[3]], b[0] + b[1] + [b[2], b[3]]))
    assert [w.shape for w in a[0]] == [(4, 5), (5, 3)] and a[2].shape == (6, 4) and a[3].shape == (6,)
    model = Model()
    set_parameters(model, a[0][:2], a[1][:2])
    model.layers[0].weights[0, 0] += 1
    assert a[0][0][0, 0] != model.layers[0].weights[0, 0]


def test_numbered_digits_carry_their_numbers_through_float32():
    X, Y = numbered_digits(12, 5, 3, seed=0, first=4)
    assert row_numbers(X.astype(np.float32)[[3, 0]]) == [7, 4]
    assert Y.argmax(axis=1).tolist() == [i % 3 for i in range(4, 16)]


@pytest.mark.parametrize("via_function", [False, True])
def test_a_correct_fit_shuffles_anew_each_epoch_keeps_labels_and_shows_a_bar(via_function):
    namespace = {"mlp_train_step": train_step_function}
    model, optimizer = Model(via_function=via_function), object()
    X, Y = numbered_digits(12, 5, 3, seed=0)
    with watch_fit(model, namespace) as record:
        model.fit(X, Y, 3, 4, optimizer, namespace)
    assert record.properties(12, 3, optimizer) == {
        "batch_sizes": [4] * 9, "every_sample_once_per_epoch": True, "first_epoch_shuffled": True,
        "new_order_each_epoch": True, "labels_follow_samples": True, "optimizer_reaches_train_step": True,
        "progress_bar": True}
    assert namespace["mlp_train_step"] is train_step_function and "train_step" not in vars(model)


@pytest.mark.parametrize("order, broken", [("none", "first_epoch_shuffled"), ("same", "new_order_each_epoch")])
def test_a_fit_that_does_not_reshuffle_is_seen(order, broken):
    model, optimizer = Model(order=order), object()
    X, Y = numbered_digits(12, 5, 3, seed=0)
    with watch_fit(model, {}) as record:
        model.fit(X, Y, 3, 4, optimizer, {})
    seen = record.properties(12, 3, optimizer)
    assert seen[broken] is False and seen["every_sample_once_per_epoch"] is True


def test_a_fit_without_a_bar_or_with_another_optimizer_or_unshuffled_labels_is_seen():
    model = Model(bar=False)
    X, Y = numbered_digits(12, 5, 3, seed=0)
    with watch_fit(model, {}) as record:
        model.fit(X, Y[::-1], 2, 4, "another optimizer", {})
    seen = record.properties(12, 3, object())
    assert seen["progress_bar"] is False
    assert seen["labels_follow_samples"] is False and seen["optimizer_reaches_train_step"] is False
