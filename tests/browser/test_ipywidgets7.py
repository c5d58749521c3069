"""The live panels on an ipywidgets 7 front end: the classic Notebook 6.5 with widgetsnbextension
3.x (as on many university JupyterHubs, and the widget protocol Colab's page speaks), serving a
kernel of Colab's published versions (`platforms/colab-runtime.txt`: ipywidgets 7.7.1,
ipykernel 6.17.1, IPython 7.34, Python 3.13), in Debian's headless Chromium.

Both notebooks run in request-bound mode (`NNKIT_LIVE_PANEL=request`, Colab's: the redraw
happens while the kernel handles the move, and the front end's one-update-in-flight throttle
does the coalescing), and the momentum lab also in the threaded mode (the default outside
Colab); each run takes minutes on 2 cores. Every enabled slider is moved by
arrow keys, a click on the track, a drag of the handle and a typed value, and each input must
bring a new picture.
"""
from __future__ import annotations

import pytest

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the tests skip
    PlaywrightTimeout = TimeoutError

from ..notebooks.colab_runtime import CLASSIC_FRONT_END, colab_venv
from .classic import Panel7, open_classic_notebook, widget_outputs
from .jupyter import NOTEBOOKS, chromium, classic_notebook_server, course_copy, filled_in_notebooks, missing

WHY_NOT = missing()
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(WHY_NOT is not None, reason=f"browser tests need a browser: {WHY_NOT}")]
# Console messages of the classic Notebook's own page, not of the widgets: its custom.css and
# custom.js requests (404 without a custom folder), and a font its stylesheet points at
# about:blank, which Chromium refuses (the second line is that refusal's failed load).
HARMLESS = ("Failed to load resource: the server responded with a status of 404",
            "Access to font at 'about:blank'", "Failed to load resource: net::ERR_FAILED")


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    """A classic Notebook server whose kernels redraw in the mode `request.param` names."""
    try:
        python = colab_venv(CLASSIC_FRONT_END)
    except LookupError as absent:
        pytest.skip(f"{absent}: the ipywidgets 7 browser test needs it (.ci/run installs it)")
    folder = course_copy(tmp_path_factory.mktemp(f"classic-{request.param}") / "course", filled_in_notebooks())
    with classic_notebook_server(folder, python, env={"NNKIT_LIVE_PANEL": request.param}) as running:
        yield running


@pytest.fixture
def page(server, tmp_path):
    with chromium(tmp_path / "profile") as opened:
        messages = []
        opened.on("console", lambda m: messages.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
        opened.on("pageerror", lambda error: messages.append(f"uncaught: {error}"))
        opened.console_errors = messages
        yield opened
    server.stop_kernels()


@pytest.mark.parametrize("server, notebook", [("request", "momentum_lab"), ("request", "optimizers"),
                                              ("thread", "momentum_lab")], indirect=["server"])
def test_every_slider_redraws_its_panel_on_ipywidgets_7(server, page, notebook):
    from .panels import install_probe, move_every_slider

    open_classic_notebook(page, server, server.fresh_copy(NOTEBOOKS[notebook]))
    install_probe(page)
    expected = {"momentum_lab": 1, "optimizers": 4}[notebook]
    # The widget manager draws a view after its cell's execution has been reported done, and
    # under load that can be seconds later: wait for the panels, then count them.
    try:
        page.wait_for_function(f"document.querySelectorAll('.nnkit-live-panel').length >= {expected}",
                               timeout=60_000, polling=250)
    except PlaywrightTimeout:
        pass
    count = page.locator(".nnkit-live-panel").count()
    assert count == expected, f"{count} live panels drawn, not {expected}; widget outputs: {widget_outputs(page)}"
    failures = [f for index in range(count) for f in move_every_slider(Panel7(page, index), index)]
    page_text = page.locator("body").inner_text()
    assert "Error displaying widget" not in page_text and "Failed to display Jupyter Widget" not in page_text
    assert not failures, "\n".join(failures)
    errors = [m for m in page.console_errors if not any(h in m for h in HARMLESS)]
    assert not errors, "console errors:\n" + "\n".join(errors)
