"""The field cases (notebooks/field-cases/, from ../shared/field-cases/) and the perfect submission as each editor saves it,
graded in a scratch copy of the course: the scores their code earns, the reasons in report and feedback."""
from __future__ import annotations

import json

import pytest
from nbgrader.api import Gradebook

from autograder import feedback, report
from autograder.grade import batch

from tests.autograder.editor_formats import EDITORS
from tests.autograder.full_course import ASSIGNMENT, FIELD_CASES, course

pytestmark = pytest.mark.notebook
FULL = 17
FIELD = {
    # student: (file, report phrase, feedback phrase), each must score 17/17
    "perfect": ("perfect_reference.ipynb", None, None),
    "vscode-dropped": ("vscode_all_cell_metadata_dropped.ipynb", "recovered by their cell ids",
                       "recognised them by their cell ids"),
    "deleted-test": ("grade_cell_deleted.ipynb", "softmax_is_stable_for_large_logits was deleted; restored",
                     "The read-only cell <code>softmax_is_stable_for_large_logits</code> was missing"),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = course(tmp_path_factory.mktemp("course"), release=True)
    # As shared: saved from a release before today's, whose test cells' texts the release history holds.
    perfect = json.loads((FIELD_CASES / "perfect_reference.ipynb").read_bytes())
    students = {}
    for student, (name, *_phrases) in FIELD.items():
        students[student] = (FIELD_CASES / name).read_bytes()
    for editor, save in EDITORS.items():
        students[f"saved-by-{editor}"] = save(perfect)
    for student, data in students.items():
        path = root / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
    summary = batch.grade_batch(ASSIGNMENT, root, workers=2, progress=False)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "nn-from-scratch") as gb:
        scores = {s: gb.find_submission(ASSIGNMENT, s).score for s in students}
    return root, scores, summary


def test_field_cases_score_what_their_code_earns(graded):
    _root, scores, summary = graded
    assert {s: scores[s] for s in FIELD} == {s: FULL for s in FIELD}
    assert summary.failed == 0


@pytest.mark.parametrize("editor", sorted(EDITORS))
def test_the_perfect_submission_saved_by_each_editor_earns_full_marks(graded, editor):
    assert graded[1][f"saved-by-{editor}"] == FULL


def test_recovered_and_restored_cells_are_in_the_report_and_the_students_feedback(graded):
    root = graded[0]
    page = report.main(assignment=ASSIGNMENT, root=root).read_text()
    feedback.main(assignment=ASSIGNMENT, root=root)
    for student, (_name, flag, told) in FIELD.items():
        html = (root / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
        if flag:
            assert flag in page and told in html, student
        assert "from an earlier release" in html, student  # saved from a release before today's
    assert "was edited" not in page
    assert "recovered by the text of read-only cells" in page  # VS Code 2020: no ids either
