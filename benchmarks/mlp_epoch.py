"""Seconds per training epoch of the reference MLP of assignment 5, against PyTorch and BLAS.

The model is 784-128-10 with ReLU, softmax cross-entropy, minibatches of 128, on 60,000 random
inputs of 784 pixels (timing does not depend on the values), float32. Each optimizer (SGD and
Adam) is timed for the notebook's `MLP.fit` and, when `torch` is importable, for the same model
in PyTorch on the CPU, in this same run. The machine's BLAS throughput (a large matmul) gives the
ceiling: the epoch's matmul arithmetic divided by its time is printed as a fraction of it.

Run from the course folder: `python benchmarks/mlp_epoch.py [--repeats 3]`. Prints figures
only; no pass/fail.
"""
from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

from reference import load_reference

N, D, H, K, BATCH = 60_000, 784, 128, 10, 128


def epoch_flops(n=N) -> float:
    """Matmul FLOPs of one epoch: forward, dweights of both layers, dinputs of the second only."""
    forward = 2 * (D * H + H * K)
    backward = 2 * (D * H + H * K) + 2 * H * K
    return n * (forward + backward)


def blas_gflops(dtype, size=2048, repeats=5) -> float:
    rng = np.random.default_rng(0)
    a = rng.random((size, size)).astype(dtype)
    b = rng.random((size, size)).astype(dtype)
    a @ b  # warm up threads and caches
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return 2 * size**3 / best / 1e9


def numpy_epoch(ns, X, y, optimizer_name) -> float:
    model = ns["MLP"]([D, H, K], seed=0)
    optimizer = ns["SGD"](learning_rate=0.1) if optimizer_name == "SGD" else ns["Adam"](learning_rate=0.001)
    model.fit(X[:2048], y[:2048], X[:128], y[:128], 1, BATCH, optimizer)  # warm-up
    start = time.perf_counter()
    model.fit(X, y, X[:128], y[:128], 1, BATCH, optimizer)
    return time.perf_counter() - start


def torch_epoch(torch, X, y, optimizer_name) -> float:
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(D, H), torch.nn.ReLU(), torch.nn.Linear(H, K))
    if optimizer_name == "SGD":
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=0.001, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def epoch(n):
        order = torch.randperm(n)
        for start in range(0, n, BATCH):
            batch = order[start:start + BATCH]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(Xt[batch]), yt[batch])
            loss.backward()
            optimizer.step()
        return loss.item()

    epoch(2048)  # warm-up
    start = time.perf_counter()
    epoch(N)
    return time.perf_counter() - start


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="epochs timed per setting; the median is shown")
    args = parser.parse_args(argv)

    ns = load_reference()
    rng = np.random.default_rng(0)
    X = rng.random((N, D), dtype=np.float32)
    y = rng.integers(0, K, N)
    try:
        import torch
    except ImportError:
        torch = None

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, numpy {np.__version__}"
          + (f", torch {torch.__version__} ({torch.get_num_threads()} threads)" if torch else ", torch not installed"))
    peak32, peak64 = blas_gflops(np.float32), blas_gflops(np.float64)
    print(f"BLAS matmul 2048 x 2048: {peak32:.1f} GFLOP/s float32, {peak64:.1f} GFLOP/s float64")
    flops = epoch_flops()
    print(f"one epoch: {N} x {D} inputs, MLP {D}-{H}-{K}, batch {BATCH}, float32, "
          f"{flops / 1e9:.1f} GFLOP of matmuls\n")

    header = f"{'optimizer':<9} {'numpy s/epoch':>14} {'GFLOP/s':>8} {'of BLAS':>8}"
    header += f" {'torch s/epoch':>14} {'numpy/torch':>12}" if torch else ""
    print(header)
    print("-" * len(header))
    for name in ("SGD", "Adam"):
        ours, theirs = [], []
        for _ in range(args.repeats):  # interleaved, so that load on the machine hits both alike
            ours.append(numpy_epoch(ns, X, y, name))
            if torch:
                theirs.append(torch_epoch(torch, X, y, name))
        t = float(np.median(ours))
        line = f"{name:<9} {t:>14.3f} {flops / t / 1e9:>8.1f} {flops / t / 1e9 / peak32:>8.0%}"
        if torch:
            tt = float(np.median(theirs))
            line += f" {tt:>14.3f} {t / tt:>11.2f}x"
        print(line)
    if torch:
        print("\nnumpy/torch below 1 means the notebook's MLP is faster than PyTorch on this CPU.")
    else:
        print("\n(torch not importable: the PyTorch column is skipped)")


if __name__ == "__main__":
    main()
