"""Driving the live panels (`nnkit.widgets.live_panel`) in a page, and timing them.

`install_probe(page)` watches every panel's picture: each time its `src` changes, the probe
waits until the new image is decoded and the next frame starts (`img.decode()`, then
`requestAnimationFrame`), and records that moment with the time of the last input event (key
press, pointer press, or Enter in a readout) inside the panel, both from `performance.now()`.
`Panel` moves one panel's sliders by keyboard, mouse and typing, and waits for the new picture.
"""
from __future__ import annotations

import hashlib

PANEL = ".nnkit-live-panel"

_PROBE = """() => {
  if (window.__nnkitProbe) return;
  const probe = window.__nnkitProbe = {lastInput: null, shown: []};
  const input = event => { if (event.target.closest && event.target.closest('.nnkit-live-panel'))
                             probe.lastInput = event.timeStamp; };
  for (const type of ['keydown', 'pointerdown']) document.addEventListener(type, input, true);
  const watch = img => {
    if (img.__nnkitWatched) return;
    img.__nnkitWatched = true;
    new MutationObserver(() => {
      const input = probe.lastInput, src = img.src;
      img.decode().catch(() => null).then(() => requestAnimationFrame(() => {
        const panel = [...document.querySelectorAll('.nnkit-live-panel')].indexOf(img.closest('.nnkit-live-panel'));
        probe.shown.push({panel, src, input, shown: performance.now()});
      }));
    }).observe(img, {attributes: true, attributeFilter: ['src']});
  };
  const scan = () => document.querySelectorAll('.nnkit-live-panel img').forEach(watch);
  scan();
  new MutationObserver(scan).observe(document.body, {childList: true, subtree: true});
}"""


def install_probe(page) -> None:
    page.evaluate(_PROBE)


def picture_bytes(page, panel: int) -> bytes:
    """The bytes of panel `panel`'s picture as the page holds it (its blob URL, fetched)."""
    data = page.evaluate("""async index => {
      const img = document.querySelectorAll('.nnkit-live-panel')[index].querySelector('img');
      const buffer = await (await fetch(img.src)).arrayBuffer();
      return Array.from(new Uint8Array(buffer));
    }""", panel)
    return bytes(data)


class Panel:
    """The `index`-th live panel of the page (in document order)."""

    def __init__(self, page, index: int):
        self.page, self.index = page, index
        self.root = page.locator(PANEL).nth(index)
        self.image = self.root.locator("img")

    def sliders(self):
        """Locators of the panel's sliders that are enabled, by description."""
        out = {}
        for slider in self.root.locator(".widget-slider").all():
            if slider.locator(".noUi-target").get_attribute("disabled") is not None:
                continue  # ipywidgets disables the track and makes the readout read-only
            out[slider.locator(".widget-label").first.text_content().strip()] = slider
        return out

    def _shown_count(self) -> int:
        return self.page.evaluate("index => window.__nnkitProbe.shown.filter(s => s.panel === index).length",
                                  self.index)

    def wait_for_new_picture(self, before: int, timeout: float = 20.0) -> dict:
        """Wait until the picture changed since the probe had counted `before` pictures of this
        panel, and the kernel sent nothing more for 300 ms; returns the last record."""
        self.page.wait_for_function(
            "([index, before]) => window.__nnkitProbe.shown.filter(s => s.panel === index).length > before",
            arg=[self.index, before], timeout=timeout * 1000, polling=20)
        while True:  # a coalesced burst may bring one more picture
            count = self._shown_count()
            self.page.wait_for_timeout(300)
            if self._shown_count() == count:
                break
        return self.page.evaluate(
            "index => window.__nnkitProbe.shown.filter(s => s.panel === index).slice(-1)[0]", self.index)

    def act(self, action) -> tuple[dict, bytes]:
        """Run `action()` (an input on this panel), wait for the new picture; returns the probe's
        record of it and its bytes."""
        self.root.scroll_into_view_if_needed()
        before = self._shown_count()
        action()
        record = self.wait_for_new_picture(before)
        return record, picture_bytes(self.page, self.index)

    def press(self, slider, key: str) -> None:
        handle = slider.locator(".noUi-handle")
        handle.focus()
        self.page.keyboard.press(key)

    def click_track(self, slider, fraction: float) -> None:
        """Click the slider's track at `fraction` of its length (the handle jumps there)."""
        track = slider.locator(".noUi-target")
        box = track.bounding_box()
        self.page.mouse.click(box["x"] + fraction * box["width"], box["y"] + box["height"] / 2)

    def drag_handle(self, slider, fraction: float) -> None:
        """Drag the slider's handle to `fraction` of the track in a few mouse moves."""
        handle, track = slider.locator(".noUi-handle"), slider.locator(".noUi-target")
        start, box = handle.bounding_box(), track.bounding_box()
        self.page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
        self.page.mouse.down()
        self.page.mouse.move(box["x"] + fraction * box["width"], box["y"] + box["height"] / 2, steps=8)
        self.page.mouse.up()

    def type_value(self, slider, text: str) -> None:
        """Type `text` into the slider's readout and press Enter."""
        readout = slider.locator(".widget-readout")
        readout.click()
        self.page.keyboard.press("ControlOrMeta+A")
        self.page.keyboard.type(text)
        self.page.keyboard.press("Enter")

    def readout(self, slider) -> str:
        return slider.locator(".widget-readout").text_content().strip()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def move_every_slider(panel, index: int) -> list[str]:
    """Move each enabled slider of `panel` (a Panel or Panel7) by arrow keys, a click on its track,
    a drag of its handle and a typed value; what went wrong, one line per move, or []."""
    try:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout
    except ImportError:  # the browser tests skip themselves; this only keeps the module importable
        PlaywrightTimeout = TimeoutError
    failures = []
    sliders = panel.sliders()
    assert "learning rate" in sliders, f"panel {index} has no enabled learning-rate slider"
    for label, slider in sliders.items():
        moves = [
            ("ArrowLeft key", lambda: panel.press(slider, "ArrowLeft")),
            ("ArrowRight key", lambda: panel.press(slider, "ArrowRight")),
            ("click on the track", lambda: panel.click_track(slider, 0.3)),
            ("drag of the handle", lambda: panel.drag_handle(slider, 0.6)),
            ("typed value", lambda: panel.type_value(slider, f"{float(panel.readout(slider)) * 0.5:.4g}")),
        ]
        previous = None
        for name, action in moves:
            before = panel.readout(slider)
            try:
                _, data = panel.act(action)
            except PlaywrightTimeout:
                failures.append(f"panel {index}, {label}: no new picture after the {name} "
                                f"(readout {before} -> {panel.readout(slider)})")
                continue
            if panel.readout(slider) == before:
                failures.append(f"panel {index}, {label}: the {name} left the readout at {before}")
            elif data == previous:
                failures.append(f"panel {index}, {label}: the {name} moved the readout from {before} to "
                                f"{panel.readout(slider)} but left the picture as it was")
            previous = data
    return failures
