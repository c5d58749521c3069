"""Live experiments: sliders that retrain a model and redraw its plots in place.

`live_panel(retrain, controls)` wires widgets to a `retrain(params) -> result` callable. Every
change of a control calls `retrain` with the values of all controls, e.g.
`{"optimizer": "Adam", "learning_rate": 0.01, "beta_1": 0.9}`, and redraws the figure from the
result, a dict with any of these keys (each one a panel of the figure, in this order):

- "curves":  {label: 1-D array}, e.g. the mean loss per epoch of each optimizer;
- "regions": {"image": (ny, nx) array of class ids, "extent": (xmin, xmax, ymin, ymax),
             "points": (X, y)}: decision regions, with the data points (drawn once);
- "paths":   {label: (n, 2) array}, with "surface": an `nnkit.trajectories` surface whose
             contours are drawn once;
- "title":   a line of text above the figure, e.g. the final accuracy.

The figure is a plain matplotlib `Figure` rendered to PNG into an `ipywidgets.Image`, so it
updates in place in JupyterLab, Notebook 7 and Colab without `ipympl` or any other package.
A redraw sets new line and image data on the existing artists and renders only those over a
cached background of the static ones (axes, ticks, contours), unless the axes changed.
`update(**values)` sets controls and redraws once, without a browser: tests and benchmarks call
it headless.
"""
from __future__ import annotations

import html
import io

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator
from PIL import Image

OPTIMIZERS = ("SGD", "SGD + momentum", "AdaGrad", "RMSProp", "Adam")
REGION_COLOURS = ("#9ecae1", "#fdae6b", "#a1d99b", "#bcbddc", "#fc9272")
POINT_COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:red")
_STYLE = {"description_width": "110px"}
_LAYOUT = {"width": "420px"}


# Controls ---------------------------------------------------------------------------------------

def learning_rate_slider(value: float = 0.01, min_exp: float = -4.0, max_exp: float = 0.0,
                         continuous_update: bool = True) -> widgets.FloatLogSlider:
    """A log-scale slider from 10**min_exp to 10**max_exp: each notch multiplies the rate."""
    return widgets.FloatLogSlider(value=value, base=10, min=min_exp, max=max_exp, step=0.05,
                                  description="learning rate", readout_format=".2e",
                                  continuous_update=continuous_update, style=_STYLE, layout=_LAYOUT)


def momentum_slider(value: float = 0.9, continuous_update: bool = True) -> widgets.FloatSlider:
    return widgets.FloatSlider(value=value, min=0.0, max=0.99, step=0.01, description="momentum",
                               continuous_update=continuous_update, style=_STYLE, layout=_LAYOUT)


def beta_sliders(beta_1: float = 0.9, beta_2: float = 0.999,
                 continuous_update: bool = True) -> dict[str, widgets.FloatSlider]:
    """Adam's two decay rates: beta_1 for the mean of gradients, beta_2 for their square."""
    return {
        "beta_1": widgets.FloatSlider(value=beta_1, min=0.0, max=0.99, step=0.01,
                                      description="Adam beta_1", continuous_update=continuous_update,
                                      style=_STYLE, layout=_LAYOUT),
        "beta_2": widgets.FloatSlider(value=beta_2, min=0.9, max=0.9999, step=0.0001,
                                      description="Adam beta_2", readout_format=".4f",
                                      continuous_update=continuous_update, style=_STYLE, layout=_LAYOUT),
    }


def optimizer_selector(options=OPTIMIZERS, value: str | None = None) -> widgets.ToggleButtons:
    return widgets.ToggleButtons(options=list(options), value=value or options[0],
                                 description="optimizer", style={"button_width": "auto", **_STYLE})


def make_optimizer(classes: dict, params: dict):
    """Build the optimizer that `params["optimizer"]` names, from `classes` (name -> class).

    "SGD + momentum" is `classes["SGD"]` with `momentum=params["momentum"]`; "SGD" has momentum
    0; Adam gets `beta_1` and `beta_2` when the params hold them. Every optimizer gets
    `learning_rate=params["learning_rate"]` (and `decay` when given).
    """
    name = params["optimizer"]
    kwargs = {"learning_rate": params["learning_rate"]}
    if "decay" in params:
        kwargs["decay"] = params["decay"]
    if name in ("SGD", "SGD + momentum"):
        kwargs["momentum"] = params.get("momentum", 0.0) if name == "SGD + momentum" else 0.0
        return classes["SGD"](**kwargs)
    if name == "Adam":
        kwargs.update({k: params[k] for k in ("beta_1", "beta_2") if k in params})
    if name not in classes:
        raise ValueError(f"unknown optimizer {name!r}; known: {', '.join(OPTIMIZERS)}")
    return classes[name](**kwargs)


# Views: one panel of the figure each. `update` sets new data on the view's dynamic artists and
# says whether the static part (axes, ticks) changed; `dynamic()` lists the artists redrawn on
# every change, in drawing order.

def _nice_step(span: float) -> float:
    """A round step (1, 2 or 5 times a power of 10) that cuts `span` into about 4 pieces."""
    raw = max(span, 1e-12) / 4
    power = 10 ** np.floor(np.log10(raw))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def _animated(artist):
    artist.set_animated(True)  # left out of the cached background, drawn on every redraw
    return artist


class _CurvesView:
    """Loss curves. The y-range runs from the lowest value to a little above the highest starting
    value, rounded, so a curve that blows up leaves the top of the panel instead of flattening
    the others, and small slider moves keep the axes (and reuse the cached background)."""

    def __init__(self, ax, data, *, xlabel="epoch", ylabel="mean loss", logy=False):
        self.ax, self.lines, self.logy, self.legend = ax, [], logy, None
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if logy:
            ax.set_yscale("log")
            # Labelled ticks at 1, 2 and 5 per decade; no minor ticks, which cost more to lay
            # out than the retrain.
            ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
            ax.yaxis.set_minor_locator(NullLocator())
        ax.grid(True, alpha=0.3)
        self.update(data)

    def dynamic(self):
        return [*self.lines, self.legend]

    def update(self, curves) -> bool:
        while len(self.lines) < len(curves):
            self.lines.append(_animated(self.ax.plot([], [], lw=1.8)[0]))
        while len(self.lines) > len(curves):
            self.lines.pop().remove()
        starts, lows, length = [], [], 1
        for line, (label, ys) in zip(self.lines, curves.items()):
            ys = np.asarray(ys, dtype=float).reshape(-1)
            ys = np.where(np.isfinite(ys), ys, np.nan)  # a diverged run ends its line
            line.set_data(np.arange(1, len(ys) + 1), ys)
            line.set_label(label)
            length = max(length, len(ys))
            finite = ys[np.isfinite(ys) & ((ys > 0) if self.logy else True)]
            if finite.size:
                starts.append(finite[0])
                lows.append(finite.min())
        limits = [(0, length + 1), self.ax.get_ylim()]
        if starts:
            low, high = min(lows), 1.15 * max(starts)
            if self.logy:
                limits[1] = (10 ** (np.floor(5 * np.log10(low)) / 5), 10 ** (np.ceil(5 * np.log10(high)) / 5))
            else:
                step = _nice_step(high - low)
                limits[1] = (np.floor(low / step) * step, np.ceil(high / step) * step)
        changed = [tuple(map(float, limits[0])), tuple(map(float, limits[1]))] != \
            [tuple(map(float, self.ax.get_xlim())), tuple(map(float, self.ax.get_ylim()))]
        self.ax.set_xlim(*limits[0])
        self.ax.set_ylim(*limits[1])
        self.legend = _animated(self.ax.legend(loc="upper right", fontsize=8))
        return changed


class _RegionsView:
    def __init__(self, ax, data):
        X, y = data["points"]
        self.ax = ax
        self.image, self.points = map(_animated, draw_regions(ax, X, y, data["image"], data["extent"]))
        ax.set_title("decision regions", fontsize=10)

    def dynamic(self):
        return [self.image, self.points]  # the points stay on top of the regions

    def update(self, data) -> bool:
        self.image.set_data(data["image"])
        return False


class _PathsView:
    def __init__(self, ax, data, surface):
        self.ax, self.lines, self.legend = ax, [], None
        from .trajectories import contour_grid  # only this view needs it
        ax.contour(*contour_grid(surface), levels=20, cmap="Greys", linewidths=0.6)
        self.star = _animated(ax.plot(*surface.minimum, marker="*", ms=12, color="gold", mec="k")[0])
        ax.set_xlim(surface.extent[:2])
        ax.set_ylim(surface.extent[2:])
        ax.set_title(surface.name, fontsize=10)
        self.update(data)

    def dynamic(self):
        # Later paths first, so the plain one (often short) is not hidden under the others.
        return [*reversed(self.lines), self.star, self.legend]

    def update(self, paths) -> bool:
        while len(self.lines) < len(paths):
            self.lines.append(_animated(self.ax.plot([], [], "o-", ms=2.5, lw=1.2)[0]))
        for line, (label, path) in zip(self.lines, paths.items()):
            path = np.asarray(path, dtype=float)
            line.set_data(path[:, 0], path[:, 1])
            line.set_label(label)
        self.legend = _animated(self.ax.legend(handles=self.lines, loc="upper right", fontsize=8))
        return False


class LivePanel:
    """Controls, a figure and a status line; `box` is the widget to display.

    Unpacks as `box, update = live_panel(...)`. A redraw renders only the artists that change
    (lines, region image, legend, title) over a cached background of the static ones (axes,
    ticks, contours), unless the axes themselves changed.
    """

    def __init__(self, retrain, controls: dict, *, dpi: int = 72, panel_size=(4.6, 3.4),
                 curves_options: dict | None = None):
        self.retrain, self.controls, self.dpi = retrain, dict(controls), dpi
        self.views: dict = {}
        self.result = None
        self.figure = Figure(figsize=panel_size, dpi=dpi)
        FigureCanvasAgg(self.figure)
        self.title = _animated(self.figure.suptitle("", fontsize=10))
        self._background = None
        self._panel_size, self._curves_options = panel_size, curves_options or {}
        self.image = widgets.Image(format="png")
        self.status = widgets.HTML()
        self._holding = False
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.box = widgets.VBox([*self.controls.values(), self.image, self.status])
        self.redraw()

    def __iter__(self):
        return iter((self.box, self.update))

    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def update(self, **values):
        """Set controls by name, then retrain and redraw once; returns retrain's result."""
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
        return self.redraw()

    def _on_change(self, change):
        if not self._holding:
            self.redraw()

    def redraw(self):
        """Retrain with the current values and redraw; an error in retrain shows in the status."""
        try:
            result = self.retrain(self.values())
        except Exception as err:  # noqa: BLE001 (student code: show what went wrong, keep the panel)
            self.status.value = (f"<span style='color:#b00'>retrain failed: "
                                 f"{html.escape(f'{type(err).__name__}: {err}')}</span>")
            return None
        self.result = result
        if not self.views:
            self._create_views(result)
            changed = True
        else:
            changed = any([view.update(result[key]) for key, view in self.views.items()])
        self.title.set_text(result.get("title", ""))
        self.status.value = ""
        self.image.value = self.render(full=changed)
        return result

    def _create_views(self, result):
        keys = [key for key in ("curves", "regions", "paths") if key in result]
        if not keys:
            raise ValueError("retrain must return a dict with 'curves', 'regions' or 'paths'")
        width, height = self._panel_size
        self.figure.set_size_inches(width * len(keys), height)
        axes = self.figure.subplots(1, len(keys), squeeze=False)[0]
        for ax, key in zip(axes, keys):
            if key == "curves":
                self.views[key] = _CurvesView(ax, result[key], **self._curves_options)
            elif key == "regions":
                self.views[key] = _RegionsView(ax, result[key])
            else:
                self.views[key] = _PathsView(ax, result[key], result["surface"])
        # Place the panels once, leaving room for the title: a layout engine would redo this
        # (and a second draw) on every redraw.
        self.figure.tight_layout(rect=(0, 0, 1, 0.93))

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
        self.title.draw(renderer)
        buffer = io.BytesIO()
        # Fast PNG compression: the image is sent once and replaced on the next change.
        Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3]).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


def live_panel(retrain, controls: dict, **options) -> LivePanel:
    """Wire `controls` (name -> widget) to `retrain(params) -> result` and draw the first result.

    Options: `dpi`, `panel_size` (inches per panel), `curves_options` (`xlabel`, `ylabel`,
    `logy` of the curves panel). See the module docstring for the result format.
    """
    return LivePanel(retrain, controls, **options)


def draw_regions(ax, X, y, image=None, extent=(-1.1, 1.1, -1.1, 1.1), size: float = 6):
    """Scatter the points X (n, 2) coloured by their class y (n,), over the class regions `image`
    (from `decision_regions`) when given, in matching light colours; returns (image, scatter)."""
    y = np.asarray(y).astype(int)
    regions = None
    if image is not None:
        k = int(max(y.max(), np.max(image)) + 1)
        regions = ax.imshow(image, extent=extent, origin="lower", aspect="auto",
                            cmap=ListedColormap(REGION_COLOURS[:k]), vmin=-0.5, vmax=k - 0.5,
                            interpolation="nearest")
    X = np.asarray(X)
    points = ax.scatter(X[:, 0], X[:, 1], c=[POINT_COLOURS[c % len(POINT_COLOURS)] for c in y],
                        s=size, edgecolors="none")
    ax.set_xlim(extent[:2])
    ax.set_ylim(extent[2:])
    ax.set_xticks([])
    ax.set_yticks([])
    return regions, points


def decision_regions(predict, extent=(-1.1, 1.1, -1.1, 1.1), n: int = 100) -> np.ndarray:
    """Class ids `predict(points)` returns on an n x n grid over `extent`, shape (n, n), rows = y."""
    xmin, xmax, ymin, ymax = extent
    xx, yy = np.meshgrid(np.linspace(xmin, xmax, n), np.linspace(ymin, ymax, n))
    return np.asarray(predict(np.column_stack([xx.ravel(), yy.ravel()]))).reshape(n, n)
