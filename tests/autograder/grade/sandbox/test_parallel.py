"""Running tasks on local worker processes and on a real Dask LocalCluster; workers that die."""
from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from autograder.grade.sandbox.parallel import WorkerCrashed, run_all


def work(task):
    kind, marker = task
    if kind == "crash-always" or (kind == "crash-once" and not Path(marker).exists()):
        Path(marker).touch()
        os.kill(os.getpid(), signal.SIGKILL)
    if kind == "raise":
        raise ValueError("bad task")
    return f"done {kind}"


def tasks(tmp_path, kinds):
    return [(kind, str(tmp_path / f"{i}-{kind}")) for i, kind in enumerate(kinds)]


@pytest.mark.slow
def test_local_workers_return_every_result_and_an_error_only_for_its_task(tmp_path):
    results = dict(run_all(work, tasks(tmp_path, ["ok", "raise", "ok", "ok"]), workers=2))
    assert sorted(str(r) for r in results.values()) == ["bad task", "done ok", "done ok", "done ok"]


@pytest.mark.slow
def test_a_killed_local_worker_loses_no_other_task(tmp_path):
    jobs = tasks(tmp_path, ["ok", "crash-once", "ok", "crash-always", "ok"])
    results = {task[1]: r for task, r in run_all(work, jobs, workers=2, attempts=2)}
    outcomes = {kind for kind in (r if isinstance(r, str) else type(r).__name__ for r in results.values())}
    assert len(results) == 5
    assert outcomes == {"done ok", "done crash-once", "WorkerCrashed"}
    assert sum(isinstance(r, WorkerCrashed) for r in results.values()) == 1


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster:
            yield cluster


@pytest.mark.slow
def test_dask_cluster_returns_every_result(cluster, tmp_path):
    results = dict(run_all(work, tasks(tmp_path, ["ok", "ok", "raise"]), scheduler=cluster.scheduler_address))
    assert sorted(str(r) for r in results.values()) == ["bad task", "done ok", "done ok"]


@pytest.mark.slow
def test_a_killed_dask_worker_loses_no_other_task(cluster, tmp_path):
    jobs = tasks(tmp_path, ["ok", "crash-always", "ok", "ok"])
    results = list(run_all(work, jobs, scheduler=cluster.scheduler_address, attempts=3))
    failed = [task for task, r in results if isinstance(r, Exception)]
    assert len(results) == 4 and [task[0] for task in failed] == ["crash-always"]
