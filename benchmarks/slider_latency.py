"""Latency of one slider move in the live experiments of assignment 4: retrain, then redraw.

Each live view of `source/optimizers/optimizers.ipynb` is built exactly as the notebook builds it
(its provided code, reference solutions and live cells, run in-process), then its learning-rate
slider is moved through a few values around the default with `update(...)`, the call a slider
move makes. For each view it prints the median and 90th percentile, in milliseconds, of

- retrain: the student-code part alone (training with the notebook's optimizer classes);
- move: retrain plus redraw (new line/image data, figure rendered to the PNG the widget shows);

against the goal of 100 ms per move, and as a multiple of a baseline measured in the same run:
one full matplotlib redraw of a one-line figure of one panel's size to PNG, what re-running a
plotting cell costs at the least on this machine. (The panels redraw only the artists that
change over a cached background, so a move can cost less than that baseline.)

Then the Colab mode (request-bound: the redraw runs while the kernel handles the move's comm
message): the release notebook, reference filled in, runs in a kernel of Colab's published
versions (`platforms/colab-runtime.txt`, its venv built once), and each panel's learning-rate
slider is moved by comm messages as the front end sends them. Per panel: median and p90 of the
kernel side, from the kernel's busy status for the move to the new picture's message (both the
kernel's own timestamps), against median < 100 ms and p90 < 150 ms; the client's round trip
to the kernel's idle status; and the kernel's CPU time per move. Skipped, with the reason, when the machine has no Python 3.13.

Run from the course folder: `python benchmarks/slider_latency.py [--repeats 20] [--no-colab]`.
Prints figures only; no pass/fail.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import matplotlib
import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "source" / "optimizers" / "optimizers.ipynb"
GOAL_MS = 100.0
COLAB_GOAL_MEDIAN_MS, COLAB_GOAL_P90_MS = 100.0, 150.0
# Provided and solution cells the live views need, by grade id, in notebook order.
CELLS = ("imports", "SGD", "AdaGrad", "RMSProp", "Adam", "graph_code", "train_graph", "spiral_network",
         "train_spiral")
# The notebook's panels, by the name its live cells give them.
PANELS = {"graph data (100 full-batch steps x 2 curves)": "graph_panel",
          "spiral (100 epochs, 150 points, 60x60 regions)": "spiral_panel",
          "trajectories: quadratic (2 x 60 steps)": "quadratic_panel",
          "trajectories: Rosenbrock (2 x 300 steps)": "rosenbrock_panel"}

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from autograder.samples import run_cells  # noqa: E402
from nnkit.live_panel import one_blas_thread  # noqa: E402


def load_live_panels() -> dict:
    """Run the notebook's setup, solutions and live cells; returns its namespace (panels included)."""
    matplotlib.use("Agg")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    live = [c.source for c in nb.cells if c.cell_type == "code" and "nbgrader" not in c.metadata
            and ("def retrain_" in c.source or "def paths_retrain" in c.source or "live_panel(" in c.source)]
    namespace: dict = {}
    saved = os.environ.pop("NBGRADER_EXECUTION", None)  # the live cells only build panels outside grading
    try:
        run_cells("optimizers", CELLS, namespace)
        namespace["display"] = lambda *objects: None  # no front end here
        for i, source in enumerate(live):
            exec(compile(source, f"{NOTEBOOK.name}[live {i}]", "exec"), namespace)
    finally:
        if saved is not None:
            os.environ["NBGRADER_EXECUTION"] = saved
    return namespace


def _percentiles(seconds: list[float]) -> tuple[float, float]:
    ms = np.array(seconds) * 1000
    return float(np.median(ms)), float(np.percentile(ms, 90))


def time_panel(panel, repeats: int) -> tuple[list[float], list[float], list[float]]:
    """Over `repeats` slider moves: seconds per retrain alone, per move (retrain + redraw), and
    CPU seconds per move (what the move costs this process, whatever else the machine runs)."""
    slider = panel.controls["learning_rate"]
    values = _learning_rates(slider.value, 10 ** slider.min, 10 ** slider.max)
    retrain, move, cpu = [], [], []
    for i in range(repeats):
        value = values[i % len(values)]
        params = {**panel.values(), "learning_rate": value}
        t0 = time.perf_counter()
        with one_blas_thread():  # as the panel retrains
            panel.retrain(params)
        t1 = time.perf_counter()
        c1 = time.process_time()
        panel.update(learning_rate=value)
        t2 = time.perf_counter()
        cpu.append(time.process_time() - c1)
        retrain.append(t1 - t0)
        move.append(t2 - t1)
    return retrain, move, cpu


def baseline(repeats: int) -> list[float]:
    """Seconds per full redraw of a one-line figure of one panel's size, rendered to PNG: what
    re-running a plotting cell costs at the least (the live panels redraw only what changed)."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(4.2, 3.2), dpi=96)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    (line,) = ax.plot(np.arange(20), np.ones(20))
    times = []
    for i in range(repeats):
        t0 = time.perf_counter()
        line.set_ydata(np.linspace(1, 0.01 * (1 + i % 5), 20))
        ax.relim()
        ax.autoscale_view()
        figure.savefig(io.BytesIO(), format="png", dpi=96)
        times.append(time.perf_counter() - t0)
    return times


def _learning_rates(start: float, low: float, high: float) -> list[float]:
    """The learning rates a benchmark moves a slider through, around its start, within its range."""
    return [float(np.clip(start * f, low, high)) for f in (0.5, 0.7, 1.4, 2.0, 1.0)]


def colab_times(repeats: int) -> dict | str:
    """{panel label: {"kernel": (median, p90) ms, "round_trip": (median, p90) ms}} of learning-rate
    moves in a kernel of Colab's versions, in request-bound mode; or why it cannot run."""
    import tempfile

    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    from autograder.samples import REFERENCE, build_submission
    from tests.notebooks.colab_runtime import colab_venv, kernel_specs
    from tests.notebooks.front_end import FrontEnd, find_panels

    try:
        python = colab_venv()
    except LookupError as missing:
        return str(missing)
    release = ROOT / "release" / "optimizers" / "optimizers.ipynb"
    nb = build_submission(nbformat.read(NOTEBOOK, as_version=4), nbformat.read(release, as_version=4), REFERENCE)
    env = {key: value for key, value in os.environ.items()
           if key not in ("NBGRADER_EXECUTION", "PYTHONPATH", "NNKIT_DATA")}
    env["NNKIT_LIVE_PANEL"] = "request"  # as in Colab, without a stand-in google.colab
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        client = NotebookClient(nb, timeout=600, km=KernelManager(
            kernel_name="colab", kernel_spec_manager=kernel_specs(python, Path(folder))))
        with client.setup_kernel(env=env, cwd=str(release.parent), cleanup_kc=True):  # shut down after
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
            front_end = FrontEnd(client.kc, client.widget_state)
            for label, panel in zip(PANELS, find_panels(client.widget_state)):
                slider = panel.controls["learning rate"]
                state = front_end.state[slider]
                values = _learning_rates(state["value"], state["base"] ** state["min"], state["base"] ** state["max"])
                for i in range(3):  # warm up
                    front_end.move(slider, {"value": values[i]}, panel)
                cpu = _kernel_cpu_seconds(client.kc)
                moves = [front_end.move(slider, {"value": values[i % len(values)]}, panel) for i in range(3, 3 + repeats)]
                cpu = _kernel_cpu_seconds(client.kc) - cpu
                if any(move.kernel_seconds is None for move in moves):
                    return f"{label}: a move brought no picture before the kernel's idle status"
                results[label] = {"kernel": _percentiles([m.kernel_seconds for m in moves]),
                                  "round_trip": _percentiles([m.seconds for m in moves]),
                                  "cpu": 1000 * cpu / repeats}
    return results


def _kernel_cpu_seconds(kc) -> float:
    """The kernel process's CPU seconds so far (all its threads), asked of the kernel itself."""
    printed = []
    kc.execute_interactive("import time as _t; print(_t.process_time())", timeout=60, output_hook=lambda m:
                           printed.append(m["content"]["text"]) if m["msg_type"] == "stream" else None)
    return float("".join(printed))


def print_colab(results: dict | str) -> None:
    """The Colab mode's table, or the reason it was skipped."""
    from tests.notebooks.colab_runtime import pins, python_version

    versions = pins()
    print(f"\nColab mode (request-bound) in a kernel of Colab's versions: Python {python_version()}, "
          f"ipywidgets {versions['ipywidgets']}, ipykernel {versions['ipykernel']}, numpy {versions['numpy']}, "
          f"matplotlib {versions['matplotlib']}; goal median < {COLAB_GOAL_MEDIAN_MS:.0f} ms, "
          f"p90 < {COLAB_GOAL_P90_MS:.0f} ms")
    if isinstance(results, str):
        print(f"skipped: {results}")
        return
    header = (f"{'view':48s} {'kernel: move to picture med/p90':>32s} {'client round trip med/p90':>26s} "
              f"{'kernel CPU/move':>16s} {'goal':>6s}")
    print(header)
    print("-" * len(header))
    for label, figures in results.items():
        (k50, k90), (r50, r90) = figures["kernel"], figures["round_trip"]
        verdict = "met" if k50 < COLAB_GOAL_MEDIAN_MS and k90 < COLAB_GOAL_P90_MS else "missed"
        print(f"{label:48s} {k50:20.1f}/{k90:6.1f} ms {r50:15.1f}/{r90:6.1f} ms {figures['cpu']:13.1f} ms "
              f"{verdict:>6s}")
    print("kernel = from the kernel's busy status for the move to the new picture's message (kernel clock);"
          "\nround trip = from sending the move to the kernel's idle status for it, on the client; kernel CPU/move ="
          "\nthe kernel process's CPU time over the moves, per move (the mean): its cost on an otherwise idle machine.")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=20, help="slider moves per view (default 20)")
    parser.add_argument("--no-colab", action="store_true", help="leave out the Colab mode (a notebook run)")
    args = parser.parse_args(argv)

    namespace = load_live_panels()
    print(f"Slider latency of assignment 4's live views: {args.repeats} moves each, goal {GOAL_MS:.0f} ms per move")
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"NumPy {np.__version__}, matplotlib {matplotlib.__version__}, "
          f"load average {os.getloadavg()[0]:.1f} at the start")
    for _ in range(3):  # warm up caches, fonts and the text layout of every panel
        for attr in PANELS.values():
            namespace[attr].update(learning_rate=namespace[attr].controls["learning_rate"].value)
    base = _percentiles(baseline(args.repeats))
    print(f"baseline: one full matplotlib redraw of a one-line figure to PNG: median {base[0]:.1f} ms, p90 {base[1]:.1f} ms\n")
    header = (f"{'view':48s} {'retrain med/p90':>17s} {'move med/p90':>17s} {'move CPU med':>13s} "
              f"{'goal':>6s} {'x baseline':>11s}")
    print(header)
    print("-" * len(header))
    results = {}
    for label, attr in PANELS.items():
        retrain, move, cpu = time_panel(namespace[attr], args.repeats)
        r, m, c = _percentiles(retrain), _percentiles(move), _percentiles(cpu)
        verdict = "met" if m[1] <= GOAL_MS else ("median" if m[0] <= GOAL_MS else "missed")
        print(f"{label:48s} {r[0]:7.1f}/{r[1]:6.1f} ms {m[0]:7.1f}/{m[1]:6.1f} ms {c[0]:9.1f} ms "
              f"{verdict:>6s} {m[0] / base[0]:10.2f}x")
        results[label] = {"retrain": r, "move": m, "cpu": c}
    print("\nmove = retrain + redraw, as one slider move in the notebook (wall clock); move CPU = the CPU time "
          "of that move in this process, its cost on an otherwise idle machine;\n'met' = p90 within the goal, "
          "'median' = only the median is; x baseline = median move / median baseline.")
    results["baseline"] = base
    if not args.no_colab:
        results["colab"] = colab_times(args.repeats)
        print_colab(results["colab"])
    return results


if __name__ == "__main__":
    main()
