"""Test accuracy of the reference MLP of assignment 5 on the subset, full MNIST and Fashion-MNIST.

The model and its training code come from the source notebook (see `reference.py`). Data sets
whose files are missing are skipped with the command that makes them:
    python -m nnkit.mnist download                        -> data/full/mnist_{train,test}.h5
    python -m nnkit.mnist convert --idx-dir /usr/share/datasets/fashion-mnist --name fashion
                                                          -> data/full/fashion_{train,test}.h5
Targets: subset >= 92 % (held-out fifth), MNIST >= 97.5 %, Fashion-MNIST >= 88 %.
Run from the course folder: `python benchmarks/mlp_accuracy.py [--epochs 20]`. Prints figures only.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from reference import load_reference

from nnkit.data import DataFileError
from nnkit.mnist import load_mnist


def scaled(path):
    X, Y = load_mnist(path)
    return X.astype(np.float32) / 255, Y


def subset_split():
    """The notebook's split of the subset: a fifth held out for testing (same seed and order)."""
    X, Y = scaled("mnist_subset.h5")
    order = np.random.default_rng(0).permutation(len(X))
    n_test = len(X) // 5
    return X[order[n_test:]], Y[order[n_test:]], X[order[:n_test]], Y[order[:n_test]]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--progress", action="store_true", help="show fit's progress bars")
    args = parser.parse_args(argv)
    ns = load_reference(progress=args.progress)
    MLP, SGD, Adam, accuracy = ns["MLP"], ns["SGD"], ns["Adam"], ns["accuracy"]

    runs = [
        # name, data, target, model sizes, optimizer, batch size (the notebook's settings for the subset)
        ("MNIST subset (1,000 held out)", subset_split, 0.92, [784, 128, 10],
         lambda: SGD(learning_rate=0.1, decay=1e-3, momentum=0.9), 32),
        ("MNIST (10,000 test)", lambda: (*scaled("full/mnist_train.h5"), *scaled("full/mnist_test.h5")), 0.975,
         [784, 256, 10], lambda: Adam(learning_rate=0.001, decay=1e-4), 128),
        ("Fashion-MNIST (10,000 test)", lambda: (*scaled("full/fashion_train.h5"), *scaled("full/fashion_test.h5")),
         0.88, [784, 256, 10], lambda: Adam(learning_rate=0.001, decay=1e-4), 128),
    ]
    print(f"{'data':<30} {'model':<12} {'epochs':>6} {'test acc':>9} {'target':>7} {'seconds':>8}")
    for name, data, target, sizes, optimizer, batch_size in runs:
        try:
            X, Y, X_test, Y_test = data()
        except DataFileError as err:
            print(f"{name:<30} skipped: {str(err).splitlines()[0]}\n{'':<31}{str(err).splitlines()[-1]}")
            continue
        model = MLP(sizes, seed=0)
        start = time.perf_counter()
        model.fit(X, Y, X[:1000], Y[:1000], args.epochs, batch_size, optimizer())
        seconds = time.perf_counter() - start
        acc = accuracy(model.predict(X_test), Y_test)
        verdict = "ok" if acc >= target else "BELOW"
        print(f"{name:<30} {'-'.join(map(str, sizes)):<12} {args.epochs:>6} {acc:>9.2%} {target:>7.1%} "
              f"{seconds:>8.1f}  {verdict}")


if __name__ == "__main__":
    main()
