"""Graded for real, every assignment: editor noise earns full marks, we never score below stock
nbgrader without a reason, and every submission ends with a grade, a feedback page and the report.

In one course copy per assignment, graded in one batch: samples (`samples/<assignment>.py`: the
reference, the untouched release, every correct variant and PROPERTY_MISTAKES of the typical
mistakes, evenly spread; "all" for every one), a few generated noisy perfect submissions
(`editors.drawn`: the field cases' kinds, CRLF and `!pip install` atop a solution, a jupytext
round trip, plus drawn edits), and notebooks placed by hand under other names (renamed, an
extra copy beside the right one, another assignment's notebook). Stock `nbgrader autograde`
(with the same Judge, as nbgrader_config.py sets it up) grades them, then `python -m autograder
grade`; every grade cell is compared. PROPERTY_ASSIGNMENTS (a list; every assignment by
default) chooses which assignments are graded. Every sample is graded by our grader, with its
expected score, in tests/assignments; here the mistakes are few to keep `make test` within
CI's time (the answer key runs each kept mistake once more, stock and ours each grade it).
"""
from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys

import pytest

from autograder import feedback, report
from autograder.reasons import for_instructor
from autograder.report.page import feedback_link
from autograder.course import ROOT, available, interpreter_on_path
from autograder.grade import batch, pythons
from autograder.grade.record.scoring import quiet_sqlalchemy
from autograder.grade.record.notes import SEVERITY
from autograder.grade.record.outcomes import load_outcomes
from autograder.samples import build_submission, load_samples
from autograder.scores import cell_scores
from tests.properties import editors
from tests.properties.editors import Edit, Form
from tests.properties.course import keep_samples, perfect, released_course, submit
from tests.properties.intake_verdict import TRUE_OF_NOISE

pytestmark = pytest.mark.notebook
_asked = os.environ.get("PROPERTY_ASSIGNMENTS", "all")
CHOSEN = [a for a in (",".join(available()) if _asked == "all" else _asked).split(",") if a]
_mistakes = os.environ.get("PROPERTY_MISTAKES", "3")
# The kinds the field cases reported, in every graded noisy example; more edits are drawn.
NOISY = {
    "noisy-windows": (editors.drawn(1, always=[Edit("crlf"), Edit("shell", 0, 0), Edit("magic", 1, 1)]), Form(bom=True)),
    "noisy-jupytext": (editors.drawn(2, always=[Edit("shell", 3, 1)]), Form(jupytext="py:percent", minor=4)),
    "noisy-vscode-2020": (editors.drawn(3, always=[Edit("drop_metadata"), Edit("ids", 0, 1), Edit("crlf")]),
                          Form(minor=2, ids="drop", indent=None)),
}


NOT_A_NOTEBOOK = "script-not-notebook"
# Placed by hand in submitted/ (collect names every notebook it places after the assignment):
# student -> {file name: what it holds}, the name `{a}` standing for the assignment, `{other}` for another.
BY_HAND = {
    "renamed-by-hand": {"Copy of {a}.ipynb": "perfect"},
    "extra-copy-beside": {"{a}.ipynb": "perfect", "{a} (1).ipynb": "release"},
    "other-assignments-notebook": {"{other}.ipynb": "other release"},
}
NEWER_SYNTAX = "newer-python-f-string"  # field case: a nested-quote f-string (Python 3.12) atop a solution


def kept_samples(assignment: str) -> list:
    """The correct variants, and PROPERTY_MISTAKES of the mistakes, evenly spread (all: every one)."""
    samples = load_samples(assignment)[2:]  # reference and untouched come with every course
    mistakes = [s for s in samples if s.loses]
    if _mistakes != "all" and mistakes:
        step = max(len(mistakes) / max(int(_mistakes), 1), 1)
        mistakes = [mistakes[int(i * step)] for i in range(min(int(_mistakes), len(mistakes)))]
    return [s for s in samples if not s.loses or s in mistakes]


@pytest.fixture(scope="module", params=CHOSEN)
def graded(request, tmp_path_factory):
    """(root, assignment, stock scores, our scores, our batch's Summary): both graders over the same
    submissions; ours also over BY_HAND's and a script handed in as the notebook."""
    import nbformat

    assignment = request.param
    root = released_course(tmp_path_factory.mktemp(assignment), assignments=[assignment])
    keep_samples(root, assignment, kept_samples(assignment))
    quiet_sqlalchemy()
    # The answer key, in parallel on the workers (stock nbgrader would run it one notebook at a time).
    batch.grade_batch(assignment, root, workers=2, progress=False)
    name = f"{assignment}.ipynb"
    source = nbformat.read(root / "source" / assignment / name, as_version=4)
    release = nbformat.read(root / "release" / assignment / name, as_version=4)
    for sample in load_samples(assignment, root):
        submit(root, sample.student, assignment, nbformat.writes(build_submission(source, release, sample)).encode())
    clean = perfect(root, assignment)
    for student, (edits, form) in NOISY.items():
        submit(root, student, assignment, editors.save(editors.apply(clean, edits), form))
    first = next(c for c in clean["cells"] if c["metadata"].get("nbgrader", {}).get("solution"))
    first["source"] = 'print(f"{"solved"}")\n' + "".join(first["source"])
    submit(root, NEWER_SYNTAX, assignment, editors.save(clean))
    # Stock exits 1 when it could not read some submission (a byte-order mark): those get no score from it.
    interpreter_on_path()
    subprocess.run([sys.executable, "-m", "nbgrader", "autograde", assignment, "--force", "--log-level=CRITICAL"],
                   cwd=root, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stock = cell_scores(assignment, root)
    # A script handed in under the notebook's name (collect converts jupytext scripts; this one
    # came another way): stock nbgrader stops at it, so it joins only for ours.
    submit(root, NOT_A_NOTEBOOK, assignment, b"# %%\nimport numpy as np\n")
    place_by_hand(root, assignment)
    summary = batch.grade_batch(assignment, root, force=True, workers=2, progress=False)
    return root, assignment, stock, cell_scores(assignment, root), summary


def place_by_hand(root, assignment: str) -> None:
    """BY_HAND's files, in submitted/ as an instructor might have put them (another assignment's
    release copied in, so that its notebook is recognised as that assignment's)."""
    other = next(a for a in available() if a != assignment)
    shutil.copytree(ROOT / "release" / other, root / "release" / other)
    holds = {"perfect": editors.save(perfect(root, assignment)),
             "release": (root / "release" / assignment / f"{assignment}.ipynb").read_bytes(),
             "other release": (root / "release" / other / f"{other}.ipynb").read_bytes()}
    for student, files in BY_HAND.items():
        for name, what in files.items():
            path = root / "submitted" / student / assignment / name.format(a=assignment, other=other)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(holds[what])


def test_editor_noise_earns_full_marks_and_claims_nothing(graded):
    root, assignment, _stock, ours, _summary = graded
    outcomes = load_outcomes(root, assignment)
    for student in NOISY:
        lost = {q: s for q, s in ours[student].items() if s.score < s.max_score}
        assert lost == {}, (student, lost)
        kinds = {n["kind"] for n in outcomes[f"{student}/{assignment}"]["notes"]}
        assert kinds <= TRUE_OF_NOISE, (student, kinds)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the grading Python parses PEP 701 f-strings itself")
def test_syntax_of_a_newer_supported_python_is_named_to_the_student_and_the_instructor(graded):
    root, assignment, _stock, _ours, _summary = graded
    notes = load_outcomes(root, assignment)[f"{NEWER_SYNTAX}/{assignment}"]["notes"]
    if not pythons.interpreter("3.12", pythons.CoursePython()):
        pytest.skip("no Python 3.12 on this machine to compile with")
    assert [n["detail"]["accepts"] for n in notes if n["kind"] == "newer_python"] == ["3.12"]
    page = (root / "feedback" / NEWER_SYNTAX / assignment / f"{assignment}.html")
    feedback.main(assignment=assignment, root=root)
    assert "Python 3.12 accepts" in page.read_text()
    assert "3.12" in report.main(assignment=assignment, root=root).read_text()


def test_never_below_stock_nbgrader_without_a_reason(graded):
    root, assignment, stock, ours, _summary = graded
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
    root, assignment, _stock, ours, _summary = graded
    students = {p.parent.parent.name for p in (root / "submitted").glob(f"*/{assignment}/*.ipynb")}
    outcomes = load_outcomes(root, assignment)
    pages = feedback.main(assignment=assignment, root=root)
    page = report.main(assignment=assignment, root=root).read_text()
    assert {f"{s}/{assignment}" for s in students} <= set(outcomes)
    assert students <= set(ours)  # a score on every grade cell, in the gradebook
    assert {p.parent.parent.name for p in pages} >= students
    for student in students:
        assert f"{feedback_link(student, assignment, assignment)}</td>" in page, student  # every one a line
        outcome = outcomes[f"{student}/{assignment}"]
        if outcome["status"] != "graded" or any(SEVERITY[n["kind"]] != "repair" for n in outcome["notes"]):
            assert f"<td>{student}</td>" in page, student  # and among the flagged, with why
    assert load_outcomes(root, assignment)[f"{NOT_A_NOTEBOOK}/{assignment}"]["status"] == "invalid"
    assert "could not be opened as a notebook" in (root / "feedback" / NOT_A_NOTEBOOK / assignment / f"{assignment}.html").read_text()
    assert f"{len(students)} students graded" in page


def test_notebooks_placed_by_hand_are_graded_by_content_or_listed_with_why(graded):
    root, assignment, _stock, ours, summary = graded
    other = next(a for a in available() if a != assignment)
    outcomes = load_outcomes(root, assignment)
    feedback.main(assignment=assignment, root=root)
    page = report.main(assignment=assignment, root=root).read_text()
    said = {(student, note.detail["file"]): (note.detail["why"], for_instructor(note)) for student, note in summary.not_graded}
    # The only notebook, renamed: graded as the assignment's, under its name, and said so.
    assert [p.name for p in (root / "submitted" / "renamed-by-hand" / assignment).iterdir()] == [f"{assignment}.ipynb"]
    assert all(s.score == s.max_score for s in ours["renamed-by-hand"].values())
    renamed = [n for n in outcomes[f"renamed-by-hand/{assignment}"]["notes"] if n["kind"] == "renamed"]
    assert [n["detail"]["file"] for n in renamed] == [f"Copy of {assignment}.ipynb"]
    # An extra copy beside the right one: the right one graded, the copy listed.
    assert all(s.score == s.max_score for s in ours["extra-copy-beside"].values())
    assert said[("extra-copy-beside", f"{assignment} (1).ipynb")][0] == "extra_copy"
    # Another assignment's notebook: not graded here, 0, and why, wherever this student is named.
    assert said[("other-assignments-notebook", f"{other}.ipynb")][0] == "other_assignment"
    assert outcomes[f"other-assignments-notebook/{assignment}"]["status"] == "invalid"
    for student, file in [("renamed-by-hand", f"Copy of {assignment}.ipynb"), ("extra-copy-beside", f"{assignment} (1).ipynb"),
                          ("other-assignments-notebook", f"{other}.ipynb")]:
        assert html.escape(file) in page, file
        assert html.escape(file) in (root / "feedback" / student / assignment / f"{assignment}.html").read_text(), file
    assert all(file in words for (_, file), (_, words) in said.items())
