"""The panels of a live figure (`nnkit.widgets.live_panel`), and the decision-region pictures.

Each view draws one kind of result on its own axes: loss curves, decision regions, descent paths.
`update(data)` sets new data on the view's dynamic artists and says whether the static part
(axes limits, ticks) changed; `dynamic()` lists the artists redrawn on every change, in drawing
order, over a cached background of everything else.
"""
from __future__ import annotations

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

REGION_COLOURS = ("#9ecae1", "#fdae6b", "#a1d99b", "#bcbddc", "#fc9272")
POINT_COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:red")


def _nice_step(span: float) -> float:
    """A round step (1, 2 or 5 times a power of 10) that cuts `span` into about 4 pieces."""
    raw = max(span, 1e-12) / 4
    power = 10 ** np.floor(np.log10(raw))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def _animated(artist):
    artist.set_animated(True)  # left out of the cached background, drawn on every redraw
    return artist


def _legend(ax, lines, legend):
    """A legend of `lines` in a row above the axes, and whether it changed: `legend` itself while
    the labels stay the same, else a new one. It is part of the cached background (laying out
    text costs more than a retrain), so it sits where no line is drawn over it."""
    labels = [line.get_label() for line in lines]
    if legend is not None and [text.get_text() for text in legend.texts] == labels:
        return legend, False
    if legend is not None:
        legend.remove()
    for ncols in (len(lines), 1):  # one row when it fits above the axes, else one column
        new = ax.legend(handles=lines, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=ncols,
                        fontsize=8, frameon=False, borderaxespad=0.2, handlelength=1.5, columnspacing=1.0)
        extent = new.get_window_extent(ax.figure.canvas.get_renderer())
        if extent.width <= ax.bbox.width:
            break
    return new, True


class CurvesView:
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
        return self.lines

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
        self.legend, relabelled = _legend(self.ax, self.lines, self.legend)
        return changed or relabelled


class RegionsView:
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


class PathsView:
    def __init__(self, ax, data, surface):
        self.ax, self.lines, self.legend = ax, [], None
        from .trajectories import contour_grid  # only this view needs it
        ax.contour(*contour_grid(surface), levels=20, cmap="Greys", linewidths=0.6)
        self.star = _animated(ax.plot(*surface.minimum, marker="*", ms=12, color="gold", mec="k")[0])
        ax.set_xlim(surface.extent[:2])
        ax.set_ylim(surface.extent[2:])
        ax.set_title(surface.name, loc="right", fontsize=10)  # the legend takes the left
        self.update(data)

    def dynamic(self):
        # Later paths first, so the plain one (often short) is not hidden under the others.
        return [*reversed(self.lines), self.star]

    def update(self, paths) -> bool:
        while len(self.lines) < len(paths):
            self.lines.append(_animated(self.ax.plot([], [], "o-", ms=2.5, lw=1.2)[0]))
        for line, (label, path) in zip(self.lines, paths.items()):
            path = np.asarray(path, dtype=float)
            line.set_data(path[:, 0], path[:, 1])
            line.set_label(label)
        self.legend, relabelled = _legend(self.ax, self.lines, self.legend)
        return relabelled


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


def make_views(axes, result: dict, curves_options: dict) -> dict:
    """One view per plot key of `result` ("curves", "regions", "paths", in that order), each on
    the next of `axes`; returns {key: view}."""
    views = {}
    for ax, key in zip(axes, plot_keys(result)):
        if key == "curves":
            views[key] = CurvesView(ax, result[key], **curves_options)
        elif key == "regions":
            views[key] = RegionsView(ax, result[key])
        else:
            views[key] = PathsView(ax, result[key], result["surface"])
    return views


def plot_keys(result: dict) -> list[str]:
    """The keys of `result` that are panels of the figure, in drawing order."""
    keys = [key for key in ("curves", "regions", "paths") if key in result]
    if not keys:
        raise ValueError("retrain must return a dict with 'curves', 'regions' or 'paths'")
    return keys
