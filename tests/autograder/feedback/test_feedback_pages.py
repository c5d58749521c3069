"""autograder.feedback.main: what to fix first, nothing that runs, no hidden test, every page written."""
from __future__ import annotations

import contextlib
import html
import io
import re

import pytest

from autograder import feedback
from autograder.feedback import NOT_WRITTEN

from .hostile import HIDDEN_VALUE, PAYLOADS, course, inert_problems


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """(student -> page, what main wrote to stderr), the gradebook's scores stood in for."""
    root = tmp_path_factory.mktemp("course")
    scores = course(root)
    err = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(err):
        patch.setattr(feedback, "notebook_grades", lambda assignment, root: scores)
        written = feedback.main(assignment="a1", root=root)
    return {p.parts[-3]: p.read_text() for p in written}, err.getvalue()


def text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def summary(page: str) -> str:
    return page[page.index("<section class='summary"):page.index("<main>")]


def test_every_student_gets_a_page_whatever_another_one_holds(pages):
    found, _ = pages
    assert sorted(found) == ["alice", "bob", "carol", "dave", "erin"]


def test_a_page_that_cannot_be_written_says_so_and_the_instructor_is_told(pages):
    found, err = pages
    assert NOT_WRITTEN in text(found["dave"]) and "Your score" not in text(found["dave"])  # it is in the gradebook
    assert "dave/a1/a1: page not written" in err
    assert "could not be opened as a notebook" in text(found["erin"])


def test_a_student_comment_quoting_the_hidden_test_marker_costs_nobody_their_page(pages):
    found, _ = pages
    assert "Your score: 3 / 6" in text(found["carol"]) and "BEGIN HIDDEN TESTS" not in found["carol"]


def test_the_page_opens_with_the_lost_cell_its_points_its_check_and_the_graders_message(pages):
    top = text(summary(pages[0]["bob"]))
    assert "Your score: 1 / 6" in top
    assert re.search(r"f doubles\s*:\s*2 points lost\s+of 2", top)
    assert "Check that f doubles its input." in top
    assert "likely mistake: adds instead of doubling" in top
    assert "f accepts lists" not in top  # it earned its point


def test_each_lost_cell_links_to_the_cell_on_the_page(pages):
    page = pages[0]["bob"]
    links = re.findall(r"href='#([^']+)'", summary(page))
    assert links and all(f"id='{target}'" in page for target in links)


def test_written_answers_not_marked_are_waiting_not_lost(pages):
    top = text(summary(pages[0]["alice"]))
    assert "Waiting for a grader" in top and re.search(r"why\s+\(3 points\)", top) and "What to fix" not in top


def test_about_your_grade_notes_are_in_the_summary_and_quoted_as_text(pages):
    top = summary(pages[0]["bob"])
    assert "About your grade" in top and "&lt;img src=x onerror" in top


def test_no_hidden_test_source_or_expected_value_reaches_a_page(pages):
    for student, page in pages[0].items():
        assert HIDDEN_VALUE not in page and "HIDDEN TESTS" not in page, student


@pytest.mark.parametrize("student", ["alice", "bob", "carol"])
def test_no_payload_kind_survives_as_markup_that_runs(pages, student):
    page = pages[0][student]
    assert inert_problems(page) == []
    assert "pwned-js" not in page  # a JavaScript output is not even shown as text
    assert len(PAYLOADS) >= 9


def test_formulas_are_mathml_not_raw_tex(pages):
    page = pages[0]["alice"]
    first = page[page.index("<main>"):page.index("<main>") + 3000]
    assert "<math" in first and "$" not in text(first)
