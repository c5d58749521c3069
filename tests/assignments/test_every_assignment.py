"""Tests every assignment must pass, run on every assignment found under source/.

`conftest.py` parametrizes `assignment` over `autograder.course.available()`, and `mistake` and
`variant` over each one's samples (`samples/<assignment>.py`), graded once per session in a
scratch course: a new assignment is tested end to end without a test module of its own.
`test_<assignment>.py` modules hold only what is specific to one assignment.
"""
from __future__ import annotations

import ast
import html
import json
import re

import nbformat
import numpy as np
import pytest

from autograder import cells
from autograder.course import ROOT, notebook_path
from autograder.grade.judge import key as answer_key
from autograder import report
from autograder.samples import load_samples
from autograder.scores import grade_ids
from nnkit.encoding import decode

# What a hidden test may not do in a student's kernel: compare, or hold a mistake's value.
COMPARING = re.compile(r"\b(check_close|check_keys|compare|no_warnings|assert|allclose|isclose|array_equal)\b|mistakes\s*=")


def _hidden_lines(assignment: str) -> list[str]:
    """Distinctive lines found only in the source's hidden test regions.

    Lines that also stand elsewhere (a reference solution repeated in a test) are left out:
    a student's own code may contain them.
    """
    nb = _source(assignment)
    hidden, visible, inside = set(), set(), False
    for cell in nb.cells:
        for line in cell.source.split("\n"):
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            else:
                (hidden if inside else visible).add(line.strip())
    return sorted(line for line in hidden - visible if len(line) > 25)


def _source(assignment: str):
    return nbformat.read(notebook_path("source", assignment, root=ROOT), as_version=4)


HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
HELPERS = "hidden_test_helpers"


def _hidden_regions(assignment: str) -> list[tuple[int, str, str, float]]:
    """(cell index, grade id, hidden test text, points) for each grade cell of the source notebook,
    and for each read-only cell of hidden-test helpers (0 points: it asks nothing)."""
    nb = _source(assignment)
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or cells.is_answer(cell):
            continue
        parts = HIDDEN.findall(cell.source)
        if cells.is_test(cell) or parts:
            found.append((index, cells.grade_id(cell), "\n".join(parts),
                          float(cells.role(cell).get("points", 0)) if cells.is_test(cell) else 0.0))
    return found


def _ungraded_names(assignment: str, before: int) -> set[str]:
    """Names defined by solution cells none of whose grade cells comes before cell `before`."""
    nb = _source(assignment)
    names, pending = set(), set()
    for index, cell in enumerate(nb.cells[:before]):
        if cell.cell_type == "code" and cells.is_solution(cell):
            pending |= cells.defined_names(cell.source)
        elif cells.is_grade(cell):
            pending.clear()  # graded now: a correct copy may stand in for it from here on
    names |= pending
    for cell in nb.cells[before:]:
        if cell.cell_type == "code" and cells.is_solution(cell):
            names |= cells.defined_names(cell.source)
    return names


def _float_literals(text: str) -> list[float]:
    """Non-integer float constants of `text`, except keyword arguments' values: a setting such as
    `SGD(learning_rate=0.1)` is an input, even where an answer repeats it (the rate of step 1)."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    settings = {id(k.value) for n in ast.walk(tree) if isinstance(n, ast.Call) for k in n.keywords}
    return [float(n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, float) and not float(n.value).is_integer()
            and id(n) not in settings]


def _numbers(value) -> list[float]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in _numbers(v)]
    if isinstance(value, (list, tuple)):
        return [x for v in value for x in _numbers(v)]
    try:
        return [float(x) for x in np.asarray(value, dtype=float).ravel()]
    except (TypeError, ValueError):
        return []


def test_hidden_test_helpers_are_written_once_in_one_read_only_cell(assignment):
    """Issue 12: each grade cell reads as what it checks. Helpers the hidden tests share
    live in one locked cell whose hidden part nbgrader clears and restores (never a 0-point
    grade cell, which feedback would list as "0 / 0"), or, when they hold no answer and the
    visible checks use them too, in `nnkit`; no hidden helper is defined twice."""
    regions = _hidden_regions(assignment)
    helpers = [gid for _, gid, _, points in regions if gid == HELPERS or points == 0]
    by_id = {cells.grade_id(c): c for c in _source(assignment).cells}
    assert helpers in ([], [HELPERS]), f"hidden helpers in {helpers}, not one cell named {HELPERS}"
    if helpers:
        assert cells.is_read_only(by_id[HELPERS])
    defined: dict[str, list[str]] = {}
    for _, gid, hidden, _ in regions:
        for node in ast.parse(hidden).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                defined.setdefault(node.name, []).append(gid)
    repeated = {name: gids for name, gids in defined.items() if len(gids) > 1}
    assert not repeated, f"hidden helpers defined in more than one cell: {repeated}"


def test_written_answers_are_markdown_cells_graded_by_hand(assignment):
    nb = _source(assignment)
    answers = [c for c in nb.cells if cells.is_written_answer(c)]
    assert all(c.cell_type == "markdown" for c in answers)


def test_release_has_no_solutions_hidden_tests_or_outputs(assignment):
    nb = nbformat.read(notebook_path("release", assignment, root=ROOT), as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert not re.search(r"(BEGIN|END) (SOLUTION|HIDDEN TESTS)", text)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
        if cells.is_solution(cell) and cell.cell_type == "code":
            assert "raise NotImplementedError()" in cell.source


def test_every_assignment_has_samples_of_three_mistakes_naming_the_cells_they_lose_and_their_feedback(assignment):
    mistakes = [s for s in load_samples(assignment) if s.loses]
    assert len(mistakes) >= 3
    assert all(s.mentions and set(s.loses) <= set(grade_ids(assignment, ROOT)) for s in mistakes)


@pytest.mark.notebook
class TestEveryAssignment:

    def test_reference_solution_runs_without_errors_and_earns_full_points(self, assignment, graded):
        # Written answers wait for a person: nbgrader leaves their score empty.
        scores = graded.scores["reference"]
        assert set(scores) == set(graded.grade_ids) - set(graded.manual_ids)
        assert {q: s.score for q, s in scores.items()} == {q: s.max_score for q, s in scores.items()}
        nb = graded.autograded("reference", assignment)
        errors = [cells.grade_id(c) for c in nb.cells
                  if c.cell_type == "code" and any(o.output_type == "error" for o in c.outputs)]
        assert errors == []

    def test_hidden_tests_only_ask(self, assignment, graded):
        """No grade cell compares, holds an expected or a mistake's value, or defines a reference
        implementation of a step not graded yet: the grader compares, outside the kernel."""
        key = answer_key.load(graded.root, assignment, assignment)
        assert key is not None, "grading computed the answer key"
        for index, gid, hidden, points in _hidden_regions(assignment):
            assert hidden.strip(), f"{gid} has no hidden test"
            assert not COMPARING.search(hidden), f"{gid} compares in the kernel: {COMPARING.search(hidden)[0]}"
            defined = {n.name.lstrip("_") for n in ast.walk(ast.parse(hidden))
                       if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
            early = defined & _ungraded_names(assignment, index)
            assert not early, f"{gid} defines a reference for {early}, not graded yet"
            assert key.answers.get(gid) or points == 0, f"{gid} asks nothing"
            literals = _float_literals(hidden)
            # Values of two significant digits (0.5, 1e-9) also stand in inputs, and relu(1e-9) is
            # 1e-9; a leaked expected value is a computed one, with more digits.
            answers = [x for record in key.answers.get(gid, []) for x in _numbers(decode(record["value"]))
                       if np.isfinite(x) and float(f"{x:.2g}") != x]
            leaked = [x for x in answers if any(np.isclose(x, lit, rtol=1e-6, atol=0) for lit in literals)]
            assert not leaked, f"{gid}'s hidden test holds its expected values {leaked[:3]}"

    def test_untouched_release_runs_to_the_end_and_earns_zero_everywhere(self, assignment, graded):
        scores = graded.scores["untouched"]
        assert set(scores) == set(graded.grade_ids)
        assert {q: s.score for q, s in scores.items()} == {q: 0 for q in scores}
        nb = graded.autograded("untouched", assignment)
        assert all(c.execution_count for c in nb.cells if c.cell_type == "code")

    def test_mistake_loses_exactly_the_cells_that_test_it(self, assignment, graded, mistake):
        scores = graded.scores[mistake.student]
        lost = {q for q, s in scores.items() if s.score < s.max_score}
        assert lost == set(mistake.loses)
        assert all(scores[q].score == 0 for q in mistake.loses)

    def test_mistake_feedback_names_the_function_and_the_quantity(self, assignment, graded, mistake):
        text = graded.feedback_text(mistake.student, assignment)
        for phrase in mistake.mentions:
            assert phrase in text

    def test_correct_variant_earns_full_points(self, assignment, graded, variant):
        scores = graded.scores[variant.student]
        assert {q: s.score for q, s in scores.items()} == {q: s.max_score for q, s in scores.items()}

    def test_report_shows_written_answers_as_waiting_for_a_grader_not_as_zero(self, assignment, graded):
        if not graded.manual_ids:
            pytest.skip("this assignment has no written answers")
        page = report.main(assignment=assignment, root=graded.root).read_text()
        assert page.count("waiting for a grader") >= len(graded.manual_ids)

    def test_feedback_never_shows_hidden_tests(self, assignment, graded):
        hidden = _hidden_lines(assignment)
        assert hidden, "the source notebook has hidden tests"
        for sample in graded.samples:
            text = graded.feedback_text(sample.student, assignment)
            assert "HIDDEN TESTS" not in text
            submitted = notebook_path("submitted", assignment, sample.student, root=graded.root)
            own = "\n".join(c.source for c in nbformat.read(submitted, as_version=4).cells)
            shown = [line for line in hidden if line in text and line not in own]
            assert shown == [], f"{sample.student}'s feedback shows hidden test lines"

    def test_what_to_fix_quotes_no_expected_value(self, assignment, graded):
        """The summary atop each feedback page says what differs, never what was expected."""
        key = answer_key.load(graded.root, assignment, assignment)
        expected = {f"{x:.4g}" for answers in key.answers.values() for record in answers
                    for x in _numbers(decode(record["value"])) if np.isfinite(x) and float(f"{x:.3g}") != x}
        assert expected, "the key holds computed values"
        for sample in graded.samples:
            page = (graded.root / "feedback" / sample.student / assignment / f"{assignment}.html").read_text()
            summary = html.unescape(re.sub(r"<[^>]+>", " ", page[page.index("<body>"):page.index("<main>")]))
            # What the student's code returned is theirs to see, whatever other answer it equals (an
            # x left at x - eps is nearly the test's x): an array, over as many lines as it takes,
            # up to its shape; a number, to the end of its line.
            summary = re.sub(r"received:? (?:\[[^(]*?\(shape [^)]*\)|.*?$)", "", summary, flags=re.M)
            shown = set(re.findall(r"-?\d+\.\d+(?:e[-+]?\d+)?", summary))
            assert not {v for v in shown if f"{float(v):.4g}" in expected and len(v.strip("-0.")) >= 4}, sample.student

    def test_report_counts_each_named_mistake_under_its_question(self, assignment, graded):
        """Issue 20: per question, each likely mistake the grader named, how many students made it,
        and who, linked to their feedback; every sample mistake is listed under each question it loses."""
        page = report.main(assignment=assignment, root=graded.root).read_text()
        outcomes = json.loads((graded.root / "reports" / assignment / "outcomes.json").read_text())
        sections = dict(re.findall(r"<h3 id='q\d+'>Q\d+ (.*?):.*?</h3>(.*?)(?=<h3|<h2)", page, re.S))
        for mistake in (s for s in graded.samples if s.loses):
            for gid in mistake.loses:
                assert f"../feedback/{mistake.student}/" in sections[gid.replace("_", " ")], (mistake.student, gid)
        named: dict[tuple[str, str], int] = {}
        for outcome in outcomes.values():
            for gid, hints in outcome.get("mistakes", {}).items():
                for hint in hints:
                    named[(gid, hint)] = named.get((gid, hint), 0) + 1
        assert named, "the grader named likely mistakes"
        for (gid, hint), count in named.items():
            assert f"{html.escape(hint)}: <strong>{count}</strong>" in sections[gid.replace("_", " ")], (gid, hint)

    def test_release_equals_a_fresh_generate_assignment(self, assignment, graded):
        fresh = nbformat.read(notebook_path("release", assignment, root=graded.root), as_version=4)
        committed = nbformat.read(notebook_path("release", assignment, root=ROOT), as_version=4)
        assert fresh == committed

