"""nnkit.mnist: loading the shipped subset, and clear errors for missing or malformed files."""
import h5py
import numpy as np
import pytest

from nnkit.data import DataFileError
from nnkit.mnist import load_mnist


def test_subset_has_5000_digits_of_784_pixels_with_one_hot_labels():
    X, Y = load_mnist()
    assert X.shape == (5000, 784) and Y.shape == (5000, 10)
    assert X.dtype == np.uint8 and X.min() == 0 and X.max() == 255
    assert np.all(Y.sum(axis=1) == 1) and set(np.unique(Y)) == {0, 1}
    labels = Y.argmax(axis=1)
    assert labels.min() == 0 and labels.max() == 9
    assert np.all(np.bincount(labels) == 500)


def test_subset_is_shuffled_so_a_leading_slice_holds_every_class():
    _, Y = load_mnist()
    assert np.all(np.bincount(Y[:500].argmax(axis=1), minlength=10) > 20)


def test_missing_file_names_the_file_and_the_command(tmp_path, monkeypatch):
    monkeypatch.setenv("NNKIT_DATA", str(tmp_path))
    with pytest.raises(DataFileError, match="mnist_subset.h5") as info:
        load_mnist()
    assert "python data/make_mnist_subset.py" in str(info.value)
    with pytest.raises(DataFileError, match="python -m nnkit.mnist download"):
        load_mnist("full/mnist_train.h5")


def test_file_without_the_datasets_is_reported(tmp_path):
    path = tmp_path / "bad.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset("X", data=np.zeros((3, 784)))
    with pytest.raises(DataFileError, match="no dataset 'xdata', 'ydata'"):
        load_mnist(path)


def test_file_that_is_not_hdf5_is_reported(tmp_path):
    path = tmp_path / "mnist_test.h5"
    path.write_text("not hdf5")
    with pytest.raises(DataFileError, match="not a readable HDF5 file"):
        load_mnist(path)


@pytest.mark.parametrize("xshape, y", [
    ((4, 783), np.eye(10, dtype=np.uint8)[[0, 1, 2, 3]]),
    ((4, 784), np.arange(4)),
    ((4, 784), np.ones((4, 10), dtype=np.uint8)),
])
def test_wrong_shapes_or_labels_that_are_not_one_hot_are_reported(tmp_path, xshape, y):
    path = tmp_path / "odd.h5"
    with h5py.File(path, "w") as f:
        f.create_dataset("xdata", data=np.zeros(xshape, dtype=np.uint8))
        f.create_dataset("ydata", data=y)
    with pytest.raises(DataFileError, match="Fix: rebuild"):
        load_mnist(path)
