"""Feedback opens with "About your grade" when the grading process, not the code, cost points."""
from __future__ import annotations

import html
import json
import os
from pathlib import Path

from nbformat.v4 import new_markdown_cell
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.reasons import for_student

HEADING = "## About your grade"
NOTHING_PASSED = ("No test in your notebook passed. Each test cell below shows the error it met; the "
                  "first one often explains the others (for example a function still raising "
                  "NotImplementedError, or a cell above it that failed).")


def notes_for(root: Path, assignment: str, student: str, notebook: str) -> list[str]:
    """What to tell this student of what `grade` recorded (reports/<assignment>/outcomes.json), or []."""
    try:
        outcomes = json.loads((Path(root) / "reports" / assignment / "outcomes.json").read_text())
    except (OSError, ValueError):
        return []
    return for_student(outcomes.get(f"{student}/{notebook}", {}).get("notes", []))


def about_your_grade(notes: list[str]) -> str:
    """The note's Markdown: a heading and one bullet per reason, each escaped.

    A reason may quote something of the submission (a grade id its metadata claimed): as
    Markdown it would go into nbgrader's page as raw HTML.
    """
    return "\n".join([HEADING, "", *(f"- {html.escape(note)}" for note in notes)])


class AboutYourGrade(NbGraderPreprocessor):
    """Put a Markdown cell with the student's reasons (`reasons.for_student` of the outcome's notes) at the top.

    Run after GetGrades: a notebook that scored 0 with no reason recorded gets a note too.

    The reasons come from reports/<assignment>/outcomes.json under the course folder (the
    `CourseDirectory.root` of the config, else the folder nbgrader runs in). Nothing is added
    when there is nothing to say.
    """

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader", {})
        root = self.config.get("CourseDirectory", {}).get("root") or os.getcwd()
        notes = notes_for(Path(root), info.get("assignment", ""), info.get("student", ""), info.get("notebook", ""))
        if not notes and info.get("score") == 0 and info.get("max_score"):  # set by GetGrades
            notes = [NOTHING_PASSED]
        if notes:
            nb.cells.insert(0, new_markdown_cell(about_your_grade(notes)))
        return nb, resources
