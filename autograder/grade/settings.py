"""What grading takes from the course's nbgrader_config.py: nbgrader's view of one submission,
the sandbox's limits, and the executor's settings a worker needs, as plain data."""
from __future__ import annotations

import json
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from autograder.grade.sandbox import box


def coursedir_for(root: Path, config: Config, assignment: str, student: str = "*",
                  notebook: str = "*") -> CourseDirectory:
    """nbgrader's CourseDirectory of the course at `root`, narrowed to one assignment (and student, notebook)."""
    coursedir = CourseDirectory(config=config)
    coursedir.root = str(root)
    coursedir.assignment_id = assignment
    coursedir.student_id = student
    coursedir.notebook_id = notebook
    return coursedir


def limits_from(config: Config, **overrides) -> box.Limits:
    """The sandbox limits: the defaults, the cell time limit of `Execute.timeout`, then `overrides`."""
    limits = box.Limits()
    timeout = config.get("Execute", {}).get("timeout")
    if isinstance(timeout, (int, float)) and timeout > 0:
        limits.cell_timeout = float(timeout)
    for name, value in overrides.items():
        if value is not None:
            setattr(limits, name, value)
    return limits


def config_dict(config: Config) -> dict:
    """The part of the config a worker needs to execute (Execute's settings), as plain data."""
    return json.loads(json.dumps({"Execute": dict(config.get("Execute", {})),
                                  "NotebookClient": dict(config.get("NotebookClient", {}))},
                                 default=str))
