"""Each release notebook and lab opened alone, as Colab opens it from its link, runs to the end.

The notebook sits in an empty folder; a stand-in `google.colab` module is imported when the
kernel starts (as in Colab), and the student bundle is served over HTTP from 127.0.0.1. The
setup cell downloads and unpacks it; the assignments run with the reference solutions filled in.
"""
import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.release.bundle import CourseBundle, fill_setup_cell, write_bundle
from autograder.release.schedule import CourseRelease, plan
from autograder.course import ROOT, available
from autograder.samples import REFERENCE, build_submission

from ..autograder.bundle_server import serve

# Each takes 10-25 s alone on 2 cores (up to ~110 s for optimizers on a busy machine);
# live panels are off, as when graded.
NOTEBOOKS = [*(f"{a}/{a}.ipynb" for a in available()),
             *(f"notebooks/{p.name}" for p in sorted((ROOT / "notebooks").glob("*.ipynb")))]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """(bundle URL, folder of the stand-in google.colab), served while the module's tests run."""
    where = tmp_path_factory.mktemp("published")
    every_one_open = plan(schedule=CourseRelease(open=available()))
    folder, _ = write_bundle(CourseBundle(url="https://example.org/student.zip", folder=str(where / "student")),
                             plan=every_one_open)
    colab = tmp_path_factory.mktemp("colab")
    (colab / "google" / "colab").mkdir(parents=True)
    (colab / "google" / "colab" / "__init__.py").write_text('"""Stand-in for Colab\'s own module."""\n')
    # Colab's kernel has google.colab imported before the first cell runs.
    (colab / "sitecustomize.py").write_text("import google.colab  # noqa: F401\n")
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


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[Path(p).stem for p in NOTEBOOKS])
def test_notebook_opened_alone_in_colab_fetches_the_bundle_and_runs_to_the_end(path, published, tmp_path):
    url, colab, folder = published
    nb = as_student_opens_it(path, folder, url)
    env = {key: value for key, value in os.environ.items() if key not in ("NNKIT_DATA", "PYTHONPATH")}
    env.update(PYTHONPATH=str(colab), NBGRADER_EXECUTION="autograde",  # live panels stay off
               PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=env, cwd=str(tmp_path))
    assert (tmp_path / "course" / "nnkit" / "__init__.py").is_file()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
