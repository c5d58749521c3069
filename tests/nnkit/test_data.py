import h5py
import numpy as np
import pytest

from nnkit import data
from nnkit.data import DataFileError, load_regression, read_hdf5


def test_regression_set_has_506_standardised_rows():
    X, y = load_regression()
    assert X.shape == (506, 5) and y.shape == (506,)
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(X.std(axis=0), 1, atol=1e-12)
    np.testing.assert_allclose(y.std(), 1, atol=1e-12)


def test_shipped_file_equals_a_rebuild_from_mlxtend(tmp_path):
    from data.make_regression import build  # the rebuild script, run as a module

    build(tmp_path / "regression.h5")
    with h5py.File(tmp_path / "regression.h5") as rebuilt, h5py.File(data.data_dir() / "regression.h5") as shipped:
        assert list(rebuilt.attrs["features"]) == list(shipped.attrs["features"])
        assert "B" not in list(shipped.attrs["features"])
        for name in ("X", "y"):
            np.testing.assert_array_equal(rebuilt[name][()], shipped[name][()])


def test_missing_file_error_names_the_file_and_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("NNKIT_DATA", str(tmp_path))
    with pytest.raises(DataFileError) as info:
        load_regression()
    assert str(tmp_path / "regression.h5") in str(info.value)
    assert "python data/make_regression.py" in str(info.value)


def test_a_file_that_is_not_hdf5_is_reported_as_malformed(tmp_path, monkeypatch):
    monkeypatch.setenv("NNKIT_DATA", str(tmp_path))
    (tmp_path / "regression.h5").write_text("not hdf5")
    with pytest.raises(DataFileError, match="is not a readable HDF5 file"):
        load_regression()


def test_a_missing_dataset_is_named_with_those_present(tmp_path):
    with h5py.File(tmp_path / "f.h5", "w") as f:
        f["X"] = np.zeros((2, 5))
    with pytest.raises(DataFileError, match="has no dataset 'y' \\(it has 'X'\\)"):
        read_hdf5(tmp_path / "f.h5", ("X", "y"), rebuild="make it")


def test_wrong_shapes_are_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("NNKIT_DATA", str(tmp_path))
    with h5py.File(tmp_path / "regression.h5", "w") as f:
        f["X"], f["y"] = np.zeros((4, 5)), np.zeros(3)
    with pytest.raises(DataFileError, match=r"holds X \(4, 5\) and y \(3,\)"):
        load_regression()
