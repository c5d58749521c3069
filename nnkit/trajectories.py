"""Paths of gradient descent on 2-D test functions, for the momentum view of assignment 4.

In the spirit of Goh, "Why Momentum Really Works" (Distill, 2017): on a long, narrow valley plain
gradient descent zig-zags across the valley and crawls along it; momentum averages the
zig-zags away and keeps the speed along the valley.

A surface is an object with `f(x, y)` (vectorised, for contour plots), `grad(p) -> (2,)`,
`start` (2,), `minimum` (2,) and `extent` (xmin, xmax, ymin, ymax), the window to draw.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# A path leaving this radius is diverging: it stops there and the rest is nan (not drawn).
ESCAPE_RADIUS = 1e6


@dataclass(frozen=True)
class Quadratic:
    """f(x, y) = (x^2 + condition * y^2) / 2: a valley `condition` times steeper across than along.

    Gradient descent converges for learning rates below 2 / condition; even the best plain rate,
    2 / (1 + condition), needs about condition / 2 steps per factor e of progress, momentum
    about the square root of that.
    """
    condition: float = 20.0
    start: tuple = (-4.0, 1.0)
    minimum: tuple = (0.0, 0.0)
    extent: tuple = (-4.5, 1.5, -1.5, 1.5)
    name: str = "ill-conditioned quadratic"

    def f(self, x, y):
        return 0.5 * (np.square(x) + self.condition * np.square(y))

    def grad(self, p):
        return np.array([p[0], self.condition * p[1]], dtype=float)


@dataclass(frozen=True)
class Rosenbrock:
    """f(x, y) = (a - x)^2 + b (y - x^2)^2: a curved, flat-bottomed valley, minimum at (a, a^2)."""
    a: float = 1.0
    b: float = 100.0
    start: tuple = (-1.5, 2.0)
    extent: tuple = (-2.0, 2.0, -1.0, 3.0)
    name: str = "Rosenbrock function"

    @property
    def minimum(self):
        return (self.a, self.a ** 2)

    def f(self, x, y):
        return np.square(self.a - x) + self.b * np.square(y - np.square(x))

    def grad(self, p):
        x, y = float(p[0]), float(p[1])
        return np.array([-2 * (self.a - x) - 4 * self.b * x * (y - x * x), 2 * self.b * (y - x * x)])


SURFACES = {"quadratic": Quadratic(), "rosenbrock": Rosenbrock()}


def _escaped(p) -> bool:
    return not np.all(np.isfinite(p)) or float(np.hypot(p[0], p[1])) > ESCAPE_RADIUS


def momentum_path(grad, start, learning_rate: float, momentum: float = 0.0,
                  steps: int = 100) -> np.ndarray:
    """Heavy-ball gradient descent: v <- momentum * v - learning_rate * grad(p); p <- p + v.

    `momentum=0` is plain gradient descent. Returns the points visited, shape (steps + 1, 2),
    starting with `start`; after a point leaves `ESCAPE_RADIUS` the remaining rows are nan.
    """
    path = np.full((steps + 1, 2), np.nan)
    p = np.asarray(start, dtype=float).copy()
    v = np.zeros(2)
    path[0] = p
    with np.errstate(over="ignore", invalid="ignore"):
        for i in range(1, steps + 1):
            v = momentum * v - learning_rate * grad(p)
            p = p + v
            if _escaped(p):
                break
            path[i] = p
    return path


class _Point:
    """A 2-D point dressed as a layer, so an optimizer of the course can move it."""

    def __init__(self, start):
        self.weights = np.asarray(start, dtype=float).reshape(1, 2).copy()
        self.biases = np.zeros((1, 0))
        self.dweights = np.zeros_like(self.weights)
        self.dbiases = np.zeros((1, 0))


def optimizer_path(optimizer, grad, start, steps: int = 100) -> np.ndarray:
    """The points an optimizer with the course protocol visits from `start`, shape (steps + 1, 2).

    The point is wrapped as a layer whose `weights` (1, 2) are the coordinates (and whose
    `biases` are empty); each step sets `dweights` to the gradient there and runs
    `pre_update_params`, `update_params`, `post_update_params`. Diverging paths end in nan.
    """
    point = _Point(start)
    path = np.full((steps + 1, 2), np.nan)
    path[0] = point.weights[0]
    with np.errstate(over="ignore", invalid="ignore"):
        for i in range(1, steps + 1):
            point.dweights = grad(point.weights[0]).reshape(1, 2)
            optimizer.pre_update_params()
            optimizer.update_params(point)
            optimizer.post_update_params()
            p = np.asarray(point.weights, dtype=float).reshape(-1)
            if _escaped(p):
                break
            path[i] = p
    return path


def contour_grid(surface, n: int = 120) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """xx, yy, zz on an n x n grid over `surface.extent`, for `contour`; zz is log-scaled."""
    xmin, xmax, ymin, ymax = surface.extent
    xx, yy = np.meshgrid(np.linspace(xmin, xmax, n), np.linspace(ymin, ymax, n))
    return xx, yy, np.log1p(surface.f(xx, yy))
