"""The notebooks' setup cell: one template everywhere, and in Colab it downloads the bundle or says why not."""
import socket
import sys
import types
import zipfile

import nbformat
import pytest

from autograder.release.bundle import CourseBundle, course_bundle, fill_setup_cell, setup_cell_source, write_bundle
from autograder.release.bundle.notebooks import setup_cell
from autograder.course import ROOT, available

from tests.autograder.bundle_server import serve

SOURCES = [ROOT / "source" / a / f"{a}.ipynb" for a in available()] + sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_every_source_notebook_and_lab_opens_with_the_template_setup_cell(path):
    nb = nbformat.read(path, as_version=4)
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert first_code.source == setup_cell_source()
    if "source" in path.parts:
        assert first_code.metadata["nbgrader"]["grade_id"] == "setup"


@pytest.mark.parametrize("assignment", available())
def test_release_notebook_setup_cell_is_the_template_with_the_configured_url(assignment):
    nb = nbformat.read(ROOT / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    assert setup_cell(nb).source == setup_cell_source(course_bundle().url)


def test_a_setup_cell_that_differs_from_the_template_is_refused():
    nb = nbformat.read(SOURCES[0], as_version=4)
    setup_cell(nb).source += "\nprint('changed')"
    with pytest.raises(ValueError, match="differs from autograder/release/bundle/setup_cell.py"):
        fill_setup_cell(nb, "https://example.org/course.zip", where="changed.ipynb")


@pytest.fixture(scope="module")
def bundle_zip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("published")
    return write_bundle(CourseBundle(url="https://example.org/student.zip", folder=str(folder / "student")))[1]


def run_setup_cell(url, where, monkeypatch, colab=True):
    """Run the setup cell with bundle URL `url` in this process, in folder `where`."""
    monkeypatch.chdir(where)
    monkeypatch.setattr(sys, "path", list(sys.path))
    if colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    exec(compile(setup_cell_source(url), "setup", "exec"), {"__name__": "__main__"})
    return sys.path[0]


def test_inside_the_course_folder_the_cell_finds_it_from_any_subfolder(tmp_path, monkeypatch):
    assert run_setup_cell("http://127.0.0.1:9/none.zip", ROOT / "source" / "optimizers", monkeypatch,
                          colab=False) == str(ROOT)


def test_outside_the_course_folder_and_colab_the_cell_says_where_to_get_the_course(tmp_path, monkeypatch):
    with pytest.raises(FileNotFoundError) as error:
        run_setup_cell("https://example.org/student.zip", tmp_path, monkeypatch, colab=False)
    assert "https://example.org/student.zip" in str(error.value) and "unzip it" in str(error.value)


def test_in_colab_the_cell_downloads_unpacks_and_then_reuses_the_bundle(bundle_zip, tmp_path, monkeypatch):
    with serve(bundle_zip.parent) as base:
        root = run_setup_cell(f"{base}/student.zip", tmp_path, monkeypatch)
    assert root == str(tmp_path / "course")
    assert (tmp_path / "course" / "nnkit" / "__init__.py").is_file()
    assert (tmp_path / "course" / "data" / "mnist_subset.h5").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["course"]  # no download leftovers
    # The server is gone: a second run uses what is already unpacked.
    assert run_setup_cell(f"{base}/student.zip", tmp_path, monkeypatch) == str(tmp_path / "course")


def test_in_colab_a_zip_of_the_files_without_a_top_folder_works_too(tmp_path, monkeypatch):
    published = tmp_path / "published"
    published.mkdir()
    with zipfile.ZipFile(published / "flat.zip", "w") as out:
        out.writestr("nnkit/__init__.py", "")
    work = tmp_path / "work"
    work.mkdir()
    with serve(published) as base:
        assert run_setup_cell(f"{base}/flat.zip", work, monkeypatch) == str(work / "course")


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("problem", ["404", "unreachable", "not a zip", "no nnkit"])
def test_in_colab_a_failed_download_stops_with_the_url_and_what_to_do(problem, tmp_path, monkeypatch):
    published = tmp_path / "published"
    published.mkdir()
    (published / "page.zip").write_text("<html>Sign in</html>")
    with zipfile.ZipFile(published / "other.zip", "w") as out:
        out.writestr("other/README.md", "not the course")
    work = tmp_path / "work"
    work.mkdir()
    with serve(published) as base:
        url = {"404": f"{base}/missing.zip", "unreachable": f"http://127.0.0.1:{_closed_port()}/student.zip",
               "not a zip": f"{base}/page.zip", "no nnkit": f"{base}/other.zip"}[problem]
        with pytest.raises(RuntimeError) as error:
            run_setup_cell(url, work, monkeypatch)
    message = str(error.value)
    assert url in message and "run this cell again" in message and "tell your instructor" in message
    assert {"404": "404", "unreachable": "refused", "not a zip": "zip", "no nnkit": "no nnkit/"}[problem] in message
    assert list(work.iterdir()) == []
