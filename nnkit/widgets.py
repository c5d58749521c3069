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

The figure is a plain matplotlib `Figure` rendered to PNG into an `ipywidgets.Image` at the size
it is shown, so it updates in place in JupyterLab, Notebook 7 and Colab without `ipympl` or any
other package. Slider moves are coalesced: only the latest values are retrained (see
`nnkit.live_panel`). Controls that the chosen optimizer ignores are disabled. `update(**values)`
sets controls and redraws once, in the caller's thread: tests and benchmarks call it headless.
"""
from __future__ import annotations

import ipywidgets as widgets

from .live_panel import LivePanel
from .live_views import POINT_COLOURS, REGION_COLOURS, decision_regions, draw_regions

__all__ = ["OPTIMIZERS", "USED_BY", "LivePanel", "beta_sliders", "decision_regions", "draw_regions",
           "learning_rate_slider", "live_panel", "make_optimizer", "momentum_slider",
           "optimizer_selector", "POINT_COLOURS", "REGION_COLOURS"]

OPTIMIZERS = ("SGD", "SGD + momentum", "AdaGrad", "RMSProp", "Adam")
# The optimizers each setting acts on; under the others its control is disabled.
USED_BY = {"momentum": ("SGD + momentum",), "beta_1": ("Adam",), "beta_2": ("Adam",)}
_STYLE = {"description_width": "95px"}
_LAYOUT = {"width": "330px"}


# Controls ---------------------------------------------------------------------------------------

def learning_rate_slider(value: float = 0.01, min_exp: float = -4.0, max_exp: float = 0.0,
                         continuous_update: bool = True) -> widgets.FloatLogSlider:
    """A log-scale slider from 10**min_exp to 10**max_exp: each notch multiplies the rate."""
    return widgets.FloatLogSlider(value=value, base=10, min=min_exp, max=max_exp, step=0.05,
                                  description="learning rate", readout_format=".2e",
                                  continuous_update=continuous_update, style=_STYLE, layout=_LAYOUT)


def momentum_slider(value: float = 0.9, continuous_update: bool = True) -> widgets.FloatSlider:
    """The momentum coefficient, 0 (plain SGD) to 0.99."""
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
    """One button per optimizer name of `options`; `value` (default the first) is pressed."""
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


def live_panel(retrain, controls: dict, **options) -> LivePanel:
    """Wire `controls` (name -> widget) to `retrain(params) -> result` and draw the first result.

    Options: `panel_size` (inches per panel, drawn at 96 CSS pixels per inch), `pixel_ratio`
    (device pixels per CSS pixel of the picture; 2 for sharp text on high-density screens, at
    about four times the drawing cost), `curves_options` (`xlabel`, `ylabel`, `logy` of the
    curves panel), `enabled_when` (default `USED_BY`), `background` (True redraws in a worker
    thread, False in the thread that moved the control; default: False in Colab or with
    `NNKIT_LIVE_PANEL=request`, else True). See the module docstring for the result format.
    """
    options.setdefault("enabled_when", USED_BY)
    return LivePanel(retrain, controls, **options)
