"""nnkit.widgets, headless: moving a control retrains and changes the plotted data in place."""
import ipywidgets as widgets
import numpy as np
import pytest

from nnkit.spiral import spiral_data
from nnkit.trajectories import SURFACES, momentum_path
from nnkit.widgets import (OPTIMIZERS, beta_sliders, decision_regions, learning_rate_slider, live_panel,
                           make_optimizer, momentum_slider, optimizer_selector)

PNG = b"\x89PNG\r\n\x1a\n"


class Recorder:
    """A retrain that records its calls and returns exponential 'loss curves' set by the sliders."""

    def __init__(self):
        self.calls = []

    def __call__(self, params):
        self.calls.append(dict(params))
        epochs = np.arange(20)
        return {"curves": {"fast": np.exp(-params["learning_rate"] * epochs),
                           "slow": np.exp(-params["learning_rate"] * params["momentum"] * epochs)},
                "title": f"lr {params['learning_rate']:.3g}"}


def _controls():
    return {"learning_rate": learning_rate_slider(0.01), "momentum": momentum_slider(0.5)}


def _ydata(panel, key="curves"):
    return [np.asarray(line.get_ydata(), dtype=float) for line in panel.views[key].lines]


def test_first_draw_shows_the_curves_of_the_initial_values():
    retrain = Recorder()
    panel = live_panel(retrain, _controls())
    assert retrain.calls == [{"learning_rate": pytest.approx(0.01), "momentum": 0.5}]
    assert bytes(panel.image.value).startswith(PNG)
    assert np.allclose(_ydata(panel)[0], np.exp(-0.01 * np.arange(20)))
    assert [line.get_label() for line in panel.views["curves"].lines] == ["fast", "slow"]
    assert panel.caption.value == "<b>lr 0.01</b>"


def test_moving_a_slider_retrains_and_changes_the_plotted_data_and_image():
    retrain = Recorder()
    panel = live_panel(retrain, _controls())
    before, image_before = _ydata(panel), panel.image.value
    panel.controls["learning_rate"].value = 0.1  # what the browser does when the slider moves
    assert panel.wait()
    assert retrain.calls[-1]["learning_rate"] == pytest.approx(0.1)
    after = _ydata(panel)
    assert not np.allclose(before[0], after[0])
    assert np.allclose(after[0], np.exp(-0.1 * np.arange(20)))
    assert bytes(panel.image.value) != bytes(image_before) and bytes(panel.image.value).startswith(PNG)
    assert panel.caption.value == "<b>lr 0.1</b>"


def test_update_sets_several_controls_and_retrains_once():
    retrain = Recorder()
    box, update = live_panel(retrain, _controls())
    assert isinstance(box, widgets.VBox)
    result = update(learning_rate=0.2, momentum=0.9)
    assert len(retrain.calls) == 2
    assert retrain.calls[-1] == {"learning_rate": pytest.approx(0.2), "momentum": pytest.approx(0.9)}
    assert np.allclose(result["curves"]["slow"], np.exp(-0.18 * np.arange(20)))


def test_unknown_control_names_are_rejected_with_the_known_ones():
    _, update = live_panel(Recorder(), _controls())
    with pytest.raises(TypeError, match="no control named beta_3.*learning_rate, momentum"):
        update(beta_3=0.5)


def test_a_failing_retrain_is_reported_in_the_status_and_the_panel_recovers():
    def retrain(params):
        if params["momentum"] > 0.8:
            raise NotImplementedError("SGD is not written yet")
        return {"curves": {"loss": np.full(5, params["momentum"] + 1)}}

    panel = live_panel(retrain, _controls())
    image = bytes(panel.image.value)
    assert panel.update(momentum=0.9) is None
    assert "NotImplementedError" in panel.status.value and "not written yet" in panel.status.value
    assert bytes(panel.image.value) == image
    panel.update(momentum=0.3)
    assert panel.status.value == "" and np.allclose(_ydata(panel)[0], 1.3)


def test_diverged_losses_end_the_line_and_the_number_of_curves_may_change():
    def retrain(params):
        curves = {"a": [1.0, 0.5, np.inf, np.nan]}
        if params["momentum"] > 0.5:
            curves["b"] = [2.0, 1.0, 0.5, 0.25]
        return {"curves": curves}

    panel = live_panel(retrain, _controls())
    assert np.isnan(_ydata(panel)[0][2:]).all()
    panel.update(momentum=0.9)
    assert len(panel.views["curves"].lines) == 2
    panel.update(momentum=0.1)
    assert len(panel.views["curves"].lines) == 1 and len(panel.views["curves"].ax.lines) == 1


def test_decision_regions_are_redrawn_as_new_image_data():
    X, y = spiral_data(20, 3)
    extent = (-1.1, 1.1, -1.1, 1.1)

    def retrain(params):
        # A "model" whose boundary turns with the learning rate.
        def predict(P):
            return ((np.arctan2(P[:, 1], P[:, 0]) + 10 * params["learning_rate"]) % (2 * np.pi) * 3 // (2 * np.pi)).astype(int)
        return {"curves": {"loss": [1.0, params["learning_rate"]]},
                "regions": {"image": decision_regions(predict, extent, n=40), "extent": extent, "points": (X, y)}}

    panel = live_panel(retrain, _controls())
    before = np.array(panel.views["regions"].image.get_array())
    panel.update(learning_rate=0.1)
    after = np.array(panel.views["regions"].image.get_array())
    assert before.shape == after.shape == (40, 40)
    assert not np.array_equal(before, after)
    assert set(np.unique(after)) == {0, 1, 2}


def test_descent_paths_are_redrawn_for_new_slider_values():
    surface = SURFACES["quadratic"]

    def retrain(params):
        return {"paths": {"gradient descent": momentum_path(surface.grad, surface.start, params["learning_rate"], 0, 30),
                          "momentum": momentum_path(surface.grad, surface.start, params["learning_rate"],
                                                    params["momentum"], 30)},
                "surface": surface}

    panel = live_panel(retrain, _controls())
    line = panel.views["paths"].lines[1]
    before = np.array(line.get_xydata())
    panel.controls["momentum"].value = 0.9
    assert panel.wait()
    after = np.array(line.get_xydata())
    assert np.allclose(after, momentum_path(surface.grad, surface.start, 0.01, 0.9, 30))
    assert not np.allclose(before, after)
    assert panel.views["paths"].ax.get_xlim() == surface.extent[:2]


def test_a_result_without_plots_is_an_error():
    with pytest.raises(ValueError, match="curves"):
        live_panel(lambda params: {"title": "nothing"}, _controls())


def test_controls_are_the_kinds_the_text_promises():
    lr = learning_rate_slider(0.01, min_exp=-4, max_exp=0)
    assert isinstance(lr, widgets.FloatLogSlider) and lr.base == 10 and (lr.min, lr.max) == (-4, 0)
    assert lr.value == pytest.approx(0.01)
    assert isinstance(momentum_slider(), widgets.FloatSlider) and momentum_slider().max < 1
    betas = beta_sliders(0.8, 0.99)
    assert set(betas) == {"beta_1", "beta_2"} and betas["beta_2"].value == pytest.approx(0.99)
    assert list(optimizer_selector().options) == list(OPTIMIZERS)


class _Opt:
    def __init__(self, **kwargs):
        self.kwargs = kwargs


CLASSES = {name: type(name, (_Opt,), {}) for name in ("SGD", "AdaGrad", "RMSProp", "Adam")}


@pytest.mark.parametrize("name, cls, expected", [
    ("SGD", "SGD", {"learning_rate": 0.1, "momentum": 0.0}),
    ("SGD + momentum", "SGD", {"learning_rate": 0.1, "momentum": 0.7}),
    ("AdaGrad", "AdaGrad", {"learning_rate": 0.1}),
    ("RMSProp", "RMSProp", {"learning_rate": 0.1}),
    ("Adam", "Adam", {"learning_rate": 0.1, "beta_1": 0.8, "beta_2": 0.99}),
])
def test_make_optimizer_passes_only_the_settings_each_optimizer_takes(name, cls, expected):
    params = {"optimizer": name, "learning_rate": 0.1, "momentum": 0.7, "beta_1": 0.8, "beta_2": 0.99}
    optimizer = make_optimizer(CLASSES, params)
    assert type(optimizer).__name__ == cls and optimizer.kwargs == expected


def test_make_optimizer_rejects_an_unknown_name():
    with pytest.raises(ValueError, match="unknown optimizer 'Nesterov'"):
        make_optimizer(CLASSES, {"optimizer": "Nesterov", "learning_rate": 0.1})


def test_decision_regions_rows_run_along_y():
    image = decision_regions(lambda P: (P[:, 1] > 0).astype(int), (-1, 1, -1, 1), n=10)
    assert image.shape == (10, 10)
    assert image[0].tolist() == [0] * 10 and image[-1].tolist() == [1] * 10


def test_draw_regions_colours_points_and_regions_alike():
    from matplotlib.figure import Figure
    from matplotlib.colors import to_rgba

    from nnkit.widgets import POINT_COLOURS, REGION_COLOURS, draw_regions

    X, y = spiral_data(10, 3)
    image = np.tile(np.arange(3), (3, 1))
    ax = Figure().add_subplot()
    regions, points = draw_regions(ax, X, y, image)
    assert np.allclose(points.get_facecolors()[y == 2], to_rgba(POINT_COLOURS[2]))
    assert np.allclose(regions.cmap(regions.norm(2)), to_rgba(REGION_COLOURS[2]))
    assert draw_regions(Figure().add_subplot(), X, y)[0] is None


def test_a_burst_of_slider_moves_retrains_only_for_the_latest_values():
    import threading
    import time

    gate = threading.Event()
    retrain = Recorder()

    def slow_retrain(params):
        if retrain.calls:  # the first draw, at creation, does not wait
            gate.wait(5)
        return retrain(params)

    panel = live_panel(slow_retrain, _controls())
    for i in range(1, 21):  # 20 moves while the first redraw they start is still running
        panel.controls["learning_rate"].value = 0.01 * (1 + i / 10)
        time.sleep(0.001)
    gate.set()
    assert panel.wait(10)
    moved = retrain.calls[1:]
    assert 1 <= len(moved) <= 2, "stale values were retrained one by one"
    assert moved[-1]["learning_rate"] == pytest.approx(0.03)
    assert panel.caption.value == "<b>lr 0.03</b>"


def test_controls_the_chosen_optimizer_ignores_are_disabled():
    panel = live_panel(lambda params: {"curves": {"loss": [1.0, 0.5]}},
                       {"optimizer": optimizer_selector(value="Adam"), "learning_rate": learning_rate_slider(),
                        "momentum": momentum_slider(), **beta_sliders()})
    disabled = lambda: {name for name, control in panel.controls.items() if control.disabled}  # noqa: E731
    assert disabled() == {"momentum"}
    panel.controls["optimizer"].value = "SGD + momentum"
    assert disabled() == {"beta_1", "beta_2"}
    for name in ("SGD", "AdaGrad", "RMSProp"):
        panel.update(optimizer=name)
        assert disabled() == {"momentum", "beta_1", "beta_2"}
    assert panel.wait()


@pytest.mark.parametrize("pixel_ratio", [1, 1.5, 2])
@pytest.mark.parametrize("panel_size, css", [((5, 3), (480, 288)), ((4.6, 3.4), (442, 326))])
def test_the_picture_is_drawn_at_the_size_it_is_shown(pixel_ratio, panel_size, css):
    from PIL import Image
    import io

    panel = live_panel(Recorder(), _controls(), panel_size=panel_size, pixel_ratio=pixel_ratio)
    shown = (panel.image.layout.width, panel.image.layout.height)
    assert shown == (f"{css[0]}px", f"{css[1]}px")  # 96 CSS pixels per inch, rounded
    assert Image.open(io.BytesIO(bytes(panel.image.value))).size == (round(css[0] * pixel_ratio),
                                                                     round(css[1] * pixel_ratio))


def test_the_panel_is_marked_for_the_browser_tests_and_fits_its_controls_above_the_plot():
    panel = live_panel(Recorder(), _controls())
    assert "nnkit-live-panel" in panel.box._dom_classes
    controls, caption, image, status = panel.box.children
    assert caption is panel.caption and image is panel.image and status is panel.status
    assert set(controls.children[-1].children) == set(panel.controls.values())


def test_the_title_is_an_html_caption_with_its_text_escaped():
    panel = live_panel(lambda params: {"curves": {"loss": np.ones(3)}, "title": "loss < 1 & <b>done</b>"},
                       _controls())
    assert panel.caption.value == "<b>loss &lt; 1 &amp; &lt;b&gt;done&lt;/b&gt;</b>"


def test_a_slider_move_redraws_no_text_while_the_labels_stay_the_same():
    panel = live_panel(Recorder(), _controls())
    view = panel.views["curves"]
    legend = view.legend
    assert legend not in view.dynamic() and not legend.get_animated()
    # The legend sits above the axes, where no line is drawn over the cached background.
    renderer = panel.figure.canvas.get_renderer()
    assert legend.get_window_extent(renderer).y0 >= view.ax.bbox.y1 - 1
    epochs = np.arange(20)  # a slightly higher learning rate: same labels, same axes
    assert view.update({"fast": np.exp(-0.011 * epochs), "slow": np.exp(-0.0055 * epochs)}) is False
    assert view.legend is legend


def test_new_labels_redraw_the_legend_with_them():
    panel = live_panel(Recorder(), _controls())
    view = panel.views["curves"]
    assert view.update({"Adam": np.exp(-np.arange(20)), "slow": np.exp(-0.01 * np.arange(20))}) is True
    assert [text.get_text() for text in view.legend.texts] == ["Adam", "slow"]


def test_a_legend_too_wide_for_one_row_is_stacked_above_its_axes():
    labels = ["SGD + momentum", "plain SGD, same learning rate"]
    panel = live_panel(lambda params: {"curves": {label: np.ones(5) for label in labels}}, _controls(),
                       panel_size=(4.2, 3.2))
    legend = panel.views["curves"].legend
    renderer = panel.figure.canvas.get_renderer()
    assert legend.get_window_extent(renderer).x1 <= panel.figure.bbox.x1
    assert len({text.get_window_extent(renderer).y0 for text in legend.texts}) == 2  # two rows


def test_overlapping_retrains_hold_blas_to_one_thread_and_restore_it_after_the_last():
    from threadpoolctl import ThreadpoolController

    from nnkit.live_panel import one_blas_thread

    controller = ThreadpoolController()
    if not controller.select(user_api="blas"):
        pytest.skip("NumPy's BLAS is not visible to threadpoolctl here")

    def threads():
        return {lib["num_threads"] for lib in controller.select(user_api="blas").info()}

    with controller.limit(limits=2, user_api="blas"):  # two threads before, on any machine
        first, second = one_blas_thread(), one_blas_thread()
        first.__enter__()
        second.__enter__()  # a second panel starts retraining while the first still does
        assert threads() == {1}
        first.__exit__(None, None, None)
        assert threads() == {1}  # the second is still retraining
        second.__exit__(None, None, None)
        assert threads() == {2}
        with pytest.raises(ValueError):
            with one_blas_thread():
                raise ValueError("a retrain that fails")
        assert threads() == {2}


def test_a_retrain_that_drops_a_plot_is_reported_and_the_panel_keeps_answering():
    def retrain(params):
        if params["momentum"] > 0.8:
            return {"title": "no curves this time"}
        return {"curves": {"loss": np.full(5, params["momentum"] + 1)}}

    panel = live_panel(retrain, _controls())
    panel.controls["momentum"].value = 0.9
    assert panel.wait()
    assert "retrain returned no 'curves' this time" in panel.status.value
    panel.controls["momentum"].value = 0.3
    assert panel.wait()
    assert panel.status.value == ""
    assert np.allclose(_ydata(panel)[0], 1.3)


def test_a_job_that_raises_does_not_stop_later_redraws(monkeypatch):
    import threading

    from nnkit.live_panel import LatestValueWorker

    calls, raised = [], []
    monkeypatch.setattr(threading, "excepthook", lambda args: raised.append(args.exc_value))

    def job():
        calls.append(len(calls))
        if len(calls) == 1:
            raise RuntimeError("the first job fails")

    worker = LatestValueWorker(job)
    worker.request()
    assert worker.wait(5)
    worker.request()
    assert worker.wait(5)
    for thread in threading.enumerate():  # the first thread reports its error as it ends
        if thread.name == "nnkit-live-panel":
            thread.join(5)
    assert calls == [0, 1] and [str(e) for e in raised] == ["the first job fails"]


# Request-bound mode (Colab) --------------------------------------------------------------------

@pytest.fixture
def front_end(monkeypatch):
    """Sets what `request_bound` reads: the NNKIT_LIVE_PANEL variable and whether google.colab
    is imported; both start unset."""
    import sys
    import types

    monkeypatch.delenv("NNKIT_LIVE_PANEL", raising=False)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)

    def choose(variable=None, colab=False):
        if variable is not None:
            monkeypatch.setenv("NNKIT_LIVE_PANEL", variable)
        if colab:
            monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    return choose


@pytest.mark.parametrize("variable, colab, expected", [
    (None, False, False), (None, True, True),
    ("request", False, True), (" Request ", False, True), ("thread", True, False), ("", True, True)])
def test_panels_are_request_bound_in_colab_unless_the_variable_says_otherwise(front_end, variable, colab, expected):
    from nnkit.live_panel import request_bound

    front_end(variable, colab)
    assert request_bound() is expected


def test_an_unknown_panel_mode_is_an_error_naming_the_variable_and_the_modes(front_end):
    from nnkit.live_panel import request_bound

    front_end("sync")
    with pytest.raises(ValueError, match=r"NNKIT_LIVE_PANEL='sync'.*request, thread"):
        request_bound()


def _threads_of(retrain):
    import threading

    seen = []

    def recording(params):
        seen.append(threading.current_thread())
        return retrain(params)
    return recording, seen


@pytest.mark.parametrize("how", [{"colab": True}, {"variable": "request"}])
def test_in_colab_a_move_is_retrained_and_drawn_before_the_setter_returns_in_its_thread(front_end, how):
    import threading

    front_end(**how)
    retrain, threads = _threads_of(Recorder())
    panel = live_panel(retrain, {"optimizer": optimizer_selector(value="Adam"), **_controls()})
    image_before = bytes(panel.image.value)
    panel.controls["learning_rate"].value = 0.1  # as ipywidgets does in the move's comm handler
    assert panel.caption.value == "<b>lr 0.1</b>"  # no wait(): already drawn
    assert bytes(panel.image.value) != image_before
    panel.controls["optimizer"].value = "SGD + momentum"
    assert not panel.controls["momentum"].disabled  # greyed-out state follows in the same request
    assert threads == [threading.current_thread()] * 3


def test_outside_colab_a_move_is_drawn_in_a_worker_thread(front_end):
    import threading

    front_end()
    retrain, threads = _threads_of(Recorder())
    panel = live_panel(retrain, _controls())
    panel.controls["learning_rate"].value = 0.1
    assert panel.wait()
    assert panel.caption.value == "<b>lr 0.1</b>"
    assert threads[0] is threading.current_thread() and threads[1] is not threading.current_thread()
