"""nnkit.spiral: interleaved, reproducible spiral arms."""
import numpy as np
import pytest

from nnkit.spiral import spiral_data


def test_shapes_dtypes_and_balanced_labels():
    X, y = spiral_data(100, 3)
    assert X.shape == (300, 2) and X.dtype == np.float64
    assert y.shape == (300,) and y.dtype == np.int64
    assert np.bincount(y).tolist() == [100, 100, 100]


def test_same_seed_same_data_other_seed_other_noise():
    a, b, c = spiral_data(50, 3, seed=1), spiral_data(50, 3, seed=1), spiral_data(50, 3, seed=2)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.allclose(a[0], c[0])
    assert np.array_equal(a[1], c[1])


def test_each_arm_runs_from_the_centre_to_the_unit_circle():
    X, y = spiral_data(40, 4, noise=0.3)
    radius = np.hypot(X[:, 0], X[:, 1])
    for c in range(4):
        arm = radius[y == c]
        assert arm[0] == 0 and np.isclose(arm[-1], 1) and np.all(np.diff(arm) > 0)


def test_without_noise_the_arms_are_rotations_of_each_other():
    X, y = spiral_data(30, 3, noise=0.0)
    radius = np.hypot(X[:, 0], X[:, 1])
    angle = np.arctan2(X[:, 0], X[:, 1])  # points are r * (sin t, cos t)
    for c in (1, 2):
        assert np.allclose(radius[y == c], radius[y == 0])
        turn = np.angle(np.exp(1j * (angle[y == c] - angle[y == 0]))[1:])  # skip the centre
        assert np.allclose(turn, np.angle(np.exp(1j * 10.0 * c)))  # 2.5 * 4 radians per arm


def test_the_arms_interleave_so_no_line_separates_two_classes():
    # The best linear separation of class 0 from class 1 is poor: least squares on (x, y, 1).
    X, y = spiral_data(200, 2, noise=0.0)
    A = np.column_stack([X, np.ones(len(X))])
    w, *_ = np.linalg.lstsq(A, 2.0 * y - 1, rcond=None)
    accuracy = np.mean((A @ w > 0) == (y == 1))
    assert accuracy < 0.75


def test_noise_moves_points_off_the_noise_free_arm():
    clean, _ = spiral_data(100, 3, noise=0.0)
    noisy, _ = spiral_data(100, 3, noise=0.2, seed=0)
    assert 0.01 < np.mean(np.hypot(*(clean - noisy).T)) < 0.5


@pytest.mark.parametrize("args, message", [
    ((1, 3), "n_points_per_class"), ((10.5, 3), "n_points_per_class"), ((10, 0), "n_classes"),
])
def test_bad_sizes_are_rejected(args, message):
    with pytest.raises(ValueError, match=message):
        spiral_data(*args)


def test_negative_noise_is_rejected():
    with pytest.raises(ValueError, match="noise"):
        spiral_data(10, 3, noise=-0.1)
