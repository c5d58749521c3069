"""Write the students' copy of the course: a folder and a zip of it, with no instructor material.

What goes in, and nothing else: the release notebooks (`<assignment>/`) of the assignments the
schedule ships (open or closed), a stand-in notebook for each one not open yet (its setup cell
says so and stops, so its Colab link works from the first release on and never changes), the
labs (`notebooks/`), `nnkit/`, `data/` (without downloaded full-size sets), the student
requirements (as `requirements.txt`), `bin/lab` with a Makefile for `make lab`, and a README.
"""
from __future__ import annotations

import shutil
import stat
import zipfile
from pathlib import Path
from string import Template

import nbformat

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from ...course import ROOT, available
from ..schedule import LeftOut, Plan, plan as scheduled
from .config import CourseBundle
from .links import colab_table
from .notebooks import SETUP_ID, fill_setup_cell, setup_cell_source

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


def not_open_words(left: LeftOut) -> str:
    """What a student reads in the stand-in of an assignment that is not open yet."""
    when = f"It opens on {left.opens:%A %d %B %Y}." if left.opens else "Your instructor will say when it opens."
    return (f"This is the assignment {left.assignment!r}, which is not open yet. {when} From then on this "
            "same link, and the course zip, hold the assignment itself. Nothing here needs doing now.")


def _stand_in(source: Path, target: Path, url: str, left: LeftOut) -> None:
    """A notebook with the assignment's title and a setup cell that stops with `not_open_words`."""
    title = next((line for c in nbformat.read(source, as_version=4).cells if c.cell_type == "markdown"
                  for line in c.source.split("\n") if line.startswith("# ")), f"# {left.assignment}")
    setup = new_code_cell(setup_cell_source(url, not_open_words(left)))
    setup.metadata["nbgrader"] = {"grade_id": SETUP_ID, "locked": True, "solution": False, "grade": False,
                                  "schema_version": 3}
    nb = new_notebook(cells=[new_markdown_cell(f"{title}\n\n{not_open_words(left)}"), setup],
                      metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)


def _refuse_foreign(folder: Path) -> None:
    """SystemExit if `folder` exists and is not a bundle this module wrote (a student's own work?)."""
    if folder.exists() and not (folder / MARKER).is_file():
        raise SystemExit(f"{folder} exists and is not a student bundle written by release; "
                         "move it away or set c.CourseBundle.folder to another path.")


def _replace_folder(folder: Path) -> None:
    """Empty `folder` for a new bundle; refuse if it exists and is not one this module wrote."""
    _refuse_foreign(folder)
    if folder.exists():
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


def write_bundle(bundle: CourseBundle, root: Path = ROOT, plan: Plan | None = None,
                 check=None) -> tuple[Path, Path]:
    """Write `root/<c.CourseBundle.folder>/` and the zip beside it from release/ and the shared files.

    `plan` says which assignments to ship (default: the course's c.CourseRelease schedule today);
    the others get a stand-in. Each notebook's setup cell gets `bundle.url`. The folder is
    rewritten from scratch; a folder at that path that release did not write stops it
    (SystemExit) untouched. `check(folder)`, if given, runs on the new folder before it
    replaces the old one and may raise to keep the old bundle. Returns (folder, zip).
    """
    plan = plan or scheduled(root)
    folder = root / bundle.folder
    _refuse_foreign(folder)
    staging = folder.with_name(folder.name + ".new")
    _replace_folder(staging)
    (staging / MARKER).write_text("Written by `python -m autograder release`; rewritten by every release.\n")
    try:
        _write_folder(bundle, root, plan, staging)
        if check is not None:
            check(staging)
    except BaseException:
        shutil.rmtree(staging)
        raise
    _replace_folder(folder)
    folder.rmdir()
    staging.rename(folder)
    return folder, _zip(folder)


def _write_folder(bundle: CourseBundle, root: Path, plan: Plan, folder: Path) -> None:
    notebooks = bundle_notebooks(root)
    left_out = {left.assignment: left for left in plan.left_out}
    for assignment in available(root):
        released = root / "release" / assignment / f"{assignment}.ipynb"
        if not released.is_file():
            raise SystemExit(f"{released} is missing: run `python -m autograder release {assignment}`")
        if assignment in left_out:
            _stand_in(released, folder / assignment / released.name, bundle.url, left_out[assignment])
        else:
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
