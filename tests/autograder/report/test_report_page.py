"""The report's page and CSV quote student values as text, and link each student to their feedback."""
from __future__ import annotations

import csv

from autograder.report import page, write_similarity_csv
from autograder.report.misconceptions import questions
from autograder.report.similarity import Pair
from tests.autograder.feedback.hostile import inert_problems

from .test_misconceptions import MAXIMA, ORDER

HOSTILE = "<img src=x onerror=alert(1)>"


def test_student_ids_and_mistakes_are_quoted_as_text_and_linked_to_their_feedback():
    table = {HOSTILE: {"sigmoid": (0.0, 2.0)}, "ann": {"sigmoid": (0.0, 2.0)}}
    found = questions(table, ORDER, MAXIMA, set(), {HOSTILE: {"sigmoid": [HOSTILE]}})
    markup = page.document("a1", [page.worst(found), page.misconceptions(found, "a1")])
    assert inert_problems(markup) == []
    assert "href='../feedback/ann/a1/a1.html'" in markup
    assert "href='../feedback/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E/a1/a1.html'" in markup
    assert "no likely mistake named: <strong>1</strong>" in markup


def test_matching_code_is_shown_as_text_with_matched_lines_marked():
    codes = {"a": "x = '<script>alert(1)</script>'\ny = 2", "b": "z = 1\nw = '<script>'"}
    pair = Pair("a", "b", (0.9, 0.8), ([(1, 1)], [(2, 2)]))
    markup = page.similarity([pair], [["a", "b"]], codes, "a1/similarity.csv", "a1")
    assert inert_problems(markup) == []
    assert "<mark>x = &#x27;&lt;script&gt;" in markup and "<mark>w = " in markup


def test_a_student_id_that_starts_like_a_formula_is_not_a_formula_in_the_csv(tmp_path):
    path = tmp_path / "similarity.csv"
    write_similarity_csv(path, [Pair("=HYPERLINK(\"x\")", "bob", (0.7, 0.6), ([(1, 3)], [(2, 4)]))],
                         [["=HYPERLINK(\"x\")", "bob"]])
    rows = list(csv.DictReader(path.open()))
    assert rows[0]["student_a"] == "'=HYPERLINK(\"x\")" and rows[0]["lines_b"] == "2-4"
