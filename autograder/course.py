"""Where the course lives, which assignments it has, where each step keeps its files, and how to run nbgrader on it.

Every path of the pipeline is built here, as nbgrader's `CourseDirectory.format_path` builds its
own: `source/<assignment>/`, `release/<assignment>/`, `submitted/<student>/<assignment>/`,
`autograded/<student>/<assignment>/`, `feedback/<student>/<assignment>/` (nbgrader's default
folder names, which `nbgrader_config.py` keeps), and our own records beside them:
`reports/<assignment>/` (outcomes.json, state.json, collect.json, key-<notebook>.json),
`reports/<assignment>.html`, `release-history/<assignment>.json`, `samples/<assignment>.py`,
and the provided code several notebooks share, `provided/<module>.py` (autograder/provided.py).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config, PyFileConfigLoader

ROOT = Path(__file__).resolve().parent.parent

# nbgrader's steps and where each keeps an assignment's notebooks; the per-student ones by student.
FOLDERS = {"source": "source/{assignment}", "release": "release/{assignment}",
           "submitted": "submitted/{student}/{assignment}", "autograded": "autograded/{student}/{assignment}",
           "feedback": "feedback/{student}/{assignment}"}
# The records `grade` and `collect` keep per assignment, in its reports folder.
OUTCOMES, STATE, COLLECT_LOG = "outcomes.json", "state.json", "collect.json"


@dataclass(frozen=True)
class Assignment:
    """An assignment as its source notebook declares it in its metadata, under "course"."""
    name: str          # its folder under source/ and release/, and its notebook's name
    order: float       # place in the teaching order ("order"); inf when the notebook gives none
    builds: str        # what students build, for the README's table ("builds")


def _declared(root: Path, name: str) -> Assignment:
    path = format_path("source", name, root=root) / f"{name}.ipynb"
    try:
        course = json.loads(path.read_text()).get("metadata", {}).get("course", {})
    except ValueError as err:
        raise ValueError(f"{path.relative_to(root)} is not a notebook nbformat can read: {err}") from None
    order = course.get("order", float("inf")) if isinstance(course, dict) else None
    if isinstance(order, bool) or not isinstance(order, (int, float)):
        raise ValueError(f"{path.relative_to(root)}: its metadata \"course\" must be an object whose "
                         f"\"order\" is a number (its place in the teaching order), not {course!r}")
    return Assignment(name, order, str(course.get("builds", "")))


def assignments(root: Path = ROOT) -> list[Assignment]:
    """Every assignment found under `root/source/`: a folder `<name>/` holding `<name>.ipynb`.

    In teaching order, as each notebook's metadata "course": {"order": n} declares it; notebooks
    that declare none come last, by name. ValueError names a notebook whose metadata is malformed.
    """
    folders = sorted(root.glob("source/*/")) if (root / "source").is_dir() else []
    found = [_declared(root, f.name) for f in folders if (f / f"{f.name}.ipynb").is_file()]
    return sorted(found, key=lambda a: (a.order, a.name))


def available(root: Path = ROOT) -> list[str]:
    """The names of the course's assignments, in teaching order (see `assignments`)."""
    return [a.name for a in assignments(root)]


def check_assignment(assignment: str, root: Path = ROOT) -> None:
    if assignment not in available(root):
        raise SystemExit(
            f"unknown assignment {assignment!r}; this course has: {', '.join(available(root))}"
        )


def format_path(step: str, assignment: str, student: str | None = None, root: Path = ROOT) -> Path:
    """The folder where `step` ("source", "release", "submitted", "autograded" or "feedback")
    keeps `assignment`'s notebooks, for `student` in the per-student steps.

    `student="*"` makes a glob pattern, as in nbgrader. ValueError for an unknown step, or a
    per-student step without a student.
    """
    if step not in FOLDERS:
        raise ValueError(f"unknown step {step!r}; the steps with folders are {', '.join(FOLDERS)}")
    if "{student}" in FOLDERS[step] and not student:
        raise ValueError(f"{step}/ is kept per student: say which student")
    return root / FOLDERS[step].format(assignment=assignment, student=student)


def notebook_path(step: str, assignment: str, student: str | None = None, notebook: str | None = None,
                  root: Path = ROOT) -> Path:
    """`format_path(...)/<notebook>.ipynb`; the notebook is named after the assignment by default."""
    return format_path(step, assignment, student, root) / f"{notebook or assignment}.ipynb"


def student_notebooks(step: str, assignment: str, root: Path = ROOT) -> list[Path]:
    """Every student's notebooks of `assignment` in a per-student step, sorted by path."""
    return sorted(root.glob(str(notebook_path(step, assignment, "*", "*", root).relative_to(root))))


def reports_dir(assignment: str, root: Path = ROOT) -> Path:
    """Where grade and collect keep their records of `assignment` (not created here)."""
    return root / "reports" / assignment


def record_path(assignment: str, record: str, root: Path = ROOT) -> Path:
    """One record of `assignment`: OUTCOMES, STATE or COLLECT_LOG."""
    return reports_dir(assignment, root) / record


def key_path(assignment: str, notebook: str, root: Path = ROOT) -> Path:
    """The cached answer key of one notebook of `assignment`."""
    return reports_dir(assignment, root) / f"key-{notebook}.json"


def report_page(assignment: str, root: Path = ROOT) -> Path:
    """The instructor's HTML report of `assignment`."""
    return root / "reports" / f"{assignment}.html"


def release_history(assignment: str, root: Path = ROOT) -> Path:
    """The test-cell digests of every release of `assignment` (committed)."""
    return root / "release-history" / f"{assignment}.json"


def samples_path(assignment: str, root: Path = ROOT) -> Path:
    """The module declaring `assignment`'s sample submissions."""
    return root / "samples" / f"{assignment}.py"


def provided_path(module: str, root: Path = ROOT) -> Path:
    """The provided-code module `module` (`from provided.<module> import ...` in a source notebook)."""
    return root / "provided" / f"{module}.py"


def provided_modules(root: Path = ROOT) -> list[Path]:
    """Every provided-code module of the course at `root`, sorted; [] for a course without provided/."""
    return sorted(p for p in provided_path("*", root).parent.glob("*.py") if not p.name.startswith("_"))


def interpreter_on_path() -> None:
    """Put this interpreter's folder first on PATH.

    Kernels, and the `alembic` that opening a gradebook runs, are started from PATH: this way
    they come from the same environment as the command that starts them.
    """
    here = os.path.dirname(sys.executable)
    if here not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([here, os.environ.get("PATH", "")])


def load_config(root: Path = ROOT) -> Config:
    """The course's nbgrader_config.py, read as nbgrader reads it."""
    return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()


def course_directory(root: Path = ROOT) -> CourseDirectory:
    """nbgrader's view of the course folder `root`, as its nbgrader_config.py sets it."""
    coursedir = CourseDirectory(config=load_config(root))
    coursedir.root = str(root)
    return coursedir


def open_gradebook(root: Path = ROOT) -> Gradebook:
    """The gradebook with the database and course id that nbgrader_config.py names."""
    interpreter_on_path()
    coursedir = course_directory(root)
    return Gradebook(coursedir.db_url, coursedir.course_id)


def nbgrader(root: Path, *args: str, log_level: str = "WARN") -> None:
    """Run an nbgrader command in the course folder `root`, whose nbgrader_config.py applies."""
    interpreter_on_path()
    subprocess.run([sys.executable, "-m", "nbgrader", *args, f"--log-level={log_level}"],
                   cwd=root, check=True)
