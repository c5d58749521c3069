"""What the checks of assignment 5 feed an MLP, and what they watch it do.

- `small_network`, `set_parameters`: fixed small weights and a batch, so that forward, backward
  and a training step can be checked at known values, whatever initialisation a student chose.
- `numbered_digits` and `watch_fit`: a tiny data set whose rows carry their own number, and a
  recorder of the minibatches `fit` hands to `train_step` and of the progress bars it creates.
  `FitRecord.properties` says, in plain values, whether `fit` shuffled, reshuffled, kept each
  label with its sample, passed the optimizer on and showed a bar.

Visible checks and hidden tests use the same inputs and the same recorder. Nothing here knows
an expected value: visible checks hold theirs in the notebook, and the grader holds the key.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

ROW_STEP = 0.125  # row i of `numbered_digits` has column 0 = i * ROW_STEP, exact in float16/32/64


def small_network(sizes, seed: int, n_samples: int = 6, scale: float = 0.8):
    """Parameters and a batch for checking an MLP of layer sizes `sizes` (e.g. [4, 5, 3]).

    Returns (weights, biases, X, y): weights[i] of shape (sizes[i], sizes[i + 1]) from
    N(0, scale**2), biases[i] of shape (1, sizes[i + 1]) from N(0, 0.3**2), X (n_samples,
    sizes[0]) from N(0, 1) and integer labels y (n_samples,) in [0, sizes[-1]); all float64,
    the same for the same seed.
    """
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0, scale, (a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [rng.normal(0, 0.3, (1, b)) for b in sizes[1:]]
    X = rng.normal(0, 1, (n_samples, sizes[0]))
    y = rng.integers(0, sizes[-1], n_samples)
    return weights, biases, X, y


def set_parameters(model, weights, biases) -> None:
    """Give the Dense layers of `model.layers`, in order, copies of `weights` and `biases`.

    Layers beyond the shorter of the two lists are left alone: a check that needs the count
    asks `len(model.layers)` first.
    """
    for layer, W, b in zip(model.layers, weights, biases):
        layer.weights, layer.biases = np.array(W, dtype=float), np.array(b, dtype=float)


def numbered_digits(n: int, n_features: int, n_classes: int, seed: int, first: int = 0):
    """A tiny data set whose rows say who they are: (X (n, n_features), one-hot Y (n, n_classes)).

    Column 0 of row i is (first + i) * ROW_STEP, the other columns are N(0, 1) draws; the
    label of row i is (first + i) % n_classes. `row_numbers` reads the numbers back.
    """
    rng = np.random.default_rng(seed)
    numbers = np.arange(first, first + n)
    X = rng.normal(0, 1, (n, n_features))
    X[:, 0] = numbers * ROW_STEP
    return X, np.eye(n_classes)[numbers % n_classes]


def row_numbers(X) -> list[int]:
    """The numbers `numbered_digits` wrote in column 0 of the rows of X."""
    return [int(v) for v in np.rint(np.asarray(X, dtype=float)[:, 0] / ROW_STEP)]


def _labels(y) -> list[int]:
    y = np.asarray(y)
    return [int(v) for v in (y.argmax(axis=1) if y.ndim == 2 else y)]


@dataclass
class FitRecord:
    """What `fit` did while `watch_fit` watched: one entry per call of train_step, in order."""
    batches: list[list[int]] = field(default_factory=list)   # row numbers of each minibatch
    labels: list[list[int]] = field(default_factory=list)    # the labels that came with them
    optimizers: list[object] = field(default_factory=list)   # the optimizer each call received
    bars: int = 0                                            # tqdm progress bars created

    def epochs(self, n: int) -> list[list[int]]:
        """The row numbers seen, cut into consecutive runs of n (one per epoch)."""
        seen = [i for batch in self.batches for i in batch]
        return [seen[start:start + n] for start in range(0, len(seen), n)]

    def properties(self, n: int, n_classes: int, optimizer) -> dict:
        """Plain answers about the record of a fit on the `n` rows of `numbered_digits`.

        Keys: 'batch_sizes' (list), 'every_sample_once_per_epoch', 'first_epoch_shuffled',
        'new_order_each_epoch', 'labels_follow_samples', 'optimizer_reaches_train_step',
        'progress_bar' (booleans).
        """
        epochs = self.epochs(n)
        orders = [tuple(epoch) for epoch in epochs]
        return {
            "batch_sizes": [len(batch) for batch in self.batches],
            "every_sample_once_per_epoch": bool(epochs) and all(sorted(e) == list(range(n)) for e in epochs),
            "first_epoch_shuffled": bool(epochs) and list(epochs[0]) != list(range(n)),
            "new_order_each_epoch": len(orders) > 1 and len(set(orders)) == len(orders),
            "labels_follow_samples": bool(self.batches) and all(
                labels == [i % n_classes for i in batch] for batch, labels in zip(self.batches, self.labels)),
            "optimizer_reaches_train_step": bool(self.optimizers) and all(o is optimizer for o in self.optimizers),
            "progress_bar": self.bars > 0,
        }


def _split_call(args, kwargs):
    """(X, y, optimizer) from a call train_step(X, y, optimizer), by position or by name."""
    names = ("X", "y", "optimizer")
    values = dict(zip(names, args))
    values.update({k: v for k, v in kwargs.items() if k in names})
    return values.get("X"), values.get("y"), values.get("optimizer")


@contextmanager
def watch_fit(model, namespace: dict):
    """Record, while the block runs, what `model` trains on and the tqdm bars created.

    Training steps are seen wherever fit takes them: `model.train_step(...)`, or the notebook's
    function `mlp_train_step(model, ...)` in `namespace` (its globals()). A step that calls the
    other (the provided MLP.train_step calls mlp_train_step) is recorded once. Every tqdm bar
    counts, however it was imported (`tqdm`, `trange`, `tqdm.auto`, `tqdm.notebook`).
    Yields a `FitRecord`; everything is restored afterwards.
    """
    import tqdm.std

    record = FitRecord()
    depth = [0]

    def seen(X, y, optimizer):
        if depth[0] == 0:
            record.batches.append(row_numbers(X))
            record.labels.append(_labels(y))
            record.optimizers.append(optimizer)

    def watching(step, takes_model):
        def watched(*args, **kwargs):
            seen(*_split_call(args[1:] if takes_model else args, kwargs))
            depth[0] += 1
            try:
                return step(*args, **kwargs)
            finally:
                depth[0] -= 1
        return watched

    had_own = "train_step" in vars(model)
    own = vars(model).get("train_step")
    model.train_step = watching(model.train_step, takes_model=False)
    function = namespace.get("mlp_train_step")
    if callable(function):
        namespace["mlp_train_step"] = watching(function, takes_model=True)
    bar_init = tqdm.std.tqdm.__init__

    def counting_init(self, *args, **kwargs):
        record.bars += 1
        bar_init(self, *args, **kwargs)

    tqdm.std.tqdm.__init__ = counting_init
    try:
        yield record
    finally:
        tqdm.std.tqdm.__init__ = bar_init
        if callable(function):
            namespace["mlp_train_step"] = function
        if had_own:
            model.train_step = own
        else:
            del model.train_step
