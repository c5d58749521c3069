"""The report's page and CSV quote student values as text, link each student to their feedback, and
give every submission a line."""
from __future__ import annotations

import csv

from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.report import flags, page, write_similarity_csv
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


OUTCOMES = st.dictionaries(
    st.sampled_from(["ann", "bob", HOSTILE, "王力"]),
    st.tuples(st.sampled_from(["graded", "invalid", "failed"]),
              st.lists(st.sampled_from(["format_repair", "not_graded", "renamed", "no_notebook", "review"]), max_size=2)))


@settings(max_examples=40, deadline=None, derandomize=True)
@given(recorded=OUTCOMES, scored_only=st.sets(st.sampled_from(["cat", "dan", "ann"])))
def test_every_submission_has_one_line_in_the_report_with_its_score_and_standing(recorded, scored_only):
    outcomes = {f"{s}/a1": {"student": s, "notebook": "a1", "status": status,
                            "notes": [{"kind": k, "cell": "", "detail": {}} for k in kinds]}
                for s, (status, kinds) in recorded.items()}
    totals = {s: 1.5 for s in scored_only} | {s: 0.0 for s, (status, _) in recorded.items() if status != "graded"}
    markup = page.every_submission(flags.every(outcomes, totals), "a1", 3)
    assert inert_problems(page.document("a1", [markup])) == []
    students = set(recorded) | scored_only
    assert f"Every submission ({len(students)})" in markup
    for student in students:
        assert markup.count(f"{page.feedback_link(student, 'a1', 'a1')}</td>") == 1, student
    for student, (status, kinds) in recorded.items():
        mark = ("flagged" if {"not_graded", "no_notebook", "review"} & set(kinds) else
                "repaired" if kinds else "")
        assert flags.standing(outcomes[f"{student}/a1"]) == (status, mark)
    assert markup.count("1.5 / 3") == len(scored_only - set(recorded)) + sum(
        1 for s in scored_only & set(recorded) if recorded[s][0] == "graded")
