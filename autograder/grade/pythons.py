"""The Pythons the course supports, stated once (`c.CoursePython.supported`), and what follows.

Students may work on any supported Python; the grading kernels run on the grader's own
interpreter (kernels are started from its folder: `course.interpreter_on_path`), which must be
one of them (`check_grading_python`). Code a newer supported Python accepts can fail to parse on
an older grading Python: a nested-quote f-string (`f"{d["key"]}"`, Python 3.12, PEP 701), a
`type X = ...` alias (3.12), an `except*` (3.11). `newer_syntax(nb, course_python)` finds the
cells that do not parse on the grading Python but do on a newer supported one, compiling each
(never running it) with that Python found on the grading machine, and notes them
(`newer_python`), so the student and the instructor hear why those cells failed.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

from IPython.core.inputtransformer2 import TransformerManager
from traitlets import Dict, List, Unicode
from traitlets.config import Configurable

from autograder.grade.record.notes import Note

COMPILE = "import sys; compile(sys.stdin.read(), '<cell>', 'exec')"


class CoursePython(Configurable):
    """Which Python versions the course supports ("3.10", ...), and where the grader finds them."""

    supported = List(Unicode(), ["3.10", "3.11", "3.12", "3.13"], help=(
        "The Python versions students may use (major.minor). The grader must run on one of them; "
        "a cell only a newer one parses is named in the feedback.")).tag(config=True)
    interpreters = Dict(Unicode(), {}, help=(
        "version -> path of that Python on the grading machine, where `pythonX.Y` on PATH or "
        "pyenv's does not find it; used only to compile (never run) a student's cell.")).tag(config=True)


def version_of(info=sys.version_info) -> str:
    return f"{info[0]}.{info[1]}"


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def check_grading_python(course_python: CoursePython, executable: str = sys.executable) -> str:
    """The grading kernels' Python version; SystemExit in words if the course does not support it."""
    version = version_of()
    if version not in course_python.supported:
        raise SystemExit(f"The grader runs on Python {version} ({executable}), which this course does not "
                         f"support (c.CoursePython.supported = {course_python.supported} in nbgrader_config.py): "
                         "grade with one of those, e.g. `make PYTHON=/path/to/python3.12 ...`.")
    return version


def interpreter(version: str, course_python: CoursePython) -> str | None:
    """A Python `version` on this machine: configured, pyenv's, or `pythonX.Y` on PATH (not a
    pyenv shim, which answers only for the version pyenv has selected); None if none."""
    if version in course_python.interpreters:
        return course_python.interpreters[version]
    pyenv = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates = sorted(glob.glob(f"{pyenv}/versions/{version}.*/bin/python{version}"))
    if candidates:
        return candidates[-1]
    found = shutil.which(f"python{version}")
    return found if found and "/shims/" not in found else None


def parses(code: str, python: str | None = None) -> bool:
    """Whether `code` compiles on this Python (None) or the interpreter at `python` (10 s at most)."""
    if python is None:
        try:
            compile(code, "<cell>", "exec")
        except (SyntaxError, ValueError):
            return False
        return True
    try:
        done = subprocess.run([python, "-I", "-c", COMPILE], input=code.encode(), capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def newer_syntax(nb, course_python: CoursePython) -> list[Note]:
    """A `newer_python` note for each code cell of `nb` that the grading Python cannot parse and
    the oldest newer supported Python can (cell: grade id, or 1-based number)."""
    here = version_of()
    newer = [v for v in sorted(course_python.supported, key=_key) if _key(v) > _key(here)]
    notes = []
    for number, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code" or not newer:
            continue
        try:
            code = TransformerManager().transform_cell(cell.source)
        except Exception:  # IPython could not read it either: a plain syntax error, the student's own
            continue
        if parses(code):
            continue
        accepting = next((v for v in newer if (python := interpreter(v, course_python)) and parses(code, python)), None)
        if accepting:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            notes.append(Note("newer_python", gid or str(number), {"grading": here, "accepts": accepting}))
    return notes
