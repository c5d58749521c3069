"""A graded notebook as inert HTML: every cell, every output, nothing of the student's that runs.

Outputs are shown by the richest kind we can make safe: images as `data:` URLs (an SVG too,
as an <img>, where it cannot run script), HTML and Markdown through `safe_html`, LaTeX as
MathML, else the plain text. JavaScript outputs are never shown. Each grade cell carries the
anchor `anchor(grade_id)`, which the page's summary links to.
"""
from __future__ import annotations

import base64
import html
import re

from nbgrader import utils
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from .safe_html import clean, markdown, math

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*")
IMAGES = ("image/png", "image/jpeg", "image/gif", "image/webp")


def anchor(grade_id: str) -> str:
    """The HTML id of a grade cell on the page, safe whatever the grade id holds."""
    return "cell-" + re.sub(r"[^A-Za-z0-9_-]", "-", grade_id)


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _pre(text: str, kind: str) -> str:
    return f"<pre class='{kind}'>{html.escape(ANSI.sub('', text), quote=False)}</pre>"


def output(out) -> str:
    """One output of a code cell as HTML."""
    kind = out.get("output_type")
    if kind == "stream":
        return _pre(_text(out.get("text", "")), "stream stderr" if out.get("name") == "stderr" else "stream")
    if kind == "error":
        lines = [_text(line) for line in out.get("traceback", [])] or [f"{out.get('ename')}: {out.get('evalue')}"]
        return _pre("\n".join(lines), "error")
    if kind not in ("display_data", "execute_result"):
        return ""
    data = out.get("data", {}) or {}
    for mime in IMAGES:
        if mime in data and BASE64.fullmatch(_text(data[mime])):
            return f"<img alt='output' src='data:{mime};base64,{_text(data[mime]).strip()}'>"
    if "image/svg+xml" in data:  # as an image, an SVG's script does not run
        svg = base64.b64encode(_text(data["image/svg+xml"]).encode()).decode()
        return f"<img alt='output' src='data:image/svg+xml;base64,{svg}'>"
    if "text/html" in data:
        return f"<div class='html'>{clean(_text(data['text/html']))}</div>"
    if "text/markdown" in data:
        return f"<div class='markdown'>{markdown(_text(data['text/markdown']))}</div>"
    if "text/latex" in data:
        return math(_text(data["text/latex"]).strip().strip("$"), display=True)
    if "text/plain" in data:
        return _pre(_text(data["text/plain"]), "text")
    return ""  # application/javascript and kinds we cannot show safely


def cell_html(cell, scores: dict[str, tuple]) -> str:
    """One cell as a <section>; `scores`: grade id -> (score or None, max score)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    grade_id = meta.get("grade_id", "") if utils.is_grade(cell) else ""
    head = ""
    if grade_id:
        score, most = scores.get(grade_id, (None, meta.get("points", 0)))
        shown = "waiting for a grader" if score is None else f"{score:g} / {most:g}"
        head = f"<p class='grade'>{html.escape(grade_id, quote=False)}: {shown}</p>"
    ident = f" id='{anchor(grade_id)}'" if grade_id else ""
    if cell.cell_type == "markdown":
        body = markdown(_text(cell.source), cell.get("attachments"))
    elif cell.cell_type == "code":
        code = highlight(_text(cell.source), PythonLexer(), HtmlFormatter(nowrap=True))
        body = f"<pre class='input'>{code}</pre>" + "".join(output(o) for o in cell.get("outputs", []))
    else:
        body = _pre(_text(cell.source), "raw")
    kind = cell.cell_type if cell.cell_type in ("markdown", "code") else "raw"  # the file's word, not ours
    return f"<section class='cell {kind}{' graded' if grade_id else ''}'{ident}>{head}{body}</section>"


def notebook_html(nb, scores: dict[str, tuple]) -> str:
    """Every cell of `nb` (hidden tests already removed) as HTML, in order."""
    return "\n".join(cell_html(cell, scores) for cell in nb.cells)
