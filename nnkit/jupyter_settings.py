"""Jupyter settings the live panels need: arrow keys reach a focused slider in Notebook 7.

A notebook in command mode binds the arrow keys to moving between cells (ArrowUp/ArrowDown) and
folding headings (ArrowLeft/ArrowRight) wherever focus is, a focused slider included. JupyterLab
lets the page see a key first, so the slider takes it; Notebook 7 runs its shortcuts first, so
the slider never sees its arrow keys and the focus jumps to the next cell instead.

`overrides()` keeps these four shortcuts everywhere except inside a widget (the default ones
are disabled and added again with a selector that leaves widgets out). `install()` writes them
where JupyterLab and Notebook 7 of this Python environment read settings overrides,
`{sys.prefix}/share/jupyter/lab/settings/overrides.d/`; `python -m nnkit.jupyter_settings` runs it.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

NOTEBOOK_COMMAND_MODE = ".jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus"
# The same, except when the focused element sits inside an ipywidgets widget.
OUTSIDE_WIDGETS = NOTEBOOK_COMMAND_MODE + ":not(.jupyter-widgets *)"
ARROW_COMMANDS = {"ArrowUp": "notebook:move-cursor-up", "ArrowDown": "notebook:move-cursor-down",
                  "ArrowLeft": "notebook:move-cursor-heading-above-or-collapse",
                  "ArrowRight": "notebook:move-cursor-heading-below-or-expand"}
FILE_NAME = "nnkit-widgets-keys.json"


def overrides() -> dict:
    """The settings overrides, as JupyterLab's overrides files hold them (plugin id -> settings)."""
    shortcuts = []
    for key, command in ARROW_COMMANDS.items():
        shortcuts.append({"command": command, "keys": [key], "selector": NOTEBOOK_COMMAND_MODE, "disabled": True})
        shortcuts.append({"command": command, "keys": [key], "selector": OUTSIDE_WIDGETS})
    return {"@jupyterlab/shortcuts-extension:shortcuts": {"shortcuts": shortcuts}}


def settings_dir(prefix: str | Path = sys.prefix) -> Path:
    """Where JupyterLab and Notebook 7 installed under `prefix` read their settings overrides."""
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings"


def install(folder: str | Path | None = None) -> Path:
    """Write the overrides into `folder`/overrides.d/ (default: `settings_dir()`); returns the file."""
    path = Path(folder or settings_dir()) / "overrides.d" / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(overrides(), indent=2) + "\n")
    return path


if __name__ == "__main__":
    print(f"Arrow keys now move a focused slider in Notebook 7: wrote {install()}")
