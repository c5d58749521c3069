"""The reference MLP of assignment 5, taken from the source notebook itself (not a copy).

`load_reference()` executes the notebook's provided cells (layers, optimizers, the class `MLP`) and
its solution cells (`one_hot`, `accuracy` and the six step functions `MLP` calls) in a fresh
namespace and returns that namespace. Cells that load data, plot or train are not run.
"""
from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "source" / "mnist_mlp" / "mnist_mlp.ipynb"
CELLS = ("provided_layers", "provided_optimizers", "one_hot", "accuracy", "provided_mlp", "mlp_init", "mlp_forward",
         "mlp_backward", "mlp_train_step", "mlp_predict", "mlp_fit")

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def load_reference(progress: bool = False) -> dict:
    """Namespace holding MLP, Dense, ..., SGD, Adam, one_hot, accuracy from the notebook."""
    from tqdm.auto import tqdm

    from autograder.samples import run_cells
    from nnkit.optim import Optimizer  # the imports cell's, which SGD and Adam subclass

    namespace = {"np": np, "Optimizer": Optimizer, "tqdm": tqdm if progress else partial(tqdm, disable=True)}
    return run_cells("mnist_mlp", CELLS, namespace)
