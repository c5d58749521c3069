"""Driving the classic Notebook (6.x) and ipywidgets 7's widgets in a page.

The classic Notebook exposes its notebook as `window.Jupyter.notebook`; ipywidgets 7 draws a
slider with jQuery UI (`.ui-slider`, its handle `.ui-slider-handle`, which takes the arrow keys)
and a readout the student can type in (a contenteditable `.widget-readout`), where ipywidgets 8
uses noUiSlider. `Panel7` is `panels.Panel` with those parts.
"""
from __future__ import annotations

from .panels import Panel

# Ready when the kernel is connected and idle and widgetsnbextension has loaded: it loads after
# the notebook, and outputs of cells run before it has a widget manager on the kernel stay text.
_READY = """() => {
  const nb = window.Jupyter && window.Jupyter.notebook;
  return !!nb && nb._fully_loaded && !!nb.kernel && nb.kernel.is_connected()
      && !!nb.kernel.widget_manager
      && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null;
}"""
# Done when the kernel is idle and every code cell has run (no '*' or empty prompt).
_DONE = """() => {
  if (document.querySelector('#kernel_indicator_icon.kernel_idle_icon') === null) return false;
  return Jupyter.notebook.get_cells().every(cell => cell.cell_type !== 'code'
      || (cell.input_prompt_number !== '*' && cell.input_prompt_number !== null
          && cell.input_prompt_number !== undefined));
}"""
_ERRORS = """() => Jupyter.notebook.get_cells().filter(cell => cell.cell_type === 'code').flatMap(
  cell => cell.output_area.outputs.filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue))"""


_WIDGET_OUTPUTS = """() => Jupyter.notebook.get_cells().flatMap(cell => cell.output_area
  ? cell.output_area.outputs.filter(o => o.data && o.data['application/vnd.jupyter.widget-view+json'])
      .map(o => (cell.output_area._jupyterWidgetViews || []).length + ' views: '
                + String(o.data['text/plain'] || '').slice(0, 80))
  : [])"""


def widget_outputs(page) -> list[str]:
    """For each widget output in the notebook: how many views its cell drew, and its text form
    (what a page without the widget manager shows), to say why panels are missing."""
    return page.evaluate(_WIDGET_OUTPUTS)


def open_classic_notebook(page, server, path: str, timeout: float = 300.0) -> None:
    """Open `path` in the classic Notebook, run all its cells and wait until they have run.
    Raises AssertionError naming the cells' errors."""
    page.goto(server.page_url(path, "classic"), wait_until="domcontentloaded")
    page.wait_for_function(_READY, timeout=120_000, polling=250)
    page.evaluate("() => Jupyter.notebook.execute_all_cells()")
    page.wait_for_function(_DONE, timeout=timeout * 1000, polling=250)
    errors = page.evaluate(_ERRORS)
    assert not errors, f"{path} in the classic Notebook: cells failed: {errors}"


class Panel7(Panel):
    """A live panel as ipywidgets 7 draws it."""

    def sliders(self):
        out = {}
        for slider in self.root.locator(".widget-slider").all():
            if "ui-slider-disabled" in (slider.locator(".ui-slider").get_attribute("class") or ""):
                continue
            out[slider.locator(".widget-label").first.text_content().strip()] = slider
        return out

    def press(self, slider, key: str) -> None:
        slider.locator(".ui-slider-handle").focus()
        self.page.keyboard.press(key)

    def click_track(self, slider, fraction: float) -> None:
        box = slider.locator(".ui-slider").bounding_box()
        self.page.mouse.click(box["x"] + fraction * box["width"], box["y"] + box["height"] / 2)

    def drag_handle(self, slider, fraction: float) -> None:
        handle, track = slider.locator(".ui-slider-handle"), slider.locator(".ui-slider")
        start, box = handle.bounding_box(), track.bounding_box()
        self.page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
        self.page.mouse.down()
        self.page.mouse.move(box["x"] + fraction * box["width"], box["y"] + box["height"] / 2, steps=8)
        self.page.mouse.up()
