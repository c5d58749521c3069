"""MNIST for assignment 5: the shipped 5,000-digit subset, and the full set on request.

Every MNIST-style file of the course is HDF5 with two datasets:
    xdata  (n, 784) uint8   pixels 0-255, 28 x 28 images flattened row-major
    ydata  (n, 10)  uint8   one-hot labels
`load_mnist` returns them as stored: scale the pixels yourself (the notebook does `X / 255`).

Files:
    mnist_subset.h5                  5,000 digits, ships in data/ (`python data/make_mnist_subset.py`)
    full/mnist_train.h5, full/mnist_test.h5
                                     60,000 + 10,000 digits: `python -m nnkit.mnist download`
    full/fashion_train.h5, full/fashion_test.h5
                                     Fashion-MNIST from local IDX files:
                                     `python -m nnkit.mnist convert --idx-dir DIR --name fashion`

Command line (the work is in `nnkit/mnist_download.py`):
    python -m nnkit.mnist download [--dest data/full] [--mirror URL ...]
    python -m nnkit.mnist convert --idx-dir DIR [--name mnist] [--dest data/full]
"""
from __future__ import annotations

import os

import numpy as np

from .data import DataFileError, read_hdf5

SUBSET = "mnist_subset.h5"
N_PIXELS = 784
N_CLASSES = 10


def _rebuild_command(path) -> str:
    name = os.path.basename(str(path))
    if name == SUBSET:
        return "python data/make_mnist_subset.py"
    if name.startswith("fashion"):
        return ("python -m nnkit.mnist convert --idx-dir /usr/share/datasets/fashion-mnist "
                "--name fashion  (Debian package dataset-fashion-mnist)")
    return "python -m nnkit.mnist download"


def load_mnist(path: str | os.PathLike = SUBSET) -> tuple[np.ndarray, np.ndarray]:
    """Images and one-hot labels of an MNIST-style HDF5 file in the data folder.

    `path` is relative to the data folder (`data/`, or `$NNKIT_DATA`) unless absolute, e.g.
    "mnist_subset.h5" (default), "full/mnist_train.h5", "full/mnist_test.h5".
    Returns `X` (n, 784) uint8 pixels 0-255 and `Y` (n, 10) uint8 one-hot rows.
    Raises `DataFileError`, naming the file and the command that makes it, when the file is
    missing or not in this layout.
    """
    rebuild = _rebuild_command(path)
    arrays = read_hdf5(path, ("xdata", "ydata"), rebuild=rebuild)
    X, Y = arrays["xdata"], arrays["ydata"]
    if X.ndim != 2 or X.shape[1] != N_PIXELS or Y.shape != (X.shape[0], N_CLASSES):
        raise DataFileError(
            f"{path} holds xdata {X.shape} and ydata {Y.shape}; expected (n, {N_PIXELS}) and "
            f"(n, {N_CLASSES}).\nFix: rebuild it with `{rebuild}`."
        )
    if Y.size and not (np.all((Y == 0) | (Y == 1)) and np.all(Y.sum(axis=1) == 1)):
        raise DataFileError(
            f"{path}: ydata is not one-hot (every row must hold a single 1).\n"
            f"Fix: rebuild it with `{rebuild}`."
        )
    return X, Y


if __name__ == "__main__":
    from .mnist_download import main

    raise SystemExit(main())
