"""Each release notebook and lab opened alone, as Colab opens it from its link, on Colab's
published package versions (`platforms/colab-runtime.txt`; the notebooks with live panels also
on Colab's fallback runtime, Python 3.12 and numpy 2.0.2), runs to the end with its live panels
on, and every panel answers every move the way Colab's page needs. (Notebooks without panels
skip their long experiments, as when graded.)

The notebook sits in an empty folder; the kernel is a venv with Colab's versions (Python 3.13)
and imports `google.colab` (a stand-in module: Colab's own is not published) and numpy and PIL
when it starts, as Colab's does. The student bundle is served over HTTP from 127.0.0.1; the
setup cell downloads and unpacks it; the assignments run with the reference solutions filled in.
Then each control of each live panel is moved by a comm message, as the front end sends it, and
the new picture must arrive before the kernel's idle status for that message: Colab's page shows
widget updates only while the kernel handles the request that made them (colabtools#3373).
(With `NNKIT_LIVE_PANEL=thread` in the kernel, the threaded mode, this test fails at the first
move: the picture comes after idle.)
"""
import json
import os
import subprocess
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from autograder.release.bundle import CourseBundle, fill_setup_cell, write_bundle
from autograder.release.schedule import CourseRelease, plan
from autograder.course import ROOT, available
from autograder.samples import REFERENCE, build_submission

from ..autograder.bundle_server import serve
from .colab_runtime import RUNTIMES, colab_venv, kernel_specs, pins, python_version
from .front_end import FrontEnd, find_panels

# Each takes 10-25 s alone on 2 cores (up to ~110 s for optimizers on a busy machine, with the
# panels' moves); the Colab venv is built once per versions file (a few minutes).
NOTEBOOKS = [*(f"{a}/{a}.ipynb" for a in available()),
             *(f"notebooks/{p.name}" for p in sorted((ROOT / "notebooks").glob("*.ipynb")))]
PANELS = {"optimizers/optimizers.ipynb": 4, "notebooks/momentum_lab.ipynb": 1}  # the others have none
# Every notebook on Colab's default runtime; those with panels on its fallback runtime too.
RUNS = [*(("default", path) for path in NOTEBOOKS), *(("fallback", path) for path in PANELS)]


@pytest.fixture(scope="module")
def colab_kernel(tmp_path_factory):
    """A function of Colab's runtime ("default" or "fallback") that returns (a kernel spec
    manager whose "colab" kernel runs in the venv of that runtime's versions, its Python)."""
    made = {}

    def kernel(runtime: str):
        if runtime not in made:
            try:
                python = colab_venv(runtime=runtime)
            except LookupError as missing:
                pytest.skip(f"{missing}: the Colab tests need it (.ci/run installs it)")
            made[runtime] = kernel_specs(python, tmp_path_factory.mktemp(f"kernels-{runtime}")), python
        return made[runtime]
    return kernel


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """(bundle URL, folder of the stand-in google.colab, bundle folder), served while the
    module's tests run."""
    where = tmp_path_factory.mktemp("published")
    every_one_open = plan(schedule=CourseRelease(open=available()))
    folder, _ = write_bundle(CourseBundle(url="https://example.org/student.zip", folder=str(where / "student")),
                             plan=every_one_open)
    colab = tmp_path_factory.mktemp("colab")
    (colab / "google" / "colab").mkdir(parents=True)
    (colab / "google" / "colab" / "__init__.py").write_text('"""Stand-in for Colab\'s own module."""\n')
    # Colab's kernel has google.colab, numpy and PIL imported before the first cell runs.
    (colab / "sitecustomize.py").write_text("import google.colab, numpy, PIL.Image  # noqa: F401,E401\n")
    with serve(where) as base:
        yield f"{base}/student.zip", colab, folder


def as_student_opens_it(path: str, folder: Path, url: str):
    nb = nbformat.read(folder / path, as_version=4)
    assignment = path.split("/")[0]
    if assignment in available():
        source = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
        nb = build_submission(source, nb, REFERENCE)
    fill_setup_cell(nb, url, where=path)
    return nb


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_the_colab_venv_has_colabs_published_versions_and_no_comm_package(colab_kernel, runtime):
    _, python = colab_kernel(runtime)
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format=json"], capture_output=True,
                            text=True, check=True).stdout
    installed = {p["name"].lower(): p["version"] for p in json.loads(listed)}
    assert {name: installed.get(name) for name in pins(runtime)} == pins(runtime)
    assert "comm" not in installed


@pytest.mark.notebook
@pytest.mark.parametrize("runtime, path", RUNS, ids=[f"{r}-{Path(p).stem}" for r, p in RUNS])
def test_notebook_in_colab_runs_to_the_end_and_every_panel_move_is_drawn_before_idle(
        runtime, path, published, colab_kernel, tmp_path):
    url, colab, folder = published
    specs, _ = colab_kernel(runtime)
    nb = as_student_opens_it(path, folder, url)
    env = {key: value for key, value in os.environ.items()
           if key not in ("NNKIT_DATA", "PYTHONPATH", "NBGRADER_EXECUTION", "NNKIT_LIVE_PANEL")}
    env.update(PYTHONPATH=str(colab))  # live panels on, their mode chosen by nnkit itself
    if path not in PANELS:  # no panels; skip the long experiments (minutes of MNIST training) as grading does
        env["NBGRADER_EXECUTION"] = "autograde"
    client = NotebookClient(nb, timeout=600, km=KernelManager(kernel_name="colab", kernel_spec_manager=specs),
                            resources={"metadata": {"path": str(tmp_path)}})
    with client.setup_kernel(env=env, cwd=str(tmp_path), cleanup_kc=True):  # our km: shut it down too
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        assert errors == []
        assert (tmp_path / "course" / "nnkit" / "__init__.py").is_file()
        panels = find_panels(client.widget_state)
        assert len(panels) == PANELS.get(path, 0)
        front_end = FrontEnd(client.kc, client.widget_state)
        for panel in panels:
            last = None  # nbclient keeps the first picture apart from the state
            for control, state in front_end.moves(panel):
                move = front_end.move(control, state, panel)
                failed = [s for s in move.status if "failed" in s]
                assert failed == [], f"{move.control} -> {state}: {failed}"
                assert move.picture is not None, f"{move.control} -> {state}: no picture before idle"
                assert move.picture != last, f"{move.control} -> {state}: the same picture again"
                last = move.picture


def test_the_fallback_runtime_changes_only_the_pins_its_line_names(tmp_path):
    versions = tmp_path / "runtime.txt"
    versions.write_text("# python: 3.13\n# fallback: python 3.12, numpy==2.0.2\nnumpy==2.1.3  # note\nPillow==11.3.0\n")
    assert pins(path=versions) == {"numpy": "2.1.3", "pillow": "11.3.0"}
    assert pins("fallback", versions) == {"numpy": "2.0.2", "pillow": "11.3.0"}
    assert (python_version(path=versions), python_version("fallback", versions)) == ("3.13", "3.12")


def test_an_unknown_colab_runtime_is_an_error_naming_the_runtimes():
    with pytest.raises(ValueError, match="default, fallback"):
        colab_venv(runtime="tpu")
