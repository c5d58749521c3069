"""Attacks on what the kernel holds of the hidden tests, and on answers after they are given.

The tiny course gains a `hidden_test_helpers` cell after test_square, holding a correct copy of
square (`_square`) as the course's real helper cells do, and test_double's hidden test defines a
correct `_double` of its own. Each attacker writes a wrong `square`, then reaches for a correct
one: from the notebook file, from the namespace a hidden cell leaves, or by rewriting test_square's
answers once correct code is in reach. None may gain a point, and none may cost an honest student.
"""
from __future__ import annotations

import textwrap

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.grade import batch
from autograder.grade.record import outcomes
from autograder.grade.sandbox import box as sandbox
from tests.autograder import tiny_course as tiny

pytestmark = pytest.mark.notebook
LIMITS = sandbox.Limits(cell_timeout=10, notebook_timeout=60, memory=2 * sandbox.GiB, output=1 * sandbox.MiB)
WRONG_SQUARE = "def square(x):\n    return np.asarray(x) * 3"
HELPERS = '''\
# Helpers of the hidden tests below (no points)
### BEGIN HIDDEN TESTS
def _square(x):
    return np.asarray(x) ** 2
### END HIDDEN TESTS'''
TEST_DOUBLE = '''\
# Check that double doubles
from nnkit.questions import ask
### BEGIN HIDDEN TESTS
def _double(x):
    return 2 * np.asarray(x)
ask("double(5)", double, 5)
ask("double([1.5])", double, [1.5])
assert callable(_square)
### END HIDDEN TESTS'''


def source():
    nb = tiny.source_notebook()
    at = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "test_square")
    helper = nbformat.v4.new_code_cell(HELPERS)
    helper.metadata["nbgrader"] = {"grade_id": "hidden_test_helpers", "solution": False, "grade": False,
                                   "locked": True, "schema_version": 3}
    nb.cells.insert(at + 1, helper)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_double":
            cell.source = TEST_DOUBLE
    return nb


def code(text: str) -> str:
    return textwrap.dedent(text).strip() + "\n"


READS_THE_NOTEBOOK = code("""
    import pathlib, re
    found = None
    for folder in [pathlib.Path.cwd(), *pathlib.Path.cwd().parents]:
        for path in folder.glob("*.ipynb"):
            text = path.read_text(errors="replace")
            if "def _square" in text:
                found = text
    if found:
        exec("def square(x):\\n    return np.asarray(x) ** 2")
        print("LEAK: hidden tests read from", path)
    else:
        exec("def square(x):\\n    return np.asarray(x) * 3")
    """)

USES_WHAT_HIDDEN_CELLS_LEFT = code("""
    leftovers = sorted(n for n in ("_square", "_double") if n in globals())
    print("LEFTOVERS:", leftovers or "none")
    """) + tiny.HONEST_DOUBLE

REWRITES_ANSWERS = (code("""
    import itertools
    DisplayPublisher = type(get_ipython().display_pub)
    _ids = itertools.count()
    _real = vars(DisplayPublisher)["publish"]
    def _with_ids(self, data, metadata=None, *args, transient=None, update=False, **kwargs):
        if "application/vnd.nnkit.answer+json" in data and not update:
            transient = {"display_id": f"answer-{next(_ids)}"}
        return _real(self, data, metadata, *args, transient=transient, update=update, **kwargs)
    setattr(DisplayPublisher, "publish", _with_ids)
    """) + WRONG_SQUARE, code("""
    from IPython.display import publish_display_data
    from nnkit.encoding import encode
    for index, (question, value) in enumerate((("square(3)", 9), ("square([1, 2])", [1, 4]))):
        publish_display_data({"application/vnd.nnkit.answer+json":
                              {"check": "value", "question": question, "value": encode(value)}},
                             transient={"display_id": f"answer-{index}"}, update=True)
    """) + tiny.HONEST_DOUBLE)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tiny.make_course(tmp_path_factory.mktemp("course"), source())
    cases = {
        # student: (submission, score out of 3)
        "honest": (tiny.submission(root), 3),
        "reads-the-notebook": (tiny.submission(root, square=READS_THE_NOTEBOOK), 1),
        "uses-what-hidden-cells-left": (tiny.submission(root, square=WRONG_SQUARE,
                                                        double=USES_WHAT_HIDDEN_CELLS_LEFT), 1),
        # Every answer it gives from then on carries a display id: each such grade cell earns nothing.
        "rewrites-answers": (tiny.submission(root, square=REWRITES_ANSWERS[0], double=REWRITES_ANSWERS[1]), 0),
        # A student folder named after the answer key's own runs replaces nothing.
        "__answer_key__": (tiny.submission(root, square=WRONG_SQUARE), 1),
        "__mistake__wrong": (tiny.submission(root, square=WRONG_SQUARE), 1),
    }
    for student, (nb, _) in cases.items():
        tiny.submit(root, student, nb)
    batch.grade_batch(tiny.ASSIGNMENT, root, workers=2, limits=LIMITS, progress=False)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "tiny-course") as gb:
        scores = {s.student_id: s.score for s in gb.assignment_submissions(tiny.ASSIGNMENT)}
    return root, cases, scores, outcomes.load_outcomes(root, tiny.ASSIGNMENT)


def printed(root, student) -> str:
    nb = nbformat.read(root / "autograded" / student / tiny.ASSIGNMENT / f"{tiny.ASSIGNMENT}.ipynb", as_version=4)
    return "\n".join(out.get("text", "") for cell in nb.cells for out in cell.get("outputs", []))


def test_no_attack_on_the_hidden_tests_gains_a_point_and_honest_work_keeps_its_own(graded):
    _, cases, scores, _ = graded
    assert scores == {student: score for student, (_, score) in cases.items()}


def test_the_notebook_file_never_enters_the_sandbox(graded):
    root = graded[0]
    assert "LEAK" not in printed(root, "reads-the-notebook")


def test_names_a_hidden_cell_defined_are_gone_before_student_code_runs_again(graded):
    root = graded[0]
    assert "LEFTOVERS: none" in printed(root, "uses-what-hidden-cells-left")


def test_answers_rewritten_after_they_were_given_earn_nothing_and_are_flagged(graded):
    _, _, _, found = graded
    notes = found[f"rewrites-answers/{tiny.ASSIGNMENT}"]["notes"]
    assert {(n["kind"], n["cell"]) for n in notes} >= {("answer_rewritten", "test_square"),
                                                       ("answer_rewritten", "test_double")}
    assert {"test_square", "test_double"} <= set(found[f"rewrites-answers/{tiny.ASSIGNMENT}"]["zeroed"])


def test_an_honest_submission_is_not_flagged(graded):
    _, _, _, found = graded
    assert [n for n in found[f"honest/{tiny.ASSIGNMENT}"]["notes"] if n["kind"] != "format_repair"] == []
