"""Figures of assignment 3 (gradient checking): how large a relative error is, and where.

Every figure shades the same two bands, so that a reader learns them once: below 1e-7 the
analytic gradient agrees with the numerical one (green), above 1e-3 it has a bug (red), and in
between it is worth a closer look.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

CORRECT_BELOW = 1e-7
BUG_ABOVE = 1e-3
# Errors of exactly 0 cannot sit on a log axis; they are drawn at this floor instead.
FLOOR = 1e-17


def _shade_bands(ax, axis: str = "y") -> None:
    span = ax.axhspan if axis == "y" else ax.axvspan
    span(FLOOR, CORRECT_BELOW, color="tab:green", alpha=0.08, lw=0)
    span(BUG_ABOVE, 1e3, color="tab:red", alpha=0.08, lw=0)
    line = ax.axhline if axis == "y" else ax.axvline
    line(CORRECT_BELOW, color="tab:green", lw=0.8, ls=":")
    line(BUG_ABOVE, color="tab:red", lw=0.8, ls=":")


def _floored(values) -> np.ndarray:
    # Errors are never negative; taking abs() keeps this from being a ReLU that a student could
    # import as assignment 1's `relu` (the release's leak test found it did: 1 point).
    return np.maximum(np.abs(np.asarray(values, dtype=float)), FLOOR)


def plot_error_vs_eps(epsilons, curves: dict, ax=None, slopes=(2, 1, -1)):
    """Relative error against the step eps on log-log axes, one line per entry of `curves`.

    `curves` maps a label to the errors at `epsilons`. Each curve's minimum is marked. Dashed
    guides of the given `slopes` (in decades per decade) help read off how fast the error grows
    on either side of the minimum.
    """
    epsilons = np.asarray(epsilons, dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    for label, errors in curves.items():
        errors = _floored(errors)
        (line,) = ax.loglog(epsilons, errors, "o-", ms=3.5, label=label)
        best = int(np.argmin(errors))
        ax.plot(epsilons[best], errors[best], "*", ms=13, color=line.get_color(), mec="k", mew=0.5)
        ax.annotate(f"best eps ~ {epsilons[best]:.0e}", (epsilons[best], errors[best]),
                    textcoords="offset points", xytext=(0, -16), ha="center", fontsize=8,
                    color=line.get_color())
    ax.set_xlim(epsilons.min() / 2, epsilons.max() * 2)
    low, high = ax.get_ylim()
    # Guides start a little above the highest curve at the right edge (positive slopes) or at the
    # left edge (negative slopes) and run two decades inwards.
    ends = np.array([_floored(errors)[[0, -1]] for errors in curves.values()])
    for slope in slopes:
        right = slope > 0
        anchor_x = epsilons.max() if right else epsilons.min()
        anchor_y = 4 * ends[:, 1 if right else 0].max()
        xs = np.array([anchor_x, anchor_x * 10.0 ** (-2 if right else 2)])
        ys = anchor_y * (xs / anchor_x) ** slope
        ax.loglog(xs, ys, "--", color="0.45", lw=0.9)
        ax.text(xs[1], ys[1], f"slope {slope:+g}", fontsize=8, color="0.3",
                ha="right" if right else "left", va="bottom")
    ax.set_ylim(low, max(high, 10 * ends.max()))
    _shade_bands(ax)
    ax.set_xlabel("step eps")
    ax.set_ylabel("relative error")
    ax.legend(loc="upper center", fontsize=9)
    ax.grid(True, which="major", alpha=0.3)
    return ax.figure


def plot_gradient_comparison(analytic: dict, numerical, names=None, ncols=4):
    """One panel per candidate gradient: how far each entry is from the numerical gradient.

    `analytic` maps a candidate's name to its gradient (an array); `numerical` is the numerical
    gradient of the same function at the same point. Each bar is the entry's own relative
    error |a_i - n_i| / (|a_i| + |n_i|), so the wrong entries stand out; the panel title gives
    the relative error of the whole vector.
    """
    numerical = np.ravel(np.asarray(numerical, dtype=float))
    names = names or [f"dw{i + 1}" for i in range(numerical.size)]
    n = len(analytic)
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.2 * ncols, 2.5 * nrows), squeeze=False,
                             sharey=True)
    for ax in axes.flat[n:]:
        ax.axis("off")
    for ax, (label, grad) in zip(axes.flat, analytic.items()):
        grad = np.ravel(np.asarray(grad, dtype=float))
        scale = np.abs(grad) + np.abs(numerical)
        per_entry = np.divide(np.abs(grad - numerical), scale, out=np.zeros_like(scale), where=scale > 0)
        total = np.linalg.norm(grad - numerical) / max(np.linalg.norm(grad) + np.linalg.norm(numerical), FLOOR)
        colours = ["tab:red" if e > BUG_ABOVE else "tab:green" for e in per_entry]
        ax.bar(range(len(per_entry)), _floored(per_entry), color=colours, bottom=FLOOR)
        ax.set_yscale("log")
        ax.set_ylim(FLOOR, 10)
        _shade_bands(ax)
        ax.set_xticks(range(len(per_entry)), names, rotation=90, fontsize=7)
        ax.set_title(f"{label}: error {total:.1e}", fontsize=9,
                     color="tab:red" if total > BUG_ABOVE else "black")
    for ax in axes[:, 0]:
        ax.set_ylabel("relative error\nper entry", fontsize=8)
    fig.tight_layout()
    return fig


def plot_candidate_gradients(candidates: dict, x, y, w, forward_propagation, numerical_gradient, eps=1e-7):
    """`plot_gradient_comparison` for analytic gradients of the assignment-1 graph.

    candidates maps a name to backward(x, y, w, forward_dict) -> {'dw1': ..., 'dw9': ...}, the
    gradient with respect to w1 ... w9 (w[0] ... w[8]). The numerical gradient of
    forward_propagation(x, y, w)['loss'] comes from the given `numerical_gradient(f, w, eps)`
    (the notebook passes the student's own), computed once on a float copy of w.
    """
    w = np.array(w, dtype=float)
    numerical = numerical_gradient(lambda v: forward_propagation(x, y, v)["loss"], w.copy(), eps)
    forward = forward_propagation(x, y, w)
    analytic = {label: [fn(x, y, w.copy(), forward)[f"dw{i + 1}"] for i in range(w.size)]
                for label, fn in candidates.items()}
    return plot_gradient_comparison(analytic, numerical)


def plot_check_errors(errors: dict, ax=None, title=None):
    """Horizontal bars of relative errors by name (e.g. 'Dense.dweights'), on a log axis."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.4 * len(errors) + 1.2))
    labels = list(errors)
    values = _floored([errors[label] for label in labels])
    colours = ["tab:red" if v > BUG_ABOVE else "tab:orange" if v > CORRECT_BELOW else "tab:green"
               for v in values]
    ax.barh(range(len(labels)), values, color=colours, left=FLOOR)
    ax.set_xscale("log")
    ax.set_xlim(FLOOR, 10)
    _shade_bands(ax, axis="x")
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    for i, v in enumerate(values):
        ax.text(v * 3, i, f"{v:.1e}", va="center", fontsize=8)
    ax.set_xlabel("relative error (analytic vs numerical)")
    if title:
        ax.set_title(title)
    ax.figure.tight_layout()
    return ax.figure
