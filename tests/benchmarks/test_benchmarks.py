"""The benchmarks run (on tiny sizes) and take their MLP from the source notebook. No timings are asserted."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import mlp_accuracy  # noqa: E402
import mlp_epoch  # noqa: E402
from reference import NOTEBOOK, load_reference  # noqa: E402


def test_reference_mlp_is_the_notebook_solution():
    ns = load_reference()
    assert "MLP" in NOTEBOOK.read_text() and ns["MLP"].__module__ != __name__
    model = ns["MLP"]([6, 5, 3], seed=0)
    X, y = np.random.default_rng(0).random((8, 6), dtype=np.float32), np.arange(8) % 3
    probs = model.forward(X)
    assert probs.shape == (8, 3) and np.allclose(probs.sum(axis=1), 1, atol=1e-6)
    assert model.train_step(X, y, ns["Adam"]()) > 0


def test_epoch_benchmark_runs_on_a_small_problem(monkeypatch, capsys):
    monkeypatch.setattr(mlp_epoch, "N", 4096)
    monkeypatch.setattr(mlp_epoch, "blas_gflops", lambda dtype, size=2048, repeats=5: 1.0)
    mlp_epoch.main(["--repeats", "1"])
    out = capsys.readouterr().out
    assert "SGD" in out and "Adam" in out and "of BLAS" in out


def test_accuracy_report_skips_missing_files_with_the_command(tmp_path, monkeypatch, capsys):
    pytest.importorskip("h5py")
    (tmp_path / "mnist_subset.h5").symlink_to(Path(mlp_accuracy.__file__).resolve().parents[1] / "data" / "mnist_subset.h5")
    monkeypatch.setenv("NNKIT_DATA", str(tmp_path))
    mlp_accuracy.main(["--epochs", "1"])
    out = capsys.readouterr().out
    assert "MNIST subset" in out
    assert "skipped" in out and "python -m nnkit.mnist download" in out
    assert "nnkit.mnist convert" in out


def test_browser_latency_benchmark_says_why_it_cannot_run(monkeypatch, capsys):
    import slider_latency_browser

    monkeypatch.setattr(slider_latency_browser, "missing", lambda: "no Chromium at /nowhere/chromium")
    assert slider_latency_browser.main(["--moves", "1"]) == {}
    assert "skipped, no Chromium at /nowhere/chromium" in capsys.readouterr().out


def test_the_throughput_benchmark_splits_a_submissions_time_in_pipeline_order():
    import autograde_throughput

    from autograder.grade.record.outcomes import Summary

    summary = Summary()
    for phase, seconds in (("record", 0.1), ("cells", 3.0), ("intake", 0.4), ("cells", 5.0), ("kernel start", 0.5)):
        summary.timed(phase, seconds)
    lines = autograde_throughput.time_split(summary).splitlines()[1:]
    assert [line.split()[0] for line in lines] == ["intake", "kernel", "cells", "record"]
    assert "4.00 s" in lines[2] and sum(int(line.split()[-2]) for line in lines) in (99, 100, 101)


def test_the_dask_benchmark_counts_only_the_grading_processs_own_phases_as_its_work():
    import autograde_dask

    from autograder.grade.record.outcomes import Summary

    summary = Summary()
    for phase, seconds in (("intake", 0.5), ("cells", 9.0), ("judge and score", 1.0), ("kernel start", 2.0),
                           ("record", 0.25), ("intake", 0.5)):
        summary.timed(phase, seconds)
    assert autograde_dask.grader_busy(summary) == 2.25
