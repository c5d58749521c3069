"""Tests every assignment must pass; each `test_<assignment>.py` subclasses `AssignmentTests`.

A subclass sets `assignment`. Samples (from `samples/<assignment>.py`) are graded once per
session in a scratch course; `conftest.py` parametrizes the `mistake` and `variant` arguments.
"""
from __future__ import annotations

import ast
import html
import json
import re

import nbformat
import numpy as np
import pytest
from nbgrader import utils

from autograder.grade.judge import key as answer_key
from autograder.course import ROOT
from autograder import report
from nnkit.encoding import decode

# What a hidden test may not do in a student's kernel: compare, or hold a mistake's value.
COMPARING = re.compile(r"\b(check_close|check_keys|compare|no_warnings|assert|allclose|isclose|array_equal)\b|mistakes\s*=")


def _hidden_lines(assignment: str) -> list[str]:
    """Distinctive lines found only in the source's hidden test regions.

    Lines that also stand elsewhere (a reference solution repeated in a test) are left out:
    a student's own code may contain them.
    """
    nb = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
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


HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
HELPERS = "hidden_test_helpers"


def _hidden_regions(assignment: str) -> list[tuple[int, str, str, float]]:
    """(cell index, grade id, hidden test text, points) for each grade cell of the source notebook,
    and for each read-only cell of hidden-test helpers (0 points: it asks nothing)."""
    nb = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or utils.is_solution(cell):
            continue
        parts = HIDDEN.findall(cell.source)
        if utils.is_grade(cell) or parts:
            found.append((index, cell.metadata.get("nbgrader", {}).get("grade_id"), "\n".join(parts),
                          float(cell.metadata["nbgrader"].get("points", 0)) if utils.is_grade(cell) else 0.0))
    return found


def _ungraded_names(assignment: str, before: int) -> set[str]:
    """Names defined by solution cells none of whose grade cells comes before cell `before`."""
    nb = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    names, pending = set(), set()
    for index, cell in enumerate(nb.cells[:before]):
        if cell.cell_type == "code" and utils.is_solution(cell):
            try:
                pending |= {n.name for n in ast.parse(cell.source).body
                            if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
            except SyntaxError:
                pass
        elif utils.is_grade(cell):
            pending.clear()  # graded now: a correct copy may stand in for it from here on
    names |= pending
    for cell in nb.cells[before:]:
        if cell.cell_type == "code" and utils.is_solution(cell):
            try:
                names |= {n.name for n in ast.parse(cell.source).body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
            except SyntaxError:
                pass
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


@pytest.mark.notebook
class AssignmentTests:
    assignment: str

    def test_reference_solution_runs_without_errors_and_earns_full_points(self, graded):
        # Written answers wait for a person: nbgrader leaves their score empty.
        scores = graded.scores["reference"]
        assert set(scores) == set(graded.grade_ids) - set(graded.manual_ids)
        assert {q: s.score for q, s in scores.items()} == {q: s.max_score for q, s in scores.items()}
        nb = graded.autograded("reference", self.assignment)
        errors = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells
                  if c.cell_type == "code" and any(o.output_type == "error" for o in c.outputs)]
        assert errors == []

    def test_hidden_tests_only_ask(self, graded):
        """No grade cell compares, holds an expected or a mistake's value, or defines a reference
        implementation of a step not graded yet: the grader compares, outside the kernel."""
        key = answer_key.load(graded.root, self.assignment, self.assignment)
        assert key is not None, "grading computed the answer key"
        for index, gid, hidden, points in _hidden_regions(self.assignment):
            assert hidden.strip(), f"{gid} has no hidden test"
            assert not COMPARING.search(hidden), f"{gid} compares in the kernel: {COMPARING.search(hidden)[0]}"
            defined = {n.name.lstrip("_") for n in ast.walk(ast.parse(hidden))
                       if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
            early = defined & _ungraded_names(self.assignment, index)
            assert not early, f"{gid} defines a reference for {early}, not graded yet"
            assert key.answers.get(gid) or points == 0, f"{gid} asks nothing"
            literals = _float_literals(hidden)
            # Values of two significant digits (0.5, 1e-9) also stand in inputs, and relu(1e-9) is
            # 1e-9; a leaked expected value is a computed one, with more digits.
            answers = [x for record in key.answers.get(gid, []) for x in _numbers(decode(record["value"]))
                       if np.isfinite(x) and float(f"{x:.2g}") != x]
            leaked = [x for x in answers if any(np.isclose(x, lit, rtol=1e-6, atol=0) for lit in literals)]
            assert not leaked, f"{gid}'s hidden test holds its expected values {leaked[:3]}"

    def test_hidden_test_helpers_are_written_once_in_one_read_only_cell(self):
        """Issue 12: each grade cell reads as what it checks. Helpers the hidden tests share
        live in one locked cell whose hidden part nbgrader clears and restores (never a 0-point
        grade cell, which feedback would list as "0 / 0"), or, when they hold no answer and the
        visible checks use them too, in `nnkit`; no hidden helper is defined twice."""
        regions = _hidden_regions(self.assignment)
        helpers = [gid for _, gid, _, points in regions if gid == HELPERS or points == 0]
        nb = nbformat.read(ROOT / "source" / self.assignment / f"{self.assignment}.ipynb", as_version=4)
        cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
        assert helpers in ([], [HELPERS]), f"hidden helpers in {helpers}, not one cell named {HELPERS}"
        if helpers:
            meta = cells[HELPERS].metadata["nbgrader"]
            assert meta["locked"] and not meta["grade"] and not meta["solution"]
        defined: dict[str, list[str]] = {}
        for _, gid, hidden, _ in regions:
            for node in ast.parse(hidden).body:
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                    defined.setdefault(node.name, []).append(gid)
        repeated = {name: gids for name, gids in defined.items() if len(gids) > 1}
        assert not repeated, f"hidden helpers defined in more than one cell: {repeated}"

    def test_untouched_release_runs_to_the_end_and_earns_zero_everywhere(self, graded):
        scores = graded.scores["untouched"]
        assert set(scores) == set(graded.grade_ids)
        assert {q: s.score for q, s in scores.items()} == {q: 0 for q in scores}
        nb = graded.autograded("untouched", self.assignment)
        assert all(c.execution_count for c in nb.cells if c.cell_type == "code")

    def test_mistake_loses_exactly_the_cells_that_test_it(self, graded, mistake):
        scores = graded.scores[mistake.student]
        lost = {q for q, s in scores.items() if s.score < s.max_score}
        assert lost == set(mistake.loses)
        assert all(scores[q].score == 0 for q in mistake.loses)

    def test_mistake_feedback_names_the_function_and_the_quantity(self, graded, mistake):
        text = graded.feedback_text(mistake.student, self.assignment)
        for phrase in mistake.mentions:
            assert phrase in text

    def test_correct_variant_earns_full_points(self, graded, variant):
        scores = graded.scores[variant.student]
        assert {q: s.score for q, s in scores.items()} == {q: s.max_score for q, s in scores.items()}

    def test_every_mistake_names_the_cells_it_loses_and_its_feedback_phrases(self, graded):
        mistakes = [s for s in graded.samples if s.loses]
        assert len(mistakes) >= 3
        assert all(s.mentions and set(s.loses) <= set(graded.grade_ids) for s in mistakes)

    def test_report_shows_written_answers_as_waiting_for_a_grader_not_as_zero(self, graded):
        if not graded.manual_ids:
            pytest.skip("this assignment has no written answers")
        page = report.main(assignment=self.assignment, root=graded.root).read_text()
        assert page.count("waiting for a grader") >= len(graded.manual_ids)

    def test_written_answers_are_markdown_cells_graded_by_hand(self):
        nb = nbformat.read(ROOT / "source" / self.assignment / f"{self.assignment}.ipynb", as_version=4)
        answers = [c for c in nb.cells if utils.is_grade(c) and utils.is_solution(c)]
        assert all(c.cell_type == "markdown" for c in answers)

    def test_feedback_never_shows_hidden_tests(self, graded):
        hidden = _hidden_lines(self.assignment)
        assert hidden, "the source notebook has hidden tests"
        for sample in graded.samples:
            text = graded.feedback_text(sample.student, self.assignment)
            assert "HIDDEN TESTS" not in text
            submitted = graded.root / "submitted" / sample.student / self.assignment
            own = "\n".join(c.source for c in nbformat.read(next(submitted.glob("*.ipynb")), as_version=4).cells)
            shown = [line for line in hidden if line in text and line not in own]
            assert shown == [], f"{sample.student}'s feedback shows hidden test lines"

    def test_what_to_fix_quotes_no_expected_value(self, graded):
        """The summary atop each feedback page says what differs, never what was expected."""
        key = answer_key.load(graded.root, self.assignment, self.assignment)
        expected = {f"{x:.4g}" for answers in key.answers.values() for record in answers
                    for x in _numbers(decode(record["value"])) if np.isfinite(x) and float(f"{x:.3g}") != x}
        assert expected, "the key holds computed values"
        for sample in graded.samples:
            page = (graded.root / "feedback" / sample.student / self.assignment / f"{self.assignment}.html").read_text()
            summary = html.unescape(re.sub(r"<[^>]+>", " ", page[page.index("<body>"):page.index("<main>")]))
            # What the student's code returned is theirs to see, whatever other answer it equals.
            summary = re.sub(r"received:? .*?(\(shape [^)]*\)|$)", "", summary, flags=re.S | re.M)
            shown = set(re.findall(r"-?\d+\.\d+(?:e[-+]?\d+)?", summary))
            assert not {v for v in shown if f"{float(v):.4g}" in expected and len(v.strip("-0.")) >= 4}, sample.student

    def test_report_counts_each_named_mistake_under_its_question(self, graded):
        """Issue 20: per question, each likely mistake the grader named, how many students made it,
        and who, linked to their feedback; every sample mistake is listed under each question it loses."""
        page = report.main(assignment=self.assignment, root=graded.root).read_text()
        outcomes = json.loads((graded.root / "reports" / self.assignment / "outcomes.json").read_text())
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

    def test_release_equals_a_fresh_generate_assignment(self, graded):
        name = f"{self.assignment}/{self.assignment}.ipynb"
        fresh = nbformat.read(graded.root / "release" / name, as_version=4)
        committed = nbformat.read(ROOT / "release" / name, as_version=4)
        assert fresh == committed

    def test_release_has_no_solutions_hidden_tests_or_outputs(self):
        nb = nbformat.read(ROOT / "release" / self.assignment / f"{self.assignment}.ipynb", as_version=4)
        text = "\n".join(c.source for c in nb.cells)
        assert not re.search(r"(BEGIN|END) (SOLUTION|HIDDEN TESTS)", text)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None
            if utils.is_solution(cell) and cell.cell_type == "code":
                assert "raise NotImplementedError()" in cell.source
