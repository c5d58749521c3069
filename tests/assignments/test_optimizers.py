import inspect
import re
import sys
import time

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from autograder.course import ROOT

ASSIGNMENT = "optimizers"
SOURCE = ROOT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
GUARD = 'if not os.environ.get("NBGRADER_EXECUTION"):'
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

sys.path.insert(0, str(ROOT / "benchmarks"))
import slider_latency  # noqa: E402


def _source_cells():
    nb = nbformat.read(SOURCE, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}


@pytest.fixture(scope="module")
def live():
    """The notebook's reference solutions, provided code and live panels, run in-process."""
    return slider_latency.load_live_panels()


def test_live_widgets_never_run_while_autograding(graded):
    nb = graded.autograded("reference", ASSIGNMENT)
    shown = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if WIDGET_MIME in o.get("data", {})]
    assert shown == []


def test_each_graded_class_and_function_is_one_solution_cell_named_after_it():
    cells = _source_cells()
    for name, kind in (("SGD", "class"), ("AdaGrad", "class"), ("RMSProp", "class"), ("Adam", "class"),
                       ("train_graph", "def"), ("train_spiral", "def")):
        assert cells[name].metadata.nbgrader["solution"]
        assert re.search(rf"^{kind} {name}\b", cells[name].source, re.M)


def test_constructors_have_the_contract_signatures(live):
    expected = {
        "SGD": "(learning_rate=1.0, decay=0.0, momentum=0.0)",
        "AdaGrad": "(learning_rate=1.0, decay=0.0, epsilon=1e-07)",
        "RMSProp": "(learning_rate=0.001, decay=0.0, epsilon=1e-07, rho=0.9)",
        "Adam": "(learning_rate=0.001, decay=0.0, epsilon=1e-07, beta_1=0.9, beta_2=0.999)",
    }
    for name, signature in expected.items():
        assert str(inspect.signature(live[name])) == signature
        optimizer = live[name]()
        assert optimizer.iterations == 0 and optimizer.current_learning_rate == optimizer.learning_rate


class _Layer:
    def __init__(self, weights, biases):
        self.weights, self.biases = np.array(weights, dtype=float), np.array(biases, dtype=float)


def _steps(optimizer, layer, grads):
    for gw, gb in grads:
        layer.dweights, layer.dbiases = gw, gb
        optimizer.pre_update_params()
        optimizer.update_params(layer)
        optimizer.post_update_params()
    return layer


def test_reference_adam_first_step_is_the_learning_rate_in_the_gradients_direction(live):
    g = np.array([[3.0, -0.02], [1e-3, -50.0]])
    layer = _steps(live["Adam"](learning_rate=0.01), _Layer(np.zeros((2, 2)), np.zeros((1, 2))), [(g, g[:1])])
    assert np.allclose(layer.weights, -0.01 * np.sign(g), rtol=1e-3)


def test_reference_momentum_under_a_constant_gradient_reaches_lr_over_one_minus_beta(live):
    g = np.array([[1.0]])
    optimizer, layer = live["SGD"](learning_rate=0.1, momentum=0.9), _Layer([[0.0]], [[0.0]])
    _steps(optimizer, layer, [(g, g)] * 400)
    before = layer.weights.copy()
    _steps(optimizer, layer, [(g, g)])
    assert np.isclose((layer.weights - before)[0, 0], -0.1 / (1 - 0.9))


def test_reference_rmsprop_cache_is_an_average_so_constant_gradients_give_steps_of_about_lr(live):
    g = np.full((1, 3), 1e-3)
    layer = _Layer(np.zeros((1, 3)), np.zeros((1, 3)))
    optimizer = live["RMSProp"](learning_rate=0.01, rho=0.9)
    _steps(optimizer, layer, [(g, g)] * 200)
    before = layer.weights.copy()
    _steps(optimizer, layer, [(g, g)])
    assert np.allclose(layer.weights - before, -0.01, rtol=1e-3)


def test_reference_decay_is_inverse_time(live):
    for name in ("SGD", "AdaGrad", "RMSProp", "Adam"):
        optimizer = live[name](learning_rate=0.5, decay=0.25)
        layer = _Layer(np.ones((2, 2)), np.ones((1, 2)))
        rates = []
        for _ in range(9):
            _steps(optimizer, layer, [(np.ones((2, 2)), np.ones((1, 2)))])
            rates.append(optimizer.current_learning_rate)
        assert np.allclose(rates, 0.5 / (1 + 0.25 * np.arange(9)))
        assert optimizer.iterations == 9


def test_live_cells_are_guarded_and_only_they_build_panels():
    nb = nbformat.read(SOURCE, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and ("live_panel(" in cell.source or "display(" in cell.source):
            assert GUARD in cell.source, cell.source[:80]
            body = cell.source.split(GUARD, 1)[1]
            assert "live_panel(" not in cell.source.split(GUARD, 1)[0]
            assert all(line.startswith("    ") or not line.strip() for line in body.split("\n")[1:])


def test_live_views_retrain_with_the_notebooks_own_classes_and_redraw(live):
    calls = []

    class CountingSGD(live["SGD"]):
        def update_params(self, layer):
            calls.append(layer)
            super().update_params(layer)

    original = live["SGD"]
    live["SGD"] = CountingSGD
    try:
        for name in ("graph_panel", "spiral_panel", "quadratic_panel", "rosenbrock_panel"):
            panel = live[name]
            lines = panel.views.get("curves", panel.views.get("paths")).lines
            before = [np.array(line.get_xydata()) for line in lines]
            calls.clear()
            value = panel.controls["learning_rate"].value
            panel.update(optimizer="SGD + momentum", learning_rate=value * 0.5) if "optimizer" in panel.controls \
                else panel.update(learning_rate=value * 0.5)
            assert calls, f"{name} did not use the notebook's SGD"
            after = [np.array(line.get_xydata()) for line in lines]
            assert any(b.shape != a.shape or not np.allclose(b, a, equal_nan=True) for b, a in zip(before, after)), name
            assert panel.status.value == ""
    finally:
        live["SGD"] = original


def test_spiral_live_view_redraws_its_decision_regions(live):
    panel = live["spiral_panel"]
    panel.update(optimizer="Adam", learning_rate=0.05)
    good = np.array(panel.views["regions"].image.get_array())
    panel.update(optimizer="SGD", learning_rate=0.001)
    assert not np.array_equal(good, np.array(panel.views["regions"].image.get_array()))
    assert len(np.unique(good)) == 3


@pytest.mark.slow  # retrains every live panel
def test_slider_latency_benchmark_prints_every_view(capsys):
    slider_latency.main(["--repeats", "2", "--no-colab"])
    out = capsys.readouterr().out
    for label in slider_latency.PANELS:
        assert label in out
    assert "baseline" in out and "goal 100 ms" in out


@pytest.mark.notebook
def test_source_notebook_runs_headless_in_well_under_a_minute_with_live_panels():
    nb = nbformat.read(SOURCE, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(SOURCE.parent)}}).execute()
    elapsed = time.perf_counter() - start
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    widgets = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if WIDGET_MIME in o.get("data", {})]
    assert len(widgets) == 4  # graph, spiral, quadratic, Rosenbrock
    assert elapsed < 60
