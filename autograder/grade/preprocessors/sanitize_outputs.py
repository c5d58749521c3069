"""The autograded notebook holds no student script: formgrader shows it to the instructor.

nbgrader's formgrader renders an autograded notebook with nbconvert, in the instructor's
Jupyter session (their token): raw HTML in Markdown and `text/html` outputs go into the page as
they are, and `application/javascript` outputs become <script>. So before the notebook is
saved: JavaScript outputs are dropped (a note in text/plain says so), HTML outputs are cleaned
to an allowlist (`autograder.feedback.safe_html`), an SVG output becomes an <img> of itself
(where it cannot run script), and the tags and `javascript:` links of Markdown cells and
outputs are shown as text. Nothing here touches what is graded: answers, grade-cell sources
and the verdicts `Judge` wrote are left as they are.
"""
from __future__ import annotations

import base64
import re

from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.feedback.safe_html import clean

SCRIPT_MIMES = ("application/javascript", "text/javascript", "application/x-javascript")
DROPPED = "[a JavaScript output was removed by the grader]"
# The opening of an HTML tag, comment or declaration: "<" then a letter, "/", "!" or "?".
TAG = re.compile(r"<(?=[A-Za-z/!?])")
SCRIPT_LINK = re.compile(r"(?i)\b(java|vb)script\s*:")
CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.S)


def inert_markdown(source: str) -> str:
    """Markdown whose raw HTML shows as text and whose script links lead nowhere; code spans kept."""
    parts = CODE.split(source)
    return "".join(part if i % 2 else SCRIPT_LINK.sub(r"\1script-removed:", TAG.sub("&lt;", part))
                   for i, part in enumerate(parts))


def sanitize_data(data: dict) -> dict:
    """One output's mime bundle with nothing in it that a browser would run."""
    data = {mime: value for mime, value in data.items() if mime not in SCRIPT_MIMES}
    if "image/svg+xml" in data:
        svg = data.pop("image/svg+xml")
        svg = "".join(svg) if isinstance(svg, list) else str(svg)
        data["text/html"] = f"<img alt='figure' src='data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}'>"
    elif "text/html" in data:
        html = data["text/html"]
        data["text/html"] = clean("".join(html) if isinstance(html, list) else str(html))
    if "text/markdown" in data:
        text = data["text/markdown"]
        data["text/markdown"] = inert_markdown("".join(text) if isinstance(text, list) else str(text))
    return data or {"text/plain": DROPPED}


class SanitizeOutputs(NbGraderPreprocessor):
    """Make every Markdown cell and display output of the student's notebook inert (see module); read-only Markdown cells are the course's."""

    def preprocess_cell(self, cell, resources, index):
        # Read-only cells are the course's own, restored from the release by nbgrader.
        if cell.cell_type == "markdown" and not cell.metadata.get("nbgrader", {}).get("locked", False):
            cell.source = inert_markdown(cell.source)
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") in ("display_data", "execute_result") and isinstance(out.get("data"), dict):
                out["data"] = sanitize_data(out["data"])
        return cell, resources
