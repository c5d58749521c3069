"""AboutYourGrade: the feedback opens with the student's reasons, and only when there are some."""
from __future__ import annotations

import json

from nbformat.v4 import new_code_cell, new_notebook
from traitlets.config import Config

from autograder.feedback.preprocessors import AboutYourGrade
from autograder.feedback.preprocessors.about_your_grade import NOTHING_PASSED
from autograder.grade.record.notes import Note


def run(root, *, score=3.0, outcomes=None):
    if outcomes is not None:
        (root / "reports" / "a1").mkdir(parents=True)
        (root / "reports" / "a1" / "outcomes.json").write_text(json.dumps(outcomes))
    config = Config()
    config.CourseDirectory.root = str(root)
    resources = {"nbgrader": {"student": "s1", "assignment": "a1", "notebook": "a1", "score": score, "max_score": 3.0}}
    nb, _ = AboutYourGrade(config=config).preprocess(new_notebook(cells=[new_code_cell("x = 1")]), resources)
    return nb.cells


def test_the_students_reasons_open_the_feedback(tmp_path):
    stopped = Note("execution", detail={"status": "time limit", "message": "600 s"}).to_dict()
    cells = run(tmp_path, outcomes={"s1/a1": {"notes": [stopped]}})
    assert cells[0].cell_type == "markdown"
    assert cells[0].source.startswith("## About your grade") and "ran too long" in cells[0].source


def test_no_reasons_and_points_earned_add_nothing(tmp_path):
    cut = Note("output_cut", detail={"bytes": 2**22}).to_dict()
    review = Note("review", "3", {"does": "imports", "what": "ctypes"}).to_dict()  # nothing a student is told
    assert len(run(tmp_path, outcomes={"s1/a1": {"notes": [review]}, "s2/a1": {"notes": [cut]}})) == 1


def test_a_zero_with_no_recorded_reason_says_where_to_look(tmp_path):
    assert NOTHING_PASSED in run(tmp_path, score=0.0)[0].source
