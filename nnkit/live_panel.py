"""A live panel: controls, a figure that `retrain` redraws, a status line (see `nnkit.widgets`).

What keeps it live in a browser:

- *threaded* (JupyterLab, Notebook 7, VS Code, classic Notebook): a slider move only notes that
  the controls changed; a worker thread retrains and redraws with the values of that moment, so
  a burst of moves costs at most one redraw in progress and one after it, never a queue of stale
  ones;
- *request-bound* (Colab, whose page shows a widget update only while the kernel handles the
  request that made it, googlecolab/colabtools#3373): the retrain and redraw run in the kernel's
  handler of the move's own comm message, so the picture is sent before the kernel reports idle
  for that move. Stale values still never queue: ipywidgets' front end (7 and 8) keeps at most
  one update per widget in flight and, until the kernel reports idle for it, merges later moves
  into one pending update holding only the latest value. The kernel cannot look at messages it
  has not read yet, so a client that sends moves without waiting gets each one drawn, in order;
- a redraw renders only the artists that change (lines, images, points) over a cached background
  of the static ones; text is laid out only when it changes: the legends sit outside the axes,
  and the result's "title" is an HTML caption, which the browser draws sharp and for free;
- the picture is drawn at the size it is shown (the `Image` widget is given the figure's size in
  CSS pixels) and at `pixel_ratio` device pixels per CSS pixel, so the browser never scales it up.
"""
from __future__ import annotations

import html
import io
import os
import sys
import threading
from contextlib import contextmanager

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from threadpoolctl import ThreadpoolController

from .live_views import make_views, plot_keys

# CSS pixels per inch of `panel_size`: 96, as browsers count, so 10-point text is 13 px tall.
CSS_DPI = 96
_THREADPOOLS = ThreadpoolController()
_BLAS = {"users": 0, "limit": None}
_BLAS_LOCK = threading.Lock()
# Chooses how panels redraw: "request" (in the handler of the move, as Colab needs) or "thread".
MODE_VARIABLE = "NNKIT_LIVE_PANEL"
MODES = ("request", "thread")


def request_bound() -> bool:
    """Whether new panels redraw in the request that moved a control rather than in a thread:
    `NNKIT_LIVE_PANEL` ("request" or "thread") when set, else True in Colab (`google.colab`
    imported, as Colab's kernel does when it starts). A value other than those two is an error."""
    mode = os.environ.get(MODE_VARIABLE, "").strip().lower()
    if mode and mode not in MODES:
        raise ValueError(f"{MODE_VARIABLE}={os.environ[MODE_VARIABLE]!r}: use one of {', '.join(MODES)}, "
                         "or leave it unset to choose by front end")
    return mode == "request" if mode else "google.colab" in sys.modules


@contextmanager
def one_blas_thread():
    """A context in which NumPy's BLAS runs on one thread (process-wide while any panel is in it).

    The panels' matrices are small: a second BLAS thread saves no time there, and its spinning
    takes the core that the browser needs to show the picture (the spiral panel's retrain: 27 ms
    on one thread, 29 ms on two at twice the CPU). Panels retraining at overlapping times share
    one limit, set by the first and lifted by the last, so the count is always restored."""
    with _BLAS_LOCK:
        if _BLAS["users"] == 0:
            _BLAS["limit"] = _THREADPOOLS.limit(limits=1, user_api="blas")
        _BLAS["users"] += 1
    try:
        yield
    finally:
        with _BLAS_LOCK:
            _BLAS["users"] -= 1
            if _BLAS["users"] == 0:
                _BLAS["limit"].restore_original_limits()


class LatestValueWorker:
    """Runs `job()` in a background thread whenever `request()` is called, coalescing requests:
    while a job runs, any number of requests make exactly one more run, after it."""

    def __init__(self, job):
        self._job = job
        self._condition = threading.Condition()
        self._pending = self._running = False
        self._thread: threading.Thread | None = None

    def request(self) -> None:
        with self._condition:
            self._pending = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="nnkit-live-panel", daemon=True)
                self._thread.start()
            self._condition.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no job runs or waits; False if `timeout` seconds passed first."""
        with self._condition:
            return self._condition.wait_for(lambda: not (self._pending or self._running), timeout)

    def _loop(self) -> None:
        try:
            while True:
                with self._condition:
                    if not self._pending:
                        self._thread = None  # a later request starts a new thread
                        self._condition.notify_all()
                        return
                    self._pending, self._running = False, True
                self._job()
                with self._condition:
                    self._running = False
                    self._condition.notify_all()
        finally:
            with self._condition:  # a job that raised ends this thread: the next request starts one
                if self._thread is threading.current_thread():
                    self._thread, self._running = None, False
                    self._condition.notify_all()


class LivePanel:
    """Controls, a figure and a status line; `box` is the widget to display.

    Unpacks as `box, update = live_panel(...)`. `enabled_when` maps a control's name to the
    optimizers it acts on (e.g. {"momentum": ("SGD + momentum",)}): when the panel has an
    "optimizer" control, the others are disabled while it names an optimizer they do not act on.
    `background`: True redraws in a worker thread, False in the thread that moved the control
    (the kernel's handler of the move); None (default) asks `request_bound()`.
    """

    def __init__(self, retrain, controls: dict, *, dpi: float = CSS_DPI, pixel_ratio: float = 1.0,
                 panel_size=(4.2, 3.2), curves_options: dict | None = None,
                 enabled_when: dict | None = None, background: bool | None = None):
        if pixel_ratio <= 0 or dpi <= 0:
            raise ValueError(f"dpi and pixel_ratio must be positive, got {dpi} and {pixel_ratio}")
        self.retrain, self.controls = retrain, dict(controls)
        self.dpi, self.pixel_ratio = dpi, pixel_ratio
        self.enabled_when = {name: tuple(names) for name, names in (enabled_when or {}).items()
                             if name in self.controls}
        self.views: dict = {}
        self.result = None
        self.figure = Figure(figsize=panel_size, dpi=dpi * pixel_ratio)
        FigureCanvasAgg(self.figure)
        self._background = None
        self._panel_size, self._curves_options = panel_size, curves_options or {}
        self.image = widgets.Image(format="png")
        self.caption, self.status = widgets.HTML(), widgets.HTML()
        self.caption.add_class("nnkit-caption")
        self._holding = False
        self._lock = threading.Lock()  # one redraw at a time: the figure is not thread-safe
        if background is None:
            background = not request_bound()
        self._worker = LatestValueWorker(self.redraw) if background else None
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self._enable_controls()
        self.box = widgets.VBox([_controls_box(self.controls), self.caption, self.image, self.status],
                                layout=widgets.Layout(width="auto", align_items="flex-start"))
        self.box.add_class("nnkit-live-panel")
        self.redraw()

    def __iter__(self):
        return iter((self.box, self.update))

    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def update(self, **values):
        """Set controls by name, then retrain and redraw once, in this thread; returns retrain's
        result (None when it failed)."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise TypeError(f"no control named {', '.join(sorted(unknown))}; "
                            f"the controls are {', '.join(self.controls)}")
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self._enable_controls()
        return self.redraw()

    def wait(self, timeout: float | None = 30.0) -> bool:
        """Block until the redraws that control changes asked for are done; False on timeout."""
        return True if self._worker is None else self._worker.wait(timeout)

    def _on_change(self, change):
        if self._holding:
            return
        if change["owner"] is self.controls.get("optimizer"):
            self._enable_controls()
        if self._worker is None:
            self.redraw()
        else:
            self._worker.request()

    def _enable_controls(self):
        optimizer = self.controls.get("optimizer")
        if optimizer is None:
            return
        for name, optimizers in self.enabled_when.items():
            self.controls[name].disabled = optimizer.value not in optimizers

    def redraw(self):
        """Retrain with the current values and redraw; an error in retrain shows in the status."""
        with self._lock:
            try:
                with one_blas_thread():
                    result = self.retrain(self.values())
                changed = bool(self.views) and any([view.update(_plot(result, key))
                                                    for key, view in self.views.items()])
            except Exception as err:  # noqa: BLE001 (student code: show what went wrong, keep the panel)
                self.status.value = (f"<span style='color:#b00'>retrain failed: "
                                     f"{html.escape(f'{type(err).__name__}: {err}', quote=False)}</span>")
                return None
            if not self.views:  # the first result sets the plots; one without any is an error
                self._create_views(result)
                changed = True
            self.result = result
            self.caption.value = f"<b>{html.escape(str(result.get('title', '')))}</b>"
            self.status.value = ""
            self.image.value = self.render(full=changed)
            return result

    def _create_views(self, result):
        keys = plot_keys(result)
        width, height = self._panel_size
        # A whole number of CSS pixels, so that the picture has exactly pixel_ratio device pixels
        # per CSS pixel (Agg drops a fraction of a pixel; the small excess keeps float error
        # from dropping a whole one).
        css_width, css_height = round(width * len(keys) * self.dpi), round(height * self.dpi)
        self.figure.set_size_inches((css_width + 0.01) / self.dpi, (css_height + 0.01) / self.dpi)
        axes = self.figure.subplots(1, len(keys), squeeze=False)[0]
        self.views = make_views(axes, result, self._curves_options)
        # Place the panels once (legends above the axes included): a layout engine would redo
        # this (and a second draw) on every redraw.
        self.figure.tight_layout()
        self.image.layout = widgets.Layout(width=f"{css_width}px", height=f"{css_height}px",
                                           object_fit="contain")

    def render(self, full: bool = True) -> bytes:
        """The figure as PNG; `full=False` reuses the cached background of the static artists."""
        canvas = self.figure.canvas
        if full or self._background is None:
            canvas.draw()  # everything that is not animated
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for view in self.views.values():
            for artist in view.dynamic():
                artist.draw(renderer)
        buffer = io.BytesIO()
        # Fast PNG compression: the image is sent once and replaced on the next change.
        Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3]).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


def _plot(result, key: str):
    """result[key], or an error that says the plots must stay the same from move to move."""
    if not isinstance(result, dict) or key not in result:
        raise ValueError(f"retrain returned no {key!r} this time; it must return the same plots on every move")
    return result[key]


def _controls_box(controls: dict) -> widgets.Box:
    """The controls in rows above the plot: toggle buttons on a row of their own, sliders side by
    side, wrapping when the cell is narrow, so the controls and the whole plot fit one screen."""
    buttons = [c for c in controls.values() if isinstance(c, widgets.ToggleButtons)]
    others = [c for c in controls.values() if not isinstance(c, widgets.ToggleButtons)]
    sliders = widgets.Box(others, layout=widgets.Layout(display="flex", flex_flow="row wrap"))
    return widgets.VBox([*buttons, sliders])
