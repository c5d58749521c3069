"""The ungraded labs in notebooks/ open and run to the end, and are committed without outputs."""
import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.course import ROOT

LABS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("lab", LABS, ids=[p.stem for p in LABS])
def test_lab_is_committed_without_outputs(lab):
    nb = nbformat.read(lab, as_version=4)
    assert all(c.outputs == [] and c.execution_count is None for c in nb.cells if c.cell_type == "code")


@pytest.mark.notebook
@pytest.mark.parametrize("lab", LABS, ids=[p.stem for p in LABS])
def test_lab_runs_to_the_end_and_shows_its_plots_and_widgets(lab, monkeypatch):
    monkeypatch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    nb = nbformat.read(lab, as_version=4)
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(lab.parent)}}).execute()
    kinds = {key for c in nb.cells if c.cell_type == "code" for o in c.outputs for key in o.get("data", {})}
    assert {"image/png", "application/vnd.jupyter.widget-view+json"} <= kinds
