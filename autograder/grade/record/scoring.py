"""Scoring a student's executed notebooks with nbgrader's own Autograde converter, in the one
process that writes the gradebook.

The converter runs the outputs a sandboxed worker produced (`Replay`, where stock nbgrader runs
Execute) through the course's one list of scoring steps (`SCORING`), with `Judge` given the
answer keys; it writes autograded/ and the gradebook exactly as `nbgrader autograde` does.
"""
from __future__ import annotations

import warnings
from pathlib import Path

from nbgrader.converters import Autograde
from traitlets.config import Config

from autograder.grade.intake import read as intake
from autograder.grade.intake.prepare import SANITIZE, quiet
from autograder.grade.preprocessors import SCORING, Judge, Replay, UsePrepared
from autograder.grade.settings import coursedir_for


def quiet_sqlalchemy() -> None:
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)  # about nbgrader's own session use


def score(root: Path, config: Config, assignment: str, student: str, notebooks: list[str],
          executed: dict, keys: dict, verdicts: dict, every_notebook: bool, prepared: dict | None = None) -> None:
    """Score one student's executed notebooks (`executed`: (student, notebook) -> notebook).

    `prepared` holds intake's result for each notebook; the converter then takes it instead of
    running the same sanitizing steps on the same file again. `verdicts` receives each
    notebook's `NotebookVerdict`.
    """
    selections = ["*"] if every_notebook else notebooks
    for notebook in selections:
        converter = Autograde(coursedir=coursedir_for(root, config, assignment, student, notebook), config=config)
        converter.force = True
        converter.exporter_class = intake.LenientExporter  # reads what intake read, as intake read it
        # Set on the converter, not through the config, which would copy the two instances.
        converter.sanitize_preprocessors = [UsePrepared(prepared=prepared)] if prepared else SANITIZE
        converter.autograde_preprocessors = [Replay(executed=executed, course_root=str(root)), *(
            Judge(keys=keys, verdicts=verdicts) if step is Judge else step for step in SCORING)]
        with quiet():
            converter.start()
