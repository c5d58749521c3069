"""A two-question course written into a temporary folder, and submissions built from its release.

The grading tests use it instead of the real assignments: it runs in a second, and every hostile
submission is the release with one solution cell replaced, so what each should score is plain:
`square` (2 points) and `double` (1 point), each asked by a hidden test (`nnkit.questions`) and judged by the grader.
"""
from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "tiny"

CONFIG = '''\
import sys
from pathlib import Path

COURSE_ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(COURSE_ROOT))
from autograder.feedback.preprocessors import AboutYourGrade, HideHiddenTests  # noqa: E402
from autograder.grade.preprocessors import SCORING  # noqa: E402
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import Execute, GetGrades  # noqa: E402

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "tiny-course"
c.CourseDirectory.root = str(COURSE_ROOT)
c.CourseDirectory.db_url = f"sqlite:///{COURSE_ROOT / 'gradebook.db'}"
c.Execute.timeout = 5
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"\\A(?:[^\\n]*:\\d+: [\\w.]*Warning: [^\\n]*\\n(?:[ \\t][^\\n]*\\n)*)+\\Z"
c.GenerateFeedback.preprocessors = [GetGrades, AboutYourGrade, HideHiddenTests, CSSHTMLHeaderPreprocessor]
c.Autograde.autograde_preprocessors = [Execute, *SCORING]
c.Judge.course_root = str(COURSE_ROOT)
c.ClearHiddenTests.enforce_metadata = False  # hidden-test helper cells, as the course has them
'''

SETUP = '''\
import sys
from pathlib import Path
_here = Path.cwd().resolve()
sys.path.insert(0, str(next(p for p in (_here, *_here.parents) if (p / "nnkit").is_dir())))
import numpy as np
from nnkit.checks import check_close'''

SQUARE = "def square(x):\n    ### BEGIN SOLUTION\n    return np.asarray(x) ** 2\n    ### END SOLUTION"
DOUBLE = "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * np.asarray(x)\n    ### END SOLUTION"
TEST_SQUARE = '''\
# Check that square squares scalars and lists
from nnkit.questions import ask
ask("square(3)", square, 3)
### BEGIN HIDDEN TESTS
ask("square([1, 2])", square, [1, 2])
### END HIDDEN TESTS'''
TEST_DOUBLE = '''\
# Check that double doubles
from nnkit.questions import ask
### BEGIN HIDDEN TESTS
ask("double(5)", double, 5)
ask("double([1.5])", double, [1.5])
### END HIDDEN TESTS'''

HONEST_DOUBLE = "def double(x):\n    return 2 * np.asarray(x)"
WRONG_DOUBLE = "def double(x):\n    return 2 * np.asarray(x) + 1"


def _cell(source, grade_id, *, solution=False, grade=False, points=0):
    cell = new_code_cell(source)
    meta = {"grade_id": grade_id, "solution": solution, "grade": grade, "locked": not solution,
            "schema_version": 3}
    if grade:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta
    return cell


def source_notebook():
    nb = new_notebook(cells=[
        new_markdown_cell("# A tiny assignment"),
        new_code_cell(SETUP),
        _cell(SQUARE, "square", solution=True),
        _cell(TEST_SQUARE, "test_square", grade=True, points=2),
        _cell(DOUBLE, "double", solution=True),
        _cell(TEST_DOUBLE, "test_double", grade=True, points=1),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def nbgrader(root: Path, *args: str) -> None:
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    subprocess.run([sys.executable, "-m", "nbgrader", *args, "--log-level=ERROR"], cwd=root, env=env,
                   check=True, stdout=subprocess.DEVNULL)


def make_course(where: Path, source=None) -> Path:
    """A course folder with source/ and release/ of the tiny assignment (`source`, by default
    `source_notebook()`) and its gradebook."""
    shutil.copytree(ROOT / "nnkit", where / "nnkit", ignore=shutil.ignore_patterns("__pycache__"))
    (where / "autograder").symlink_to(ROOT / "autograder")
    (where / "data").mkdir()
    (where / "nbgrader_config.py").write_text(CONFIG)
    (where / "source" / ASSIGNMENT).mkdir(parents=True)
    nbformat.write(source or source_notebook(), where / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    nbgrader(where, "generate_assignment", ASSIGNMENT, "--force")
    return where


def release(root: Path):
    return nbformat.read(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)


def submission(root: Path, *, square: str | None = None, double: str = HONEST_DOUBLE, edit=None):
    """The release with solutions filled in (honest ones by default); `edit(nb)` changes more."""
    nb = copy.deepcopy(release(root))
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id == "square":
            cell.source = square or "def square(x):\n    return np.asarray(x) ** 2"
        elif grade_id == "double":
            cell.source = double
    if edit:
        edit(nb)
    return nb


def submit(root: Path, student: str, nb) -> Path:
    path = root / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(nb, (bytes, str)):
        path.write_bytes(nb if isinstance(nb, bytes) else nb.encode())
    else:
        nbformat.write(nb, path)
    return path
