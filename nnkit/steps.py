"""Asking an optimizer to take steps: the inputs of the optimizer questions, and the questions.

Visible checks and hidden tests of assignment 4 give an optimizer a plain `Layer` and a
sequence of gradients (`layer_problem` draws them from a seeded generator, so the answer key's
run and a student's run see the same numbers) and watch what it does, one step per gradient
pair. `take_steps` returns what happened; `ask_steps` reports it as a hidden test's answers
(`nnkit.questions`): the learning rate of every step, the weights and biases after every step
and the step count. Nothing here knows what a correct optimizer would do.
"""
from __future__ import annotations

import numpy as np

from .questions import answer, ask


class Layer:
    """What an optimizer sees of a layer: `weights`, `biases` (1, n) and their gradients."""

    def __init__(self, weights, biases):
        self.weights = np.array(weights, dtype=float)
        self.biases = np.array(biases, dtype=float)
        self.dweights = np.zeros_like(self.weights)
        self.dbiases = np.zeros_like(self.biases)


def layer_problem(seed: int, shape: tuple[int, int] = (3, 4), steps: int = 5, scale: float = 1.0):
    """(weights, biases, grads) drawn from N(0, 1) by NumPy's generator seeded with `seed`.

    weights: shape `shape` (n_inputs, n_neurons); biases: (1, n_neurons); grads: `steps` pairs
    (dweights, dbiases) of those shapes, times `scale`.
    """
    rng = np.random.default_rng(seed)
    weights = rng.normal(size=shape)
    biases = rng.normal(size=(1, shape[1]))
    grads = [(scale * rng.normal(size=shape), scale * rng.normal(size=(1, shape[1]))) for _ in range(steps)]
    return weights, biases, grads


def _snapshot(value):
    """A float copy of a parameter, or the value itself when it is not numbers."""
    try:
        return np.array(value, dtype=float)
    except (TypeError, ValueError):
        return value


def _stacked(snapshots: list):
    """Snapshots of one parameter as one array (step first), or the list when shapes differ."""
    try:
        return np.stack(snapshots)
    except (TypeError, ValueError):
        return snapshots


class _Stepping:
    """Runs the protocol once per gradient pair and returns the learning rate of every step.

    Its `__qualname__` names the method running, so that `ask` reports an error as
    "SGD.update_params raised ..." rather than naming this class.
    """

    def __init__(self, optimizer, layer: Layer, grads):
        self.optimizer, self.layer, self.grads = optimizer, layer, grads
        self.weights, self.biases = [], []
        self.__qualname__ = type(optimizer).__name__

    def _run(self, name: str, *args):
        method = getattr(self.optimizer, name)
        self.__qualname__ = getattr(method, "__qualname__", f"{type(self.optimizer).__name__}.{name}")
        method(*args)

    def __call__(self) -> list:
        rates = []
        for dweights, dbiases in self.grads:
            self.layer.dweights, self.layer.dbiases = np.array(dweights, dtype=float), np.array(dbiases, dtype=float)
            self._run("pre_update_params")
            self._run("update_params", self.layer)
            self._run("post_update_params")
            rates.append(getattr(self.optimizer, "current_learning_rate", None))
            self.weights.append(_snapshot(self.layer.weights))
            self.biases.append(_snapshot(self.layer.biases))
        return rates


def take_steps(optimizer, layer: Layer, grads) -> dict:
    """Let `optimizer` take one step per (dweights, dbiases) pair in `grads` on `layer`.

    Returns {"learning_rate": the current_learning_rate of each step, "weights": the weights
    after each step, stacked (steps, *weights.shape), "biases": likewise, "iterations": the
    optimizer's step count at the end}. Errors of the optimizer's methods propagate.
    """
    stepping = _Stepping(optimizer, layer, grads)
    rates = stepping()
    return {"learning_rate": rates, "weights": _stacked(stepping.weights), "biases": _stacked(stepping.biases),
            "iterations": getattr(optimizer, "iterations", None)}


def ask_steps(name: str, optimizer, weights, biases, grads, *, atol: float = 1e-6) -> None:
    """Ask `optimizer` (named `name` in the questions, e.g. "Adam(learning_rate=0.01)") to take
    one step per gradient pair on a `Layer(weights, biases)`, and report, as four answers:
    current_learning_rate at each step, the weights and the biases after each step (absolute
    tolerance `atol`), and `iterations` at the end.

    If a method of the optimizer raises, the first question is answered with the error and
    the grade cell stops (`nnkit.questions.ask`).
    """
    n = len(grads)
    stepping = _Stepping(optimizer, Layer(weights, biases), grads)
    ask(f"{name}: current_learning_rate at steps 1..{n}", stepping)
    answer(f"{name}: weights after steps 1..{n}", _stacked(stepping.weights), atol=atol)
    answer(f"{name}: biases (1, n) after steps 1..{n}", _stacked(stepping.biases), atol=atol)
    answer(f"{name}: iterations after {n} steps",
           getattr(optimizer, "iterations", f"{type(optimizer).__name__} has no attribute iterations"))
