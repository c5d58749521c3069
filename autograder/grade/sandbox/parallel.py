"""Run tasks on local worker processes or on a Dask distributed cluster, yielding results as they come.

`run_all(fn, tasks)` yields `(task, outcome)` pairs in completion order, where the outcome is
`fn(task)` or the exception it raised. A worker that dies (killed, out of memory) loses no
other task's result: locally, the tasks the broken pool had not finished are retried, each in a
worker of its own, up to `attempts` times; on Dask, tasks that failed with `KilledWorker` are
submitted again, up to `attempts` times. A task that keeps killing its worker comes back as
`WorkerCrashed` (locally) or `KilledWorker` (Dask).
On Dask, only the workers need `fn`'s module importable: the scheduler sees `pickle.loads` and bytes
(see `_by_value`).
The caller (the grader) is the only process that writes results anywhere.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterable, Iterator


class WorkerCrashed(RuntimeError):
    """A task's worker process died every time the task was tried."""


def default_workers() -> int:
    """One worker per core, and one more: a kernel spends a third of a short notebook starting
    up, waiting on sockets rather than computing, and the extra worker fills that time."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores + 1


def run_all(fn: Callable, tasks: Iterable, *, workers: int | None = None, scheduler: str | None = None,
            attempts: int = 3) -> Iterator[tuple[Any, Any]]:
    """`tasks` may be a generator: each task is submitted as soon as it is made."""
    if scheduler:
        return _dask(fn, tasks, scheduler, attempts)
    return _local(fn, tasks, workers or default_workers(), attempts)


def _context():
    # forkserver on Linux: workers do not inherit the grader's open database or threads.
    method = "forkserver" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


def _local(fn, tasks, workers, attempts) -> Iterator[tuple[Any, Any]]:
    lost = []  # tasks whose pool broke before they finished
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        futures = {pool.submit(fn, task): task for task in tasks}
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except BrokenProcessPool:  # some worker died: every unfinished task fails with it
                lost.append(futures[future])
                continue
            except Exception as err:  # fn raised: the caller records it for this task only
                outcome = err
            yield futures[future], outcome
    if lost:
        yield from _isolated(fn, lost, workers, attempts)


def _isolated(fn, tasks, workers, attempts) -> Iterator[tuple[Any, Any]]:
    """Retry each task in a worker of its own, so that a task that kills its worker harms no other."""
    def alone(task):
        for _ in range(attempts):
            with ProcessPoolExecutor(max_workers=1, mp_context=_context()) as pool:
                try:
                    return pool.submit(fn, task).result()
                except BrokenProcessPool:
                    continue
                except Exception as err:
                    return err
        return WorkerCrashed(f"its worker process died {attempts + 1} times")

    with ThreadPoolExecutor(max_workers=workers) as threads:
        futures = {threads.submit(alone, task): task for task in tasks}
        for future in as_completed(futures):
            yield futures[future], future.result()


_LOST = object()


class _Call:
    """Unpickling this object calls `fn(task)` and gives its result."""

    def __init__(self, fn, task):
        self.fn, self.task = fn, task

    def __reduce__(self):
        return self.fn, (self.task,)


def _by_value(client, fn, task):
    """Submit `fn(task)` as the task `pickle.loads(<bytes>)`.

    Dask's scheduler unpickles every task it is given ("Error during deserialization of the task
    graph" when it cannot import the task's function): a course's function would need the course
    on the scheduler's PYTHONPATH too. `pickle.loads` and bytes it can always unpickle; the worker,
    which has the course on its path, unpickles the bytes, and that runs `fn(task)` there.
    """
    import pickle

    import cloudpickle

    return client.submit(pickle.loads, cloudpickle.dumps(_Call(fn, task)), pure=False)


def _dask(fn, tasks, scheduler, attempts) -> Iterator[tuple[Any, Any]]:
    try:
        from distributed import Client, as_completed as dask_completed
    except ImportError as err:  # pragma: no cover - depends on the installation
        raise SystemExit("--scheduler needs Dask: pip install 'dask[distributed]'") from err
    try:
        client = Client(scheduler)
    except (OSError, TimeoutError) as err:
        raise SystemExit(f"could not reach the Dask scheduler at {scheduler} ({err}); start it with "
                         "`dask scheduler` and its workers as autograder/README.md (Remote workers) says") from None
    with client:
        futures = {_by_value(client, fn, task): (task, 1) for task in tasks}
        pending = dask_completed(futures)
        retry: list = []      # tasks lost with a worker, retried one at a time
        retrying = None
        for future in pending:
            task, tried = futures.pop(future)
            if future is retrying:
                retrying = None
            try:
                outcome = future.result()
            except Exception as err:
                # A dying worker takes every task it holds with it. Retried one at a time, a
                # task that keeps killing its worker takes no other task along.
                if type(err).__name__ == "KilledWorker" and tried < attempts:
                    retry.append((task, tried + 1))
                    outcome = _LOST
                else:
                    outcome = err
            if outcome is not _LOST:
                yield task, outcome
            if retrying is None and retry:
                task, tried = retry.pop(0)
                retrying = _by_value(client, fn, task)
                futures[retrying] = (task, tried)
                pending.add(retrying)
