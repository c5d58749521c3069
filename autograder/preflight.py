"""Before a command runs: is what it needs there? If not, what is missing and the command that makes it.

Run out of order (grading an assignment never released, a report before grading), nbgrader and
SQLAlchemy end in tracebacks (`NoResultFound`, `MissingEntry`) that do not say what to do.
`require(command, root, assignment)` raises `NotReady`, a SystemExit whose message names what is
missing and the command that fixes it, so the command line exits with status 1 and no traceback.
"""
from __future__ import annotations

from pathlib import Path

from .course import OUTCOMES, course_directory, format_path, record_path, student_notebooks

CLI = "python -m autograder"


class NotReady(SystemExit):
    """A command cannot run yet; the message says why and what to run first."""


def gradebook_path(root: Path) -> Path | None:
    """The SQLite file of the course's gradebook, or None for another database."""
    url = course_directory(root).db_url
    return Path(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else None


def released(root: Path) -> set[str]:
    """The assignments the gradebook knows, i.e. that `release` has recorded; opens no new database."""
    path = gradebook_path(root)
    if path is not None and not path.is_file():
        return set()
    from .course import open_gradebook

    with open_gradebook(root) as gb:
        return {a.name for a in gb.assignments}


def require_released(root: Path, assignment: str) -> None:
    if assignment in released(root) and format_path("release", assignment, root=root).is_dir():
        return
    path = gradebook_path(root)
    missing = (f"there is no gradebook yet ({path})" if path is not None and not path.is_file()
               else "the gradebook has no record of it" if assignment not in released(root)
               else f"release/{assignment}/ is missing")
    raise NotReady(f"{assignment} has not been released: {missing}. Run `{CLI} release {assignment}` first.")


def require_collected(root: Path, assignment: str) -> None:
    if student_notebooks("submitted", assignment, root):
        return
    raise NotReady(f"nothing has been collected for {assignment}: submitted/<student>/{assignment}/ holds no "
                   f"notebooks. Run `{CLI} collect SUBMISSIONS {assignment}` first (SUBMISSIONS: a folder "
                   "or an LMS zip).")


def require_graded(root: Path, assignment: str) -> None:
    if record_path(assignment, OUTCOMES, root).is_file() or student_notebooks(
            "autograded", assignment, root):
        return
    raise NotReady(f"{assignment} has not been graded yet. Run `{CLI} grade {assignment}` first.")


def require_gradebook(root: Path) -> None:
    if released(root):
        return
    raise NotReady(f"there is nothing to export: no assignment has been released and graded. Run `{CLI} "
                   f"release ASSIGNMENT`, `{CLI} collect SUBMISSIONS ASSIGNMENT` and `{CLI} grade "
                   "ASSIGNMENT` first.")


def require_source(source: Path) -> None:
    if source.exists():
        return
    raise NotReady(f"{source} does not exist: give the folder or the zip file that holds the submissions.")


STEPS = {
    "grade": (require_released, require_collected),
    "feedback": (require_released, require_graded),
    "report": (require_released, require_graded),
    "scores": (require_released, require_graded),
}


def require(command: str, root: Path, assignment: str) -> None:
    """Raise NotReady unless `command` can run on `assignment` in the course at `root`."""
    for step in STEPS.get(command, ()):
        step(root, assignment)


def ready(command: str, root: Path, assignment: str) -> bool:
    """Whether `command` can run on `assignment` now (require would not raise)."""
    try:
        require(command, root, assignment)
    except NotReady:
        return False
    return True
