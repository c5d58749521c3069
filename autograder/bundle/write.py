"""Write the students' copy of the course: a folder and a zip of it, with no instructor material.

What goes in, and nothing else: the release notebooks (`<assignment>/`), the labs
(`notebooks/`), `nnkit/`, `data/` (without downloaded full-size sets), the student
requirements (as `requirements.txt`), `bin/lab` with a Makefile for `make lab`, and a README.
"""
from __future__ import annotations

import shutil
import stat
import zipfile
from pathlib import Path
from string import Template

import nbformat

from ..course import ROOT, available
from .config import CourseBundle
from .links import colab_table
from .notebooks import fill_setup_cell

FILES = Path(__file__).parent / "files"
MARKER = ".course-bundle"  # tells a folder this module wrote, safe to replace, from anything else
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "full")
ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # fixed, so that an unchanged course gives the same zip


def bundle_notebooks(root: Path = ROOT) -> list[str]:
    """Paths inside the bundle of its notebooks: each assignment's, then each lab's."""
    assignments = [f"{a}/{a}.ipynb" for a in available(root)]
    labs = [f"notebooks/{p.name}" for p in sorted((root / "notebooks").glob("*.ipynb"))]
    return assignments + labs


def _copy_notebook(source: Path, target: Path, url: str) -> None:
    nb = nbformat.read(source, as_version=4)
    fill_setup_cell(nb, url, where=str(source))
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)


def _replace_folder(folder: Path) -> None:
    """Empty `folder` for a new bundle; refuse if it exists and is not one this module wrote."""
    if folder.exists():
        if not (folder / MARKER).is_file():
            raise SystemExit(f"{folder} exists and is not a student bundle written by release; "
                             "move it away or set c.CourseBundle.folder to another path.")
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def _zip(folder: Path) -> Path:
    archive = folder.with_name(folder.name + ".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.name != MARKER:
                info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", ZIP_TIME)
                info.external_attr = (stat.S_IFREG | (path.stat().st_mode & 0o777)) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(info, path.read_bytes())
    return archive


def write_bundle(bundle: CourseBundle, root: Path = ROOT) -> tuple[Path, Path]:
    """Write `root/<c.CourseBundle.folder>/` and the zip beside it from release/ and the shared files.

    Each notebook's setup cell gets `bundle.url`. The folder is rewritten from scratch; a folder
    at that path that release did not write stops it (SystemExit) untouched.
    Returns (folder, zip).
    """
    folder = root / bundle.folder
    _replace_folder(folder)
    notebooks = bundle_notebooks(root)
    for assignment in available(root):
        released = root / "release" / assignment / f"{assignment}.ipynb"
        if not released.is_file():
            raise SystemExit(f"{released} is missing: run `python -m autograder release {assignment}`")
        _copy_notebook(released, folder / assignment / released.name, bundle.url)
    for lab in sorted((root / "notebooks").glob("*.ipynb")):
        _copy_notebook(lab, folder / "notebooks" / lab.name, bundle.url)
    for shared in ("nnkit", "data"):
        shutil.copytree(root / shared, folder / shared, ignore=IGNORED)
    shutil.copy(root / "requirements-student.txt", folder / "requirements.txt")
    (folder / "bin").mkdir()
    shutil.copy(root / "bin" / "lab", folder / "bin" / "lab")
    shutil.copy(FILES / "Makefile", folder / "Makefile")
    readme = Template((FILES / "README.md").read_text())
    links = colab_table(bundle, notebooks) if bundle.colab_base() else "Your instructor gives you each notebook's link."
    (folder / "README.md").write_text(readme.substitute(url=bundle.url, colab=links))
    (folder / MARKER).write_text("Written by `python -m autograder release`; rewritten by every release.\n")
    return folder, _zip(folder)
