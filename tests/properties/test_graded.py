"""Graded for real, every assignment: editor noise earns full marks, we never score below stock
nbgrader without a reason, and every submission ends with a grade, a feedback page and the report.

In one course copy, per assignment: the samples (`samples/<assignment>.py`: the reference,
the untouched release, each typical mistake) and a few generated noisy perfect submissions
(`editors.drawn`: the field cases' kinds, CRLF and `!pip install` atop a solution, a jupytext
round trip, plus drawn edits). Stock `nbgrader autograde` (with the same Judge, as
nbgrader_config.py sets it up) grades them, then `python -m autograder grade`; every grade cell
is compared. PROPERTY_ASSIGNMENTS=all (or a list) chooses which assignments are graded.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from autograder import feedback, report
from autograder.course import available, interpreter_on_path
from autograder.grade import batch, pythons
from autograder.grade.record.scoring import quiet_sqlalchemy
from autograder.grade.judge import key
from autograder.grade.record.notes import SEVERITY
from autograder.grade.record.outcomes import load_outcomes
from autograder.samples import build_submission, load_samples
from autograder.scores import cell_scores
from tests.properties import editors
from tests.properties.editors import Edit, Form
from tests.properties.course import perfect, released_course, submit
from tests.properties.intake_verdict import TRUE_OF_NOISE

pytestmark = pytest.mark.notebook
# By default the assignments this was last seen passing on (2026-12-07); PROPERTY_ASSIGNMENTS=all
# grades every assignment found (gradient_checking, optimizers and mnist_mlp not yet run through it).
VERIFIED = "forward_propagation,backpropagation"
_asked = os.environ.get("PROPERTY_ASSIGNMENTS", VERIFIED)
CHOSEN = [a for a in (",".join(available()) if _asked == "all" else _asked).split(",") if a]
# The kinds the field cases reported, in every graded noisy example; more edits are drawn.
NOISY = {
    "noisy-windows": (editors.drawn(1, always=[Edit("crlf"), Edit("shell", 0, 0), Edit("magic", 1, 1)]), Form(bom=True)),
    "noisy-jupytext": (editors.drawn(2, always=[Edit("shell", 3, 1)]), Form(jupytext="py:percent", minor=4)),
    "noisy-vscode-2020": (editors.drawn(3, always=[Edit("drop_metadata"), Edit("ids", 0, 1), Edit("crlf")]),
                          Form(minor=2, ids="drop", indent=None)),
}


NOT_A_NOTEBOOK = "script-not-notebook"
NEWER_SYNTAX = "newer-python-f-string"  # field case: a nested-quote f-string (Python 3.12) atop a solution


@pytest.fixture(scope="module", params=CHOSEN)
def graded(request, tmp_path_factory):
    """(root, assignment, stock scores, our scores): both graders over the same submissions."""
    import nbformat

    assignment = request.param
    root = released_course(tmp_path_factory.mktemp(assignment), assignments=[assignment])
    name = f"{assignment}.ipynb"
    source = nbformat.read(root / "source" / assignment / name, as_version=4)
    release = nbformat.read(root / "release" / assignment / name, as_version=4)
    for sample in load_samples(assignment):
        submit(root, sample.student, assignment, nbformat.writes(build_submission(source, release, sample)).encode())
    clean = perfect(root, assignment)
    for student, (edits, form) in NOISY.items():
        submit(root, student, assignment, editors.save(editors.apply(clean, edits), form))
    first = next(c for c in clean["cells"] if c["metadata"].get("nbgrader", {}).get("solution"))
    first["source"] = 'print(f"{"solved"}")\n' + "".join(first["source"])
    submit(root, NEWER_SYNTAX, assignment, editors.save(clean))
    quiet_sqlalchemy()
    key.compute_locally(root, assignment, assignment)  # once, for both graders
    # Stock exits 1 when it could not read some submission (a byte-order mark): those get no score from it.
    interpreter_on_path()
    subprocess.run([sys.executable, "-m", "nbgrader", "autograde", assignment, "--force", "--log-level=CRITICAL"],
                   cwd=root, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stock = cell_scores(assignment, root)
    # A script handed in under the notebook's name (collect converts jupytext scripts; this one
    # came another way): stock nbgrader stops at it, so it joins only for ours.
    submit(root, NOT_A_NOTEBOOK, assignment, b"# %%\nimport numpy as np\n")
    batch.grade_batch(assignment, root, force=True, workers=2, progress=False)
    return root, assignment, stock, cell_scores(assignment, root)


def test_editor_noise_earns_full_marks_and_claims_nothing(graded):
    root, assignment, _stock, ours = graded
    outcomes = load_outcomes(root, assignment)
    for student in NOISY:
        lost = {q: s for q, s in ours[student].items() if s.score < s.max_score}
        assert lost == {}, (student, lost)
        kinds = {n["kind"] for n in outcomes[f"{student}/{assignment}"]["notes"]}
        assert kinds <= TRUE_OF_NOISE, (student, kinds)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the grading Python parses PEP 701 f-strings itself")
def test_syntax_of_a_newer_supported_python_is_named_to_the_student_and_the_instructor(graded):
    root, assignment, _stock, _ours = graded
    notes = load_outcomes(root, assignment)[f"{NEWER_SYNTAX}/{assignment}"]["notes"]
    if not pythons.interpreter("3.12", pythons.CoursePython()):
        pytest.skip("no Python 3.12 on this machine to compile with")
    assert [n["detail"]["accepts"] for n in notes if n["kind"] == "newer_python"] == ["3.12"]
    page = (root / "feedback" / NEWER_SYNTAX / assignment / f"{assignment}.html")
    feedback.main(assignment=assignment, root=root)
    assert "Python 3.12 accepts" in page.read_text()
    assert "3.12" in report.main(assignment=assignment, root=root).read_text()


def test_never_below_stock_nbgrader_without_a_reason(graded):
    root, assignment, stock, ours = graded
    outcomes = load_outcomes(root, assignment)
    below = {}
    for student, row in stock.items():
        reasons = [n for n in outcomes.get(f"{student}/{assignment}", {}).get("notes", [])
                   if SEVERITY[n["kind"]] == "flag"]
        for cell, score in row.items():
            mine = ours.get(student, {}).get(cell)
            if (mine is None or mine.score < score.score) and not reasons:
                below[(student, cell)] = (score.score, mine and mine.score)
    assert below == {}
    assert set(ours) >= set(stock)


def test_every_submission_ends_with_a_grade_a_feedback_page_and_the_report(graded):
    root, assignment, _stock, ours = graded
    students = {p.parent.parent.name for p in (root / "submitted").glob(f"*/{assignment}/*.ipynb")}
    outcomes = load_outcomes(root, assignment)
    pages = feedback.main(assignment=assignment, root=root)
    page = report.main(assignment=assignment, root=root).read_text()
    assert {f"{s}/{assignment}" for s in students} <= set(outcomes)
    assert students <= set(ours)  # a score on every grade cell, in the gradebook
    assert {p.parent.parent.name for p in pages} >= students
    for student in students:
        outcome = outcomes[f"{student}/{assignment}"]
        if outcome["status"] != "graded" or any(SEVERITY[n["kind"]] != "repair" for n in outcome["notes"]):
            assert f"<td>{student}</td>" in page, student
    assert load_outcomes(root, assignment)[f"{NOT_A_NOTEBOOK}/{assignment}"]["status"] == "invalid"
    assert "could not be opened as a notebook" in (root / "feedback" / NOT_A_NOTEBOOK / assignment / f"{assignment}.html").read_text()
    assert f"{len(students)} students graded" in page
