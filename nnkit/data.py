"""Loading the course data sets from `data/`, with errors that say how to fix a missing file."""
from __future__ import annotations

import os
from pathlib import Path

import h5py
import numpy as np

DATA_ENV = "NNKIT_DATA"


class DataFileError(FileNotFoundError):
    """A data file is missing or is not in the layout the course expects."""


def data_dir() -> Path:
    """The data folder: `$NNKIT_DATA` if set, else `data/` beside this package."""
    configured = os.environ.get(DATA_ENV)
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent / "data"


def read_hdf5(filename: str | os.PathLike, datasets: tuple[str, ...], *, rebuild: str) -> dict:
    """Read the named datasets of an HDF5 file in the data folder into arrays.

    `rebuild` is the command that recreates the file; it is quoted in the error when the file is
    missing or lacks a dataset.
    """
    path = Path(filename)
    if not path.is_absolute():
        path = data_dir() / path
    if not path.is_file():
        raise DataFileError(
            f"Data file not found: {path}\n"
            f"Fix: run `{rebuild}` from the course folder, or set ${DATA_ENV} to the folder "
            "that holds the course data."
        )
    try:
        with h5py.File(path, "r") as f:
            missing = [name for name in datasets if name not in f]
            if missing:
                raise DataFileError(
                    f"{path} has no dataset {', '.join(map(repr, missing))} "
                    f"(it has {', '.join(map(repr, sorted(f))) or 'none'}).\n"
                    f"Fix: rebuild it with `{rebuild}`."
                )
            return {name: np.asarray(f[name]) for name in datasets}
    except OSError as err:
        raise DataFileError(
            f"{path} is not a readable HDF5 file ({err}).\nFix: rebuild it with `{rebuild}`."
        ) from err


def load_regression() -> tuple[np.ndarray, np.ndarray]:
    """The regression set of assignments 1 and 4: `X` (506, 5) and `y` (506,), standardised."""
    arrays = read_hdf5(
        "regression.h5", ("X", "y"), rebuild="python data/make_regression.py"
    )
    X, y = arrays["X"], arrays["y"]
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise DataFileError(
            f"regression.h5 holds X {X.shape} and y {y.shape}; expected (n, 5) and (n,).\n"
            "Fix: rebuild it with `python data/make_regression.py`."
        )
    return X, y
