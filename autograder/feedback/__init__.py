"""Write each student's feedback page: feedback/<student>/<assignment>/<notebook>.html.

Each page opens with what to fix (`page.py`), then shows the graded notebook with hidden tests
removed (`preprocessors.HideHiddenTests`) and every piece of student markup made inert
(`safe_html.py`). Pages are written one submission at a time: whatever goes wrong with one
(a damaged notebook, a bug of ours) gives that student a page saying so, is reported to the
instructor on stderr, and leaves every other student's page written.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from autograder.grade.record.outcomes import load_outcomes
from autograder.reasons import for_student
from autograder.scores import notebook_grades

from .page import feedback_page, page, sentence
from .preprocessors import HideHiddenTests
from .preprocessors.about_your_grade import NOTHING_PASSED
from .summary import grade_cells

NOT_WRITTEN = ("Your feedback page could not be written, because of a problem on the grading side. "
               "Your grade is not affected; your instructor has been told and can write it again.")
NOT_GRADED = "Your submission could not be graded, so it scored 0."


def student_notes(outcome: dict) -> list[str]:
    """What to tell this student of what grading recorded (reports/<assignment>/outcomes.json)."""
    return for_student(outcome.get("notes", []))


def _graded_page(path: Path, assignment: str, student: str, notebook: str, scores: dict, notes: list[str]) -> str:
    nb = nbformat.read(path, as_version=4)
    nb, _ = HideHiddenTests().preprocess(nb, {})
    cells = grade_cells(nb, scores)
    marked = [c for c in cells if not c.waiting]
    if not notes and marked and sum(c.score for c in marked) == 0 and sum(c.max_score for c in marked):
        notes = [NOTHING_PASSED]
    return feedback_page(f"{assignment}: {notebook} ({student})", nb, cells, scores, notes)


def _notice(assignment: str, notebook: str, student: str, notes: list[str], heading: str = "Your score: 0") -> str:
    items = "".join(f"<li>{sentence(n)}</li>" for n in notes)
    return page(f"{assignment}: {notebook} ({student})",
                f"<section class='summary'><h1>{heading}</h1><h2>About your grade</h2><ul>{items}</ul></section>")


def main(*, assignment: str, root: Path) -> list[Path]:
    """Write the feedback pages of every submission of `assignment`; returns the pages written.

    Graded submissions come from the gradebook and autograded/; a submission grading could
    not read (outcomes.json, no autograded notebook) gets a page saying why it scored 0.
    """
    root = Path(root)
    outcomes = load_outcomes(root, assignment)
    scores = notebook_grades(assignment, root)
    todo = set(scores) | {(o["student"], o["notebook"]) for o in outcomes.values()}
    pages = []
    for student, notebook in sorted(todo):
        target = root / "feedback" / student / assignment / f"{notebook}.html"
        graded = root / "autograded" / student / assignment / f"{notebook}.ipynb"
        notes = student_notes(outcomes.get(f"{student}/{notebook}", {}))
        try:
            if (student, notebook) in scores and graded.is_file():
                markup = _graded_page(graded, assignment, student, notebook, scores[(student, notebook)], notes)
            else:
                markup = _notice(assignment, notebook, student, notes or [NOT_GRADED])
        except Exception as err:  # any one submission's failure must not cost another student a page
            print(f"feedback: {student}/{assignment}/{notebook}: page not written ({type(err).__name__}: "
                  f"{str(err)[:300]}); the student's page says so", file=sys.stderr)
            markup = _notice(assignment, notebook, student, [NOT_WRITTEN], heading="Your feedback")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markup, encoding="utf-8")
        pages.append(target)
    return pages
