"""A widget front end, kernel side: finds a notebook's live panels in the widget state and moves
their controls by comm messages, as ipywidgets' front end does, recording what came back before
the kernel reported idle for each move (Colab's page shows nothing sent later), and when, by
the kernel's own message timestamps."""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

SLIDERS = ("FloatSliderModel", "FloatLogSliderModel")


@dataclass
class Panel:
    """Comm ids of one live panel's widgets: its controls by description, image and status."""
    controls: dict[str, str]
    image: str
    status: str


@dataclass
class Move:
    """What the kernel sent, parented to one move, before its idle status."""
    control: str
    state: dict
    picture: bytes | None = None  # the Image's new value, when one was sent
    status: list[str] = field(default_factory=list)  # the status line's new values
    seconds: float = 0.0  # from sending the move to the idle status, on the client
    kernel_seconds: float | None = None  # from the kernel's busy status to the picture, its clock


def _children(state: dict, model_id: str) -> list[str]:
    return [child.removeprefix("IPY_MODEL_") for child in state[model_id].get("children", [])]


def _walk(state: dict, model_id: str):
    yield model_id
    for child in _children(state, model_id):
        yield from _walk(state, child)


def find_panels(widget_state: dict) -> list[Panel]:
    """The live panels of `widget_state` ({comm id: state}, as nbclient keeps it), in
    the order their boxes were created; recognised by their "nnkit-live-panel" class."""
    state = widget_state
    panels = []
    for comm_id, model in state.items():
        if "nnkit-live-panel" not in model.get("_dom_classes", ()):
            continue
        controls_box, _caption, image, status = _children(state, comm_id)
        controls = {state[m]["description"]: m for m in _walk(state, controls_box)
                    if state[m]["_model_name"] in (*SLIDERS, "ToggleButtonsModel")}
        panels.append(Panel(controls, image, status))
    return panels


class FrontEnd:
    """Moves controls through a started kernel client `kc`, tracking the widgets' state from
    the updates the kernel sends (starting from nbclient's `widget_state`)."""

    def __init__(self, kc, widget_state: dict, timeout: float = 60):
        self.kc, self.timeout = kc, timeout
        self.state = {comm_id: dict(state) for comm_id, state in widget_state.items()}

    def move(self, comm_id: str, state: dict, panel: Panel) -> Move:
        """Send `state` (e.g. {"value": 0.3}) to the widget `comm_id` as a front end's update."""
        message = self.kc.session.msg("comm_msg", {"comm_id": comm_id, "data": {
            "method": "update", "state": state, "buffer_paths": []}})
        record = Move(self.state[comm_id].get("description", comm_id), state)
        started, busy = time.perf_counter(), None
        self.kc.shell_channel.send(message)
        self.state[comm_id].update(state)  # the front end's own model holds the value it sent
        while True:
            reply = self.kc.get_iopub_msg(timeout=self.timeout)
            if reply["parent_header"].get("msg_id") != message["header"]["msg_id"]:
                continue
            if reply["msg_type"] == "status":
                if reply["content"]["execution_state"] == "busy":
                    busy = reply["header"]["date"]  # the kernel starts on the move
                else:
                    record.seconds = time.perf_counter() - started
                    return record
            if reply["msg_type"] == "comm_msg":
                had_picture = record.picture is not None
                self._apply(reply, panel, record)
                if busy is not None and not had_picture and record.picture is not None:
                    record.kernel_seconds = (reply["header"]["date"] - busy).total_seconds()

    def _apply(self, reply, panel: Panel, record: Move):
        content = reply["content"]
        data, target = content["data"], content["comm_id"]
        if data.get("method") != "update":
            return
        update = dict(data.get("state", {}))
        for path, buffer in zip(data.get("buffer_paths", []), reply.get("buffers", [])):
            if path == ["value"]:
                update["value"] = bytes(buffer)
        self.state.setdefault(target, {}).update(update)
        if target == panel.image and "value" in update:
            record.picture = update["value"]
        if target == panel.status and "value" in update:
            record.status.append(update["value"])

    def moves(self, panel: Panel):
        """Each control's state to send, in an order that reaches every control enabled: each
        optimizer in turn, then every slider it leaves enabled, to a value 30% or 70% along its
        range, whichever is farther from where it is (on the slider's own scale)."""
        selectors = [m for m in panel.controls.values() if self.state[m]["_model_name"] == "ToggleButtonsModel"]
        sliders = [m for m in panel.controls.values() if m not in selectors]
        choices = [(selectors[0], {"index": i}) for i in range(len(self.state[selectors[0]]["_options_labels"]))
                   if i != self.state[selectors[0]]["index"]] if selectors else [(None, None)]
        for selector, choice in choices:
            if selector is not None:
                yield selector, choice
            for slider in sliders:
                if not self.state[slider].get("disabled", False):
                    yield slider, {"value": self._farther_value(self.state[slider])}

    @staticmethod
    def _farther_value(slider: dict) -> float:
        low, high = slider["min"], slider["max"]
        if slider["_model_name"] == "FloatLogSliderModel":
            now = math.log(slider["value"], slider["base"])
            scale = lambda x: slider["base"] ** x  # noqa: E731
        else:
            now, scale = slider["value"], float
        spots = [low + f * (high - low) for f in (0.3, 0.7)]
        spot = max(spots, key=lambda x: abs(x - now))
        step = slider["step"]
        return scale(round(low + round((spot - low) / step) * step, 10))
