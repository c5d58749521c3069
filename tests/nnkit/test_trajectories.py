"""nnkit.trajectories: test surfaces, heavy-ball paths, and paths of protocol optimizers."""
import numpy as np
import pytest

from nnkit.trajectories import Quadratic, Rosenbrock, SURFACES, contour_grid, momentum_path, optimizer_path


def _central(f, p, eps=1e-6):
    return np.array([(f(p[0] + eps, p[1]) - f(p[0] - eps, p[1])) / (2 * eps),
                     (f(p[0], p[1] + eps) - f(p[0], p[1] - eps)) / (2 * eps)])


@pytest.mark.parametrize("surface", list(SURFACES.values()), ids=list(SURFACES))
def test_gradients_match_central_differences_and_vanish_at_the_minimum(surface):
    rng = np.random.default_rng(0)
    for p in rng.uniform(-1.5, 1.5, size=(5, 2)):
        assert np.allclose(surface.grad(p), _central(surface.f, p), rtol=1e-5, atol=1e-5)
    assert np.allclose(surface.grad(np.array(surface.minimum)), 0)
    xmin, xmax, ymin, ymax = surface.extent
    assert xmin < surface.start[0] < xmax and ymin < surface.start[1] < ymax


class _SGD:
    """A minimal optimizer with the course protocol (momentum stored as +v)."""

    def __init__(self, learning_rate, momentum=0.0):
        self.learning_rate, self.momentum = learning_rate, momentum
        self.current_learning_rate, self.iterations, self.v = learning_rate, 0, {}

    def pre_update_params(self):
        pass

    def update_params(self, layer):
        v = self.momentum * self.v.get(id(layer), 0.0) - self.learning_rate * layer.dweights
        self.v[id(layer)] = v
        layer.weights = layer.weights + v
        layer.biases = layer.biases - self.learning_rate * layer.dbiases

    def post_update_params(self):
        self.iterations += 1


def test_plain_gradient_descent_on_the_quadratic_follows_the_closed_form():
    q = Quadratic(condition=10.0)
    path = momentum_path(q.grad, q.start, learning_rate=0.05, steps=30)
    k = np.arange(31)[:, None]
    assert path.shape == (31, 2)
    assert np.allclose(path, np.array(q.start) * (1 - 0.05 * np.array([1.0, 10.0])) ** k)


def test_momentum_reaches_the_quadratic_minimum_far_faster():
    q = Quadratic(condition=20.0)
    lr = 1.0 / q.condition  # a safe plain rate
    plain = momentum_path(q.grad, q.start, lr, 0.0, steps=60)
    heavy = momentum_path(q.grad, q.start, lr, 0.6, steps=60)
    assert np.hypot(*heavy[-1]) < 0.01 * np.hypot(*plain[-1])


def test_optimizer_path_equals_the_heavy_ball_path_for_a_protocol_optimizer():
    for surface in SURFACES.values():
        for lr, beta in ((1e-3, 0.0), (1e-3, 0.9)):
            expected = momentum_path(surface.grad, surface.start, lr, beta, steps=50)
            got = optimizer_path(_SGD(lr, beta), surface.grad, surface.start, steps=50)
            assert np.allclose(got, expected)


def test_a_diverging_path_stops_with_nan_and_no_warning():
    q = Quadratic(condition=20.0)
    with np.errstate(all="raise"):
        path = momentum_path(q.grad, q.start, learning_rate=0.5, steps=500)
        via_optimizer = optimizer_path(_SGD(0.5), q.grad, q.start, steps=500)
    for p in (path, via_optimizer):
        finite = np.isfinite(p).all(axis=1)
        assert finite[0] and not finite[-1]
        assert np.all(finite[: np.argmin(finite)]) and not np.any(finite[np.argmin(finite):])


def test_rosenbrock_minimum_and_gradient_descent_progress():
    r = Rosenbrock()
    assert r.minimum == (1.0, 1.0) and r.f(1.0, 1.0) == 0
    path = momentum_path(r.grad, r.start, 1e-3, 0.9, steps=2000)
    assert np.hypot(*(path[-1] - r.minimum)) < 0.05
    assert r.f(*path[-1]) < r.f(*path[0])


def test_contour_grid_covers_the_extent():
    q = SURFACES["quadratic"]
    xx, yy, zz = contour_grid(q, n=30)
    assert xx.shape == yy.shape == zz.shape == (30, 30)
    assert (xx.min(), xx.max(), yy.min(), yy.max()) == q.extent
    assert np.isfinite(zz).all() and zz.min() >= 0
