"""Remote workers set up exactly as autograder/README.md says: a scheduler and a worker started as
separate processes, only the worker with the course on PYTHONPATH; `grade --scheduler` through them."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder import cli, reasons
from autograder.grade.record.notes import Note

from tests.autograder.full_course import ASSIGNMENT, FIELD_CASES, course

DASK = Path(sys.executable).parent / "dask"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_workers(address: str, count: int, seconds: float = 60) -> None:
    from distributed import Client

    with Client(address, timeout=seconds) as client:
        client.wait_for_workers(count, timeout=seconds)


@pytest.fixture
def cluster(tmp_path):
    """`dask scheduler`, and `PYTHONPATH=<course> dask worker <scheduler>`, from a folder that is not the course."""
    pytest.importorskip("distributed")
    (tmp_path / "course").mkdir()
    root = course(tmp_path / "course", release=True)
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    logs = [open(tmp_path / name, "w") for name in ("scheduler.log", "worker.log")]
    started = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                 "--no-dashboard"], env=env, cwd=elsewhere, stdout=logs[0], stderr=logs[0])]
    try:
        started.append(subprocess.Popen([str(DASK), "worker", address, "--nworkers", "2", "--nthreads", "1",
                                         "--no-dashboard"], env=dict(env, PYTHONPATH=str(root)), cwd=elsewhere,
                                        stdout=logs[1], stderr=logs[1]))
        wait_for_workers(address, 2)
        yield root, address, tmp_path
    finally:
        for process in reversed(started):
            process.terminate()
            process.wait(timeout=30)
        for log in logs:
            log.close()


@pytest.mark.notebook
def test_grading_through_a_scheduler_and_workers_started_as_the_readme_says(cluster):
    root, address, logs = cluster
    for student, case in [("perfect", "perfect_reference"), ("deleted-test", "grade_cell_deleted")]:
        path = root / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_bytes((FIELD_CASES / f"{case}.ipynb").read_bytes())
    cli.main(["grade", ASSIGNMENT, "--scheduler", address], root=root)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "nn-from-scratch") as gb:
        scores = {s: gb.find_submission(ASSIGNMENT, s).score for s in ("perfect", "deleted-test")}
    assert scores == {"perfect": 17, "deleted-test": 17}
    assert "deserialization" not in (logs / "scheduler.log").read_text()


def test_an_unreachable_scheduler_is_named_with_what_to_start(tmp_path):
    pytest.importorskip("distributed")
    import dask

    from autograder.grade.sandbox.parallel import run_all

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        with pytest.raises(SystemExit, match="could not reach the Dask scheduler at .* `dask scheduler`"):
            list(run_all(str, ["x"], scheduler=f"tcp://127.0.0.1:{free_port()}"))


def test_a_dask_message_is_never_a_students_reason():
    from distributed.scheduler import KilledWorker

    lost = reasons.grading_failure(KilledWorker("execute-run-1b2c", "tcp://10.0.0.5:4000", None))
    assert "worker process died" in lost and "execute-run" not in lost
    graph = reasons.grading_failure(RuntimeError("Error during deserialization of the task graph. This frequently"))
    assert "Dask cluster could not run it" in graph and "Remote workers" in graph
    err = RuntimeError("Error during deserialization of the task graph. This frequently")
    student = " ".join(reasons.for_student([Note("grading_failed", detail=reasons.failure_detail(err))]))
    assert "not in your code" in student and "deserialization" not in student and "Dask" not in student
