"""The report's charts as PNG data URLs, drawn at the size they are shown and at twice its pixels.

A figure `w` inches wide is shown `w * CSS_DPI` CSS pixels wide and rendered at `2 * CSS_DPI`,
so a high-density screen gets one image pixel per device pixel and no chart is scaled up.
Widths stay under the report's column (`page.WIDTH` CSS pixels), so nothing runs off a 1280 px
window.
"""
from __future__ import annotations

import base64
import io

CSS_DPI = 100
SCALE = 2
COLUMN_INCHES = 9.0  # the report's column is 960 CSS px; 900 px leave room for its margins


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def image(fig, alt: str) -> str:
    """The figure as an <img> tag whose CSS size is the figure's own; the figure is closed."""
    width, height = fig.get_size_inches()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=CSS_DPI * SCALE)  # no tight bbox: it would change the size
    _pyplot().close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f"<img alt='{alt}' width='{round(width * CSS_DPI)}' height='{round(height * CSS_DPI)}' "
            f"src='data:image/png;base64,{data}'>")


def pass_rates(labels: list[str], rates: list[float]) -> str:
    """Horizontal bars: the share of students with full points (%) per question."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(COLUMN_INCHES, 0.32 * len(labels) + 0.9), layout="constrained")
    ax.barh(labels[::-1], rates[::-1], color="#4c72b0")
    ax.set_xlim(0, 100)
    ax.set_xlabel("students with full points (%)")
    ax.tick_params(axis="y", labelsize=8)
    return image(fig, "students with full points per question")


def totals(values: list[float], most: float) -> str:
    """A histogram of total scores out of `most` points."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 2.8), layout="constrained")
    ax.hist(values, bins=range(int(most) + 2), align="left", color="#55a868", rwidth=0.9)
    ax.set_xlabel("total score")
    ax.set_ylabel("students")
    return image(fig, "total scores")


def per_question(values: dict[str, list[float]], maxima: dict[str, float]) -> str:
    """Small histograms of each question's scores, four to a row within the column."""
    plt = _pyplot()
    cols = 4
    rows = max((len(values) + cols - 1) // cols, 1)
    fig, axes = plt.subplots(rows, cols, figsize=(COLUMN_INCHES, 1.9 * rows), squeeze=False, layout="constrained")
    for ax, (i, (q, got)) in zip(axes.flat, enumerate(values.items())):
        ax.hist(got, bins=10, range=(0, maxima[q] or 1), color="#8172b2")
        ax.set_title(f"Q{i + 1} ({maxima[q]:g} points)", fontsize=9)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(values):]:
        ax.axis("off")
    return image(fig, "scores per question")
