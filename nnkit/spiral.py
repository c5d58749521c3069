"""The spiral data set of assignment 4: interleaved arms, one class per arm, with noise.

A classic toy problem for small networks (cs231n, nnfs): no straight line separates the classes,
so a linear model fails and a network with one hidden layer succeeds.
"""
from __future__ import annotations

import numpy as np

TURNS = 4.0  # radians of angle each arm sweeps from the centre to the rim (before scaling)
TWIST = 2.5  # how tightly the arms wind; with TURNS, each arm sweeps 10 radians, about 1.6 turns


def spiral_data(n_points_per_class: int, n_classes: int, *, noise: float = 0.2,
                seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """`n_classes` spiral arms of `n_points_per_class` points each, around the origin.

    Point i of arm c lies at radius r = i / (n - 1) (0 at the centre, 1 at the rim) and angle
    TWIST * (TURNS * (c + r) + noise * N(0, 1)), so arms start at the centre and interleave.

    Returns X, shape (n_points_per_class * n_classes, 2), float64, and y, shape
    (n_points_per_class * n_classes,), int64 class labels 0..n_classes-1, grouped by class.
    The same `seed` gives the same data; `seed=None` draws fresh noise.
    """
    if int(n_points_per_class) != n_points_per_class or n_points_per_class < 2:
        raise ValueError(f"n_points_per_class must be an integer >= 2, got {n_points_per_class!r}")
    if int(n_classes) != n_classes or n_classes < 1:
        raise ValueError(f"n_classes must be an integer >= 1, got {n_classes!r}")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise!r}")
    n, k = int(n_points_per_class), int(n_classes)
    rng = np.random.default_rng(seed)
    radius = np.tile(np.linspace(0.0, 1.0, n), k)
    labels = np.repeat(np.arange(k), n)
    angle = TWIST * (TURNS * (labels + radius) + noise * rng.standard_normal(n * k))
    X = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    return X, labels.astype(np.int64)
