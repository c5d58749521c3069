"""nnkit.jupyter_settings: the shortcut overrides that let a focused slider keep its arrow keys."""
import json
from pathlib import Path

import pytest

from nnkit.jupyter_settings import ARROW_COMMANDS, OUTSIDE_WIDGETS, install, overrides, settings_dir


def _default_arrow_shortcuts():
    commands = pytest.importorskip("jupyterlab.commands")
    schema = Path(commands.get_app_dir()) / "schemas" / "@jupyterlab" / "notebook-extension" / "tracker.json"
    shortcuts = json.loads(schema.read_text())["jupyter.lab.shortcuts"]
    return [s for s in shortcuts if s["keys"] and s["keys"][0] in ARROW_COMMANDS]


def test_every_default_arrow_shortcut_is_disabled_and_kept_outside_widgets():
    ours = overrides()["@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"]
    defaults = _default_arrow_shortcuts()
    assert len(defaults) == 4
    for shortcut in defaults:
        same = {k: shortcut[k] for k in ("command", "keys", "selector")}
        assert {**same, "disabled": True} in ours
        assert {**same, "selector": OUTSIDE_WIDGETS} in ours


def test_install_writes_where_jupyterlab_of_this_environment_reads_overrides(tmp_path):
    commands = pytest.importorskip("jupyterlab.commands")
    assert settings_dir().resolve() == (Path(commands.get_app_dir()) / "settings").resolve()
    path = install(tmp_path)
    assert path == tmp_path / "overrides.d" / "nnkit-widgets-keys.json"
    assert json.loads(path.read_text()) == overrides()
