"""A graded notebook whose student tried to run script in whoever opens their feedback, and a
small course folder of such submissions for `autograder.feedback.main`.

Every payload, if it ran, would set `document.title` to a word starting with "pwned", so a
browser test can see that none did; `inert_problems` checks the markup itself.
"""
from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from autograder.grade.record.notes import Note

RUN = "document.title='pwned-{}'"
HIDDEN_VALUE = "0.4242"  # the expected value a hidden test would hold: it must never show
# A grading note that quotes a value of the submission's metadata, as "About your grade" says it.
NOTE = Note("metadata_undone", "f_doubles", {"changes": [f"points 2 -> <img src=x onerror=\"{RUN.format('note')}\">"]})

PAYLOADS = {
    "markdown img onerror": new_markdown_cell(f"Look <img src=x onerror=\"{RUN.format('md-img')}\">"),
    "markdown script": new_markdown_cell(f"<script>{RUN.format('md-script')}</script> done"),
    "markdown javascript link": new_markdown_cell(f"[click me](javascript:{RUN.format('md-link')})"),
    "markdown svg onload": new_markdown_cell(f"<svg onload=\"{RUN.format('md-svg')}\"></svg>"),
    "formula text": new_markdown_cell(f"$\\text{{<img src=x onerror=\"{RUN.format('tex')}\">}}$"),
    "html output": new_code_cell("show()", outputs=[new_output("display_data", data={
        "text/html": f"<b>hi</b><img src=x onerror=\"{RUN.format('html')}\"><script>{RUN.format('html-script')}</script>"
                     f"<iframe srcdoc=\"<script>{RUN.format('frame')}</script>\"></iframe>",
        "text/plain": "hi"})]),
    "javascript output": new_code_cell("js()", outputs=[new_output("display_data", data={
        "application/javascript": RUN.format("js"), "text/plain": "<IPython.core.display.Javascript object>"})]),
    "svg output": new_code_cell("svg()", outputs=[new_output("display_data", data={
        "image/svg+xml": f"<svg xmlns='http://www.w3.org/2000/svg' onload=\"{RUN.format('svg')}\">"
                         f"<script>{RUN.format('svg-script')}</script></svg>"})]),
    "markdown output": new_code_cell("md()", outputs=[new_output("execute_result", execution_count=1, data={
        "text/markdown": f"<img src=x onerror=\"{RUN.format('md-output')}\">"})]),
    "stream": new_code_cell("print()", outputs=[new_output("stream", name="stdout",
                                                             text=f"<script>{RUN.format('stream')}</script>")]),
}


def _meta(grade_id, *, grade=False, solution=False, points=0):
    meta = {"grade_id": grade_id, "grade": grade, "solution": solution, "locked": not solution, "schema_version": 3}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def graded_notebook(*, passed: bool, student_comment: str = ""):
    """A small autograded notebook: the hostile cells, a solution, and two grade cells.

    `passed`: whether the `f_doubles` cell earned its 2 points (else it has the judge's verdict).
    """
    solution = new_code_cell(f"def f(x):\n    {student_comment}\n    return 2 * x", metadata=_meta("f", solution=True))
    verdict = [] if passed else [new_output("error", ename="CheckFailure", traceback=["CheckFailure: f(2) differs"],
                                            evalue="f(2) differs from the expected value.\n  likely mistake: adds instead of doubling")]
    test = new_code_cell(f"# Check that f doubles its input.\n### BEGIN HIDDEN TESTS\nassert f(2) == {HIDDEN_VALUE}\n"
                         "### END HIDDEN TESTS", outputs=verdict, metadata=_meta("f_doubles", grade=True, points=2))
    other = new_code_cell("# Check that f accepts lists.\n### BEGIN HIDDEN TESTS\nask('f([1])', f, [1])\n"
                          "### END HIDDEN TESTS", metadata=_meta("f_accepts_lists", grade=True, points=1))
    written = new_markdown_cell("I think so.", metadata=_meta("why", grade=True, solution=True, points=3))
    return new_notebook(cells=[new_markdown_cell("# Assignment\nUpdate $w \\leftarrow w - \\eta\\, \\nabla L(w)$."),
                               *PAYLOADS.values(), solution, test, other, written])


SCORES = {"f_doubles": (2.0, 2.0), "f_accepts_lists": (1.0, 1.0), "why": (None, 3.0)}
LOST = {**SCORES, "f_doubles": (0.0, 2.0)}


def course(root: Path) -> dict[tuple[str, str], dict]:
    """Autograded notebooks and outcomes.json of assignment `a1` under `root`; returns the scores
    the gradebook would hold, for `feedback.notebook_grades` to be replaced with."""
    notebooks = {"alice": graded_notebook(passed=True), "bob": graded_notebook(passed=False),
                 "carol": graded_notebook(passed=True, student_comment="# ### BEGIN HIDDEN TESTS is what I copied")}
    for student, nb in notebooks.items():
        folder = root / "autograded" / student / "a1"
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / "a1.ipynb")
    (root / "autograded" / "dave" / "a1").mkdir(parents=True)
    (root / "autograded" / "dave" / "a1" / "a1.ipynb").write_text("{ not a notebook")
    outcomes = {f"{s}/a1": {"student": s, "notebook": "a1", "status": "graded", "notes": []}
                for s in ("alice", "bob", "carol", "dave")}
    outcomes["bob/a1"]["notes"] = [NOTE.to_dict()]
    outcomes["erin/a1"] = {"student": "erin", "notebook": "a1", "status": "invalid",
                           "notes": [Note("not_a_notebook", detail={"reason": "not JSON"}).to_dict()]}
    (root / "reports" / "a1").mkdir(parents=True)
    (root / "reports" / "a1" / "outcomes.json").write_text(json.dumps(outcomes))
    return {("alice", "a1"): SCORES, ("bob", "a1"): LOST, ("carol", "a1"): SCORES, ("dave", "a1"): SCORES}


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        if tag in ("script", "iframe", "object", "embed", "svg", "base", "form") or (tag == "style" and self.in_body):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("srcdoc", "style"):
                self.problems.append(f"{tag} {name}=")
            if name in ("href", "src") and (value or "").strip().lower().startswith(("javascript:", "vbscript:", "data:text")):
                self.problems.append(f"{tag} {name}={value[:40]}")


def inert_problems(page: str) -> list[str]:
    """Everything in `page` that could run script: script-like elements, handlers, script URLs."""
    parser = _Markup()
    parser.feed(page)
    return parser.problems
