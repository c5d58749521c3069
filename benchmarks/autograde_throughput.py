"""Throughput of `autograder grade` against stock `nbgrader autograde`, on the same submissions.

    python benchmarks/autograde_throughput.py [--assignment forward_propagation] [-n 40]
        [--workers N] [--rounds R] [--keep DIR]

In a scratch copy of the course: release the assignment, write N submissions cycling through
the assignment's samples (samples/<assignment>.py: correct variants and typical mistakes),
grade them with stock `nbgrader autograde --force`, then with `autograder grade --force`
(`--rounds` times, back to back, so that each ratio is taken under one load), and
print submissions per minute for each, the ratio, the CPU time of our grading process per
submission (the serial part: intake, judging and scoring, recording; little changed by load), the per-submission overhead of ours
(scratch directory + sandbox + kernel start) apart from execution, and where a submission's
time goes (intake, scratch and sandbox, kernel start, cells, judging and scoring, recording). It also checks that both
give every student the same score on every grade cell.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.grade import batch  # noqa: E402
from autograder.grade.record.scoring import quiet_sqlalchemy  # noqa: E402
from autograder.grade.judge import key  # noqa: E402
from autograder.grade.sandbox import parallel  # noqa: E402
from autograder.grade.sandbox import box as sandbox  # noqa: E402
from autograder.course import nbgrader  # noqa: E402
from autograder.release import release  # noqa: E402
from autograder.samples import build_submission, load_samples  # noqa: E402
from autograder.scores import cell_scores  # noqa: E402

# A submission's way through `autograder grade`, in order (Summary.phases' names).
PHASES = ("intake", "scratch and sandbox", "kernel start", "cells", "cleanup", "judge and score", "record")
COPIED = ("nbgrader_config.py", "nnkit", "data", "source", "autograder", "samples")


def make_course(where: Path, assignment: str, count: int) -> None:
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, where / name, ignore=shutil.ignore_patterns("__pycache__", "full"))
        else:
            shutil.copy(src, where / name)
    release([assignment], where)
    import nbformat

    name = f"{assignment}.ipynb"
    source = nbformat.read(where / "source" / assignment / name, as_version=4)
    release_nb = nbformat.read(where / "release" / assignment / name, as_version=4)
    samples = load_samples(assignment, where)
    for i in range(count):
        sample = samples[i % len(samples)]
        path = where / "submitted" / f"s{i:03d}-{sample.student}" / assignment / name
        path.parent.mkdir(parents=True)
        nbformat.write(build_submission(source, release_nb, sample), path)


def scores(root: Path, assignment: str) -> dict:
    return {(student, q): score.score for student, row in cell_scores(assignment, root).items()
            for q, score in row.items()}


def sandbox_overhead(repeat: int = 5) -> tuple[float, float]:
    """Seconds to start `python -c pass` bare and inside a sandbox (no kernel)."""
    def timed(cmd):
        start = time.monotonic()
        subprocess.run(cmd, check=True)
        return time.monotonic() - start

    bare, boxed = [], []
    for _ in range(repeat):
        bare.append(timed([sys.executable, "-c", "pass"]))
        scratch = tempfile.mkdtemp(prefix="ag-bench-")
        box = sandbox.new_box(scratch)
        boxed.append(timed(sandbox.wrap([sys.executable, "-c", "pass"], box)))
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(scratch + ".root", ignore_errors=True)
    return statistics.median(bare), statistics.median(boxed)


def cpu_seconds(usage) -> float:
    """User and system CPU seconds of a `resource.getrusage` record: unlike wall time, barely
    changed by other jobs on the machine."""
    return usage.ru_utime + usage.ru_stime


def time_split(summary) -> str:
    """Where a submission's time goes: the median seconds of each phase, in pipeline order, and
    its share of their sum (intake and scoring run in the grading process, the rest on workers)."""
    order = {phase: i for i, phase in enumerate(PHASES)}
    medians = {phase: statistics.median(times) for phase, times in
               sorted(summary.phases.items(), key=lambda item: order.get(item[0], len(order))) if times}
    total = sum(medians.values()) or 1.0
    lines = ["time per submission, median of each phase:"]
    lines += [f"  {phase:<20} {seconds:6.2f} s  {100 * seconds / total:4.0f} %" for phase, seconds in medians.items()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assignment", default="forward_propagation")
    parser.add_argument("-n", type=int, default=40, help="submissions (default 40)")
    parser.add_argument("--workers", type=int, default=None, help="default: one per core, and one more")
    parser.add_argument("--rounds", type=int, default=1, help="stock-then-ours timings, back to back (default 1)")
    parser.add_argument("--keep", type=Path, help="build the course copy here and keep it")
    args = parser.parse_args()

    quiet_sqlalchemy()
    where = args.keep or Path(tempfile.mkdtemp(prefix="autograde-bench-"))
    where.mkdir(parents=True, exist_ok=True)
    make_course(where, args.assignment, args.n)
    print(f"{args.n} submissions of {args.assignment} in {where}; "
          f"{os.cpu_count()} cores; sandbox mode {sandbox.detect()}")

    # Both graders judge against the same answer key: compute it once, outside both timings.
    start = time.monotonic()
    key.compute_locally(where, args.assignment, args.assignment)
    print(f"answer key (source and sample mistakes, run once, cached): {time.monotonic() - start:.1f} s")

    # On a shared machine the load changes from minute to minute: each round times stock, then
    # ours, back to back, and the ratio is taken within a round.
    rounds, differ = [], {}
    for _ in range(args.rounds):
        load = os.getloadavg()[0]
        start = time.monotonic()
        nbgrader(where, "autograde", args.assignment, "--force", log_level="ERROR")
        stock = time.monotonic() - start
        stock_scores = scores(where, args.assignment)
        start, cpu = time.monotonic(), resource.getrusage(resource.RUSAGE_SELF)
        summary = batch.grade_batch(args.assignment, where, force=True, workers=args.workers, progress=False)
        ours = time.monotonic() - start
        grader_cpu = cpu_seconds(resource.getrusage(resource.RUSAGE_SELF)) - cpu_seconds(cpu)
        our_scores = scores(where, args.assignment)
        differ.update({k: (stock_scores.get(k), our_scores.get(k)) for k in set(stock_scores) | set(our_scores)
                       if stock_scores.get(k) != our_scores.get(k)})
        rounds.append((stock, ours))
        stock_rate, our_rate = args.n / stock * 60, args.n / ours * 60
        print(f"round {len(rounds)} (load average {load:.1f} before, {os.getloadavg()[0]:.1f} after): "
              f"stock nbgrader autograde {stock:6.1f} s {stock_rate:6.1f}/min; autograder grade {ours:6.1f} s "
              f"{our_rate:6.1f}/min ({summary.graded} graded, {summary.failed} failed); ratio {stock / ours:.2f}x; "
              f"our grading process's CPU {grader_cpu / args.n:.2f} s per submission")
    if len(rounds) > 1:
        print(f"median ratio over {len(rounds)} rounds: {statistics.median(s / o for s, o in rounds):.2f}x")
    bare, boxed = sandbox_overhead()
    print(f"per-submission overhead of ours: scratch+sandbox+kernel start median "
          f"{statistics.median(summary.startup):.2f} s (of {rounds[-1][1] / args.n * (args.workers or parallel.default_workers()):.2f} s "
          f"per submission per worker); sandbox entry alone {boxed - bare:+.3f} s "
          f"(python -c pass: {bare:.3f} s bare, {boxed:.3f} s sandboxed)")
    print(time_split(summary))  # of the last round
    print("scores: identical to stock" if not differ else f"scores differ on {len(differ)} cells: "
          + ", ".join(f"{s}/{g}: stock {a} ours {b}" for (s, g), (a, b) in sorted(differ.items())[:10]))
    if not args.keep:
        shutil.rmtree(where, ignore_errors=True)


if __name__ == "__main__":
    main()
