"""Rebuild data/regression.h5 from the Boston housing copy that ships inside `mlxtend`.

Keeps five features (see FEATURES) and the target, each standardised to mean 0 and
standard deviation 1. Column B, which encodes the share of Black residents, is left out.
Run from the course folder: `python data/make_regression.py`.
"""
from pathlib import Path

import h5py
from mlxtend.data import boston_housing_data

# Columns of mlxtend's boston_housing_data(), in its order.
COLUMNS = ["CRIM", "ZN", "INDUS", "CHAS", "NOX", "RM", "AGE", "DIS", "RAD", "TAX",
           "PTRATIO", "B", "LSTAT"]
FEATURES = ["RM", "LSTAT", "PTRATIO", "NOX", "DIS"]
TARGET = "MEDV"


def standardise(a):
    return (a - a.mean(axis=0)) / a.std(axis=0)


def build(out: Path) -> None:
    X_all, y = boston_housing_data()
    X = X_all[:, [COLUMNS.index(name) for name in FEATURES]]
    with h5py.File(out, "w") as f:
        f.create_dataset("X", data=standardise(X))
        f.create_dataset("y", data=standardise(y))
        f.attrs["features"] = FEATURES
        f.attrs["target"] = TARGET
        f.attrs["source"] = "Boston housing (Harrison & Rubinfeld 1978), copy in mlxtend.data"


if __name__ == "__main__":
    target = Path(__file__).resolve().parent / "regression.h5"
    build(target)
    print(f"wrote {target}")
