"""Where the course lives, which assignments it has, and how to run nbgrader on it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config, PyFileConfigLoader

ROOT = Path(__file__).resolve().parent.parent

# In teaching order; also the folder names under source/ and release/.
ASSIGNMENTS = ("forward_propagation", "backpropagation", "gradient_checking", "optimizers", "mnist_mlp")


def available(root: Path = ROOT) -> list[str]:
    """The assignments whose instructor notebook exists under `root/source/`."""
    return [a for a in ASSIGNMENTS if (root / "source" / a / f"{a}.ipynb").is_file()]


def check_assignment(assignment: str, root: Path = ROOT) -> None:
    if assignment not in available(root):
        raise SystemExit(
            f"unknown assignment {assignment!r}; this course has: {', '.join(available(root))}"
        )


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
