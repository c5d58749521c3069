"""The optimizer protocol, written once: what every optimizer of the course shares.

A training step computes the gradients into each layer's `dweights` and `dbiases`, then calls

    optimizer.pre_update_params()        # once: set current_learning_rate for this step
    for layer in layers:
        optimizer.update_params(layer)   # per layer: update layer.weights and layer.biases
    optimizer.post_update_params()       # once: iterations += 1

`Optimizer` owns the learning-rate decay and the step count, so an optimizer class only writes
its update rule, `update_params(layer)`. State an update rule keeps per parameter (a velocity,
a cache) lives on the layer (`layer.weight_momentums`, as the nnfs book does) or in a dict keyed
by the layer object itself, never by `id(layer)`: CPython reuses the id of a freed layer.
"""
from __future__ import annotations


class Optimizer:
    """Learning-rate decay and step counting for an optimizer; subclasses write `update_params`.

    learning_rate: lr_0, the rate of the first step (0 or more; 0 leaves every weight as it is,
        which checks a training loop's bookkeeping on a network that stays the same, as
        assignment 5's check of `fit` does).
    decay: inverse-time decay, lr_t = lr_0 / (1 + decay * t) at step t = iterations (0 first).

    Attributes: `learning_rate`, `decay`, `current_learning_rate` (the rate of the current
    step, set by `pre_update_params`) and `iterations` (the number of steps taken so far).
    """

    def __init__(self, learning_rate: float, decay: float = 0.0):
        if not learning_rate >= 0:
            raise ValueError(f"learning_rate must be 0 or more; got {learning_rate!r}")
        if not decay >= 0:
            raise ValueError(f"decay must be 0 or more; got {decay!r}")
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.iterations = 0

    def pre_update_params(self) -> None:
        """Set `current_learning_rate` for this step: call once per step, before the updates."""
        self.current_learning_rate = self.learning_rate / (1.0 + self.decay * self.iterations)

    def update_params(self, layer) -> None:
        """Update `layer.weights` and `layer.biases` from `layer.dweights` and `layer.dbiases`
        with `current_learning_rate`; each optimizer class writes its own rule."""
        raise NotImplementedError(f"{type(self).__name__} has no update_params(layer) yet")

    def post_update_params(self) -> None:
        """Count the step: call once per step, after the updates."""
        self.iterations += 1
