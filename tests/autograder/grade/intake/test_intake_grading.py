"""Notebooks as editors and students hand them in, graded in the tiny course: what their code earns.

Each submission is the honest one (3 points) damaged in one way that Jupyter still opens, or
with its nbgrader metadata lost, a test cell deleted, or its grading metadata changed; two lose
points to the sandbox's limits. Whoever lost points to the process is told why in their feedback.
"""
from __future__ import annotations

import json

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder import feedback, report
from autograder.grade import batch
from autograder.grade.sandbox import box as sandbox
from autograder import reasons
from autograder.grade.record.notes import SEVERITY
from autograder.grade.record.outcomes import load_outcomes

from tests.autograder import tiny_course as tiny

pytestmark = pytest.mark.notebook
LIMITS = sandbox.Limits(cell_timeout=5, notebook_timeout=40, memory=2 * sandbox.GiB, output=1 * sandbox.MiB)


def _json(nb) -> dict:
    return json.loads(nbformat.writes(nb))


def _grade_ids(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def damaged(root):
    honest = _json(tiny.submission(root))

    def variant(change, prefix=b""):
        nb = json.loads(json.dumps(honest))
        change(nb)
        return prefix + json.dumps(nb).encode()

    def written(before_double):
        return nbformat.writes(tiny.submission(root, double=before_double + tiny.HONEST_DOUBLE)).encode()

    def no_metadata_keys(nb):
        for cell in nb["cells"]:
            del cell["metadata"]

    def version_as_strings(nb):
        nb["nbformat"], nb["nbformat_minor"] = "4", "5"

    def drop_all_metadata(nb):
        for cell in nb["cells"]:
            cell["metadata"] = {}

    def drop_metadata_and_ids(nb):
        for i, cell in enumerate(nb["cells"]):
            cell["metadata"], cell["id"] = {}, f"vscode-{i}"

    def delete_test_double(nb):
        nb["cells"] = [c for c in nb["cells"] if _grade_ids(c) != "test_double"]

    def delete_both_tests(nb):
        nb["cells"] = [c for c in nb["cells"] if _grade_ids(c) not in ("test_square", "test_double")]

    def raise_points(nb):
        next(c for c in nb["cells"] if _grade_ids(c) == "test_double")["metadata"]["nbgrader"]["points"] = 10

    def grade_to_solution(nb):
        meta = next(c for c in nb["cells"] if _grade_ids(c) == "test_square")["metadata"]["nbgrader"]
        meta.update(grade=False, solution=True, locked=False)
        meta.pop("points")
        next(c for c in nb["cells"] if _grade_ids(c) == "test_square")["source"] = "pass"

    def as_nbformat_4_4_with_ids(nb):
        nb["nbformat_minor"] = 4

    def colab_cells_without_outputs(nb):
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                del cell["outputs"], cell["execution_count"]

    def unknown_keys(nb):
        for cell in nb["cells"]:
            cell["transient"] = {"remove_source": True}
            if cell["cell_type"] == "markdown":
                cell["outputs"] = []

    return {
        # student: (file, score, phrase in the report's flags or None, phrase in the feedback or None)
        "honest": (variant(lambda nb: None), 3, None, None),
        "metadata-dropped": (variant(drop_all_metadata), 3, "recovered by their cell ids", "lost the grading information"),
        "metadata-and-ids-dropped": (variant(drop_metadata_and_ids), 3, "by the names solution cells define", "recognised them"),
        "test-deleted": (variant(delete_test_double), 3, "test_double was deleted; restored", "was put back"),
        "both-tests-deleted": (variant(delete_both_tests), 3, "test_square was deleted; restored", "was put back"),
        "points-raised": (variant(raise_points), 3, "points 1 -> 10", "set back"),
        "grade-to-solution": (variant(grade_to_solution), 3, "grade True -> False", "set back"),
        "nbformat-4.4-ids": (variant(as_nbformat_4_4_with_ids), 3, None, None),
        "colab-no-outputs": (variant(colab_cells_without_outputs), 3, None, None),
        "unknown-keys": (variant(unknown_keys), 3, None, None),
        # nbformat's own reader refuses these three; nbgrader's converter must not read them with it
        "byte-order-mark": (variant(lambda nb: None, prefix=b"\xef\xbb\xbf"), 3, None, None),
        "cells-without-metadata-key": (variant(no_metadata_keys), 3, "recovered by their cell ids", "recognised them"),
        "version-as-strings": (variant(version_as_strings), 3, None, None),
        "not-json": (b'{"cells": [', 0, "not valid JSON", "could not be opened as a notebook"),
        # points lost to the process, not the notebook's format: the student is told why too
        "kernel-exits": (written("import os\nos._exit(0)\n"), 2, "kernel died", "Python process stopped while it ran"),
        "endless-loop": (written("while True:\n    pass\n"), 2, "ran past the cell time limit",
                         "ran longer than one cell may run (5 s)"),
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tiny.make_course(tmp_path_factory.mktemp("course"))
    cases = damaged(root)
    for student, (data, *_rest) in cases.items():
        tiny.submit(root, student, data)
    summary = batch.grade_batch(tiny.ASSIGNMENT, root, workers=2, limits=LIMITS, progress=False)
    return root, cases, summary


def test_every_notebook_jupyter_opens_earns_what_its_code_earns(graded):
    root, cases, summary = graded
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "tiny-course") as gb:
        scores = {s: gb.find_submission(tiny.ASSIGNMENT, s).score for s in cases}
    assert scores == {s: case[1] for s, case in cases.items()}
    assert (summary.graded, summary.invalid) == (len(cases) - 1, 1)


def test_repairs_recoveries_and_undone_changes_are_in_the_report(graded):
    root, cases, _ = graded
    outcomes = load_outcomes(root, tiny.ASSIGNMENT)
    page = report.main(assignment=tiny.ASSIGNMENT, root=root).read_text()
    for student, (_data, _score, flag, _told) in cases.items():
        flags = " ".join(reasons.for_instructor(n) for n in outcomes[f"{student}/{tiny.ASSIGNMENT}"]["notes"]
                         if SEVERITY[n["kind"]] != "repair")
        assert (flag in flags) if flag else not flags, (student, flags)
    assert "nbformat_minor 4 disagreed with its cell ids" in page
    assert "a code cell without outputs got an empty list" in page


def test_each_student_who_lost_points_to_the_process_is_told_why_in_their_feedback(graded):
    root, cases, _ = graded
    feedback.main(assignment=tiny.ASSIGNMENT, root=root)
    for student, (_data, _score, _flag, told) in cases.items():
        page = (root / "feedback" / student / tiny.ASSIGNMENT / f"{tiny.ASSIGNMENT}.html").read_text()
        assert ("About your grade" in page) == bool(told), student
        if told:
            assert told in page, student
