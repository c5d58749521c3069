"""Training curves: loss (or any metric) per step, one or several runs on one set of axes."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


def plot_loss_curve(losses, label=None, ax=None, *, reference=None, reference_label=None,
                    logy=False, xlabel="epoch", ylabel="loss", title=None):
    """Plot one loss curve; returns the axes so that more curves can be drawn on it.

    `losses` is a sequence of numbers, one per step. `reference` draws a dashed horizontal
    line at that value (e.g. ln 2, the loss of always predicting 0.5), labelled
    `reference_label`. `logy` puts the loss on a log scale, which shows slow progress better.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    losses = np.asarray(losses, dtype=float).ravel()
    ax.plot(np.arange(len(losses)), losses, label=label)
    if reference is not None:
        ax.axhline(reference, color="0.4", ls="--", lw=1, label=reference_label)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if label is not None or reference_label is not None:
        ax.legend()
    return ax


def plot_loss_curves(runs: dict, ax=None, **kwargs):
    """Plot several runs, `{label: losses}`, on one set of axes (arguments as plot_loss_curve)."""
    for label, losses in runs.items():
        ax = plot_loss_curve(losses, label=label, ax=ax, **kwargs)
        kwargs.pop("reference", None)  # draw the reference line once
        kwargs.pop("reference_label", None)
    return ax
