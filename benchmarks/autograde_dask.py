"""How `autograder grade` scales on Dask: the same submissions on 1 worker, then on 2 (or more).

    python benchmarks/autograde_dask.py [--assignment forward_propagation] [-n 16] [--workers 1 2]
    python benchmarks/autograde_dask.py --scheduler tcp://HOST:8786 --keep /shared/bench [-n 40]

Builds the scratch course of autograde_throughput.py (N submissions cycling through the
assignment's samples), computes the answer key once outside every timing, then grades every
submission (`--force`) on a Dask LocalCluster of each size in turn (one thread per worker, as
`dask worker --nthreads 1` runs), or once on the cluster at `--scheduler` (its workers need the
course copy at the same path: `--keep` a folder they share, and `PYTHONPATH=<that folder>`).
For each run it prints submissions per minute, the speed-up over the first run, and how long
the one grading process was busy (intake, judging and scoring, recording: the work no worker
can take, the gradebook writer's among it) with the ceiling that puts on throughput however many
workers there are. It checks every run gives every student the same score on every grade cell.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import autograde_throughput as bench
from autograde_throughput import ROOT

from autograder.grade import batch  # noqa: E402  (autograde_throughput put the course on sys.path)
from autograder.grade.judge import key  # noqa: E402
from autograder.grade.record.scoring import quiet_sqlalchemy  # noqa: E402
from autograder.grade.sandbox import box as sandbox  # noqa: E402

# The phases the one grading process runs (batch.py); workers run the others.
GRADING_PROCESS = ("intake", "judge and score", "record")


def grader_busy(summary) -> float:
    """Seconds the grading process spent on intake, judging and scoring, and recording, in all."""
    return sum(sum(summary.phases.get(phase, [])) for phase in GRADING_PROCESS)


def local_cluster(workers: int):
    """A LocalCluster of `workers` single-threaded worker processes that see this course."""
    from distributed import LocalCluster

    # Spawned workers import the course by name, as `PYTHONPATH=<course> dask worker` does.
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                        memory_limit=0)  # the sandbox limits memory; Dask would count the kernel's


def run_once(where: Path, assignment: str, scheduler: str) -> tuple[float, float, object, dict]:
    """Wall seconds, the grading process's CPU seconds, the Summary and the scores of one run."""
    start, cpu = time.monotonic(), resource.getrusage(resource.RUSAGE_SELF)
    summary = batch.grade_batch(assignment, where, force=True, scheduler=scheduler, progress=False)
    seconds = time.monotonic() - start
    cpu = bench.cpu_seconds(resource.getrusage(resource.RUSAGE_SELF)) - bench.cpu_seconds(cpu)
    return seconds, cpu, summary, bench.scores(where, assignment)


def report(label: str, n: int, seconds: float, cpu: float, summary, first_rate: float | None) -> float:
    rate = n / seconds * 60
    busy = grader_busy(summary)
    speedup = f"  {rate / first_rate:.2f}x the first" if first_rate else ""
    print(f"{label:<24} {seconds:7.1f} s  {rate:6.1f} submissions/min{speedup}  "
          f"({summary.graded} graded, {summary.failed} failed)")
    print(f"  {'':<22} grading process busy {busy:.1f} s ({100 * busy / seconds:.0f} % of the run): "
          f"at most {n / busy * 60 if busy else float('inf'):.0f} submissions/min with any number of workers; "
          f"its CPU {cpu / n:.2f} s per submission")
    return rate


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assignment", default="forward_propagation")
    parser.add_argument("-n", type=int, default=16, help="submissions (default 16)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="LocalCluster sizes to run in turn (default 1 2)")
    parser.add_argument("--scheduler", help="grade once on this Dask scheduler instead of local clusters")
    parser.add_argument("--keep", type=Path, help="build the course copy here and keep it")
    args = parser.parse_args(argv)

    quiet_sqlalchemy()
    where = args.keep or Path(tempfile.mkdtemp(prefix="autograde-dask-"))
    where.mkdir(parents=True, exist_ok=True)
    bench.make_course(where, args.assignment, args.n)
    print(f"{args.n} submissions of {args.assignment} in {where}; {os.cpu_count()} cores; "
          f"sandbox mode {sandbox.detect()}; load average {os.getloadavg()[0]:.1f} before")
    start = time.monotonic()
    key.compute_locally(where, args.assignment, args.assignment)
    print(f"answer key (run once, cached): {time.monotonic() - start:.1f} s")

    runs = []
    if args.scheduler:
        runs.append((f"scheduler {args.scheduler}", *run_once(where, args.assignment, args.scheduler)))
    else:
        for workers in args.workers:
            with local_cluster(workers) as cluster:
                run = run_once(where, args.assignment, cluster.scheduler_address)
            runs.append((f"Dask, {workers} worker{'s' * (workers > 1)}", *run))
    first_rate = None
    for label, seconds, cpu, summary, _ in runs:
        rate = report(label, args.n, seconds, cpu, summary, first_rate)
        first_rate = first_rate or rate
    first = runs[0][-1]
    differ = [label for label, *_, scores in runs[1:] if scores != first]
    print(f"load average {os.getloadavg()[0]:.1f} after")
    print("scores: identical in every run" if not differ else f"scores differ from the first run in: {', '.join(differ)}")
    if not args.keep:
        shutil.rmtree(where, ignore_errors=True)
    if differ:
        sys.exit(1)


if __name__ == "__main__":
    main()
