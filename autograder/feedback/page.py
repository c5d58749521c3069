"""The student's feedback page: what to fix first, then the notebook; self-contained and inert.

The page holds no script at all (formulas are MathML, written when the page is), so its
Content-Security-Policy forbids every script, frame, form and request: student markup that
got past `safe_html` still could not run or reach the network. Every value we quote is escaped.
"""
from __future__ import annotations

import html
import re

from .notebook import anchor, notebook_html
from .summary import GradeCell, lost

POLICY = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
          "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
STYLE = """
body{font-family:system-ui,sans-serif;line-height:1.45;max-width:min(72rem,100% - 2rem);margin:1.5rem auto;color:#1d1d1f}
pre{white-space:pre-wrap;word-break:break-word;background:#f6f8fa;padding:.5rem .75rem;border-radius:4px;margin:.3rem 0}
pre.error,pre.stderr{background:#fdecea}
img{max-width:100%}
.summary{border:2px solid #c0392b;border-radius:6px;padding:.5rem 1.25rem;margin-bottom:2rem}
.summary.clean{border-color:#2e7d32}
.summary li{margin:.6rem 0}
.lost{font-weight:600}
.cell{border-left:3px solid transparent;padding-left:.75rem;margin:.75rem 0}
.cell.graded{border-left-color:#8e44ad}
.cell:target{background:#fff8e1}
.grade{font-weight:600;color:#5b2c6f;margin:.2rem 0}
math[display=block]{margin:.5rem 0;max-width:100%;overflow-x:auto}
"""


def text(value: str) -> str:
    """`value` escaped for an element's text: `<`, `>` and `&` (quotes are plain there, and a
    student's "it's" reads as written; no value of theirs goes into an attribute)."""
    return html.escape(value, quote=False)


def sentence(note: str) -> str:
    """One of `reasons`' sentences as HTML: escaped, its `backquoted` names as <code>."""
    return re.sub(r"`([^`<>]+)`", r"<code>\1</code>", text(note))


def words(grade_id: str) -> str:
    """A grade id as words: "softmax_is_stable" -> "softmax is stable"."""
    return grade_id.replace("_", " ").strip()


def _points(value: float) -> str:
    return f"{value:g} point" + ("" if value == 1 else "s")


def _lost_item(cell: GradeCell) -> str:
    check = f"<br>{text(cell.check)}" if cell.check else ""
    message = f"<pre class='verdict'>{text(cell.message)}</pre>" if cell.message else ""
    return (f"<li><a href='#{anchor(cell.grade_id)}'>{text(words(cell.grade_id))}</a>: "
            f"<span class='lost'>{_points(cell.lost)} lost</span> of {cell.max_score:g}{check}{message}</li>")


def summary_html(cells: list[GradeCell], notes: list[str]) -> str:
    """The box that opens the page: score, cells that lost points, cells waiting, grading notes."""
    marked = [c for c in cells if not c.waiting]
    score = sum(c.score for c in marked)
    most = sum(c.max_score for c in cells)
    missing = lost(cells)
    waiting = [c for c in cells if c.waiting]
    parts = [f"<h1>Your score: {score:g} / {most:g}</h1>"]
    if waiting:
        parts.append(f"<p>{sum(c.max_score for c in waiting):g} of these points are for written answers "
                     "a person has not graded yet.</p>")
    if missing:
        parts.append(f"<h2>What to fix ({len(missing)} cell{'s' if len(missing) > 1 else ''} lost points)</h2>"
                     "<ol class='to-fix'>" + "".join(_lost_item(c) for c in missing) + "</ol>")
    elif marked:
        parts.append("<p>Every graded cell earned its points.</p>")
    if waiting:
        parts.append("<h2>Waiting for a grader</h2><ul class='waiting'>" + "".join(
            f"<li><a href='#{anchor(c.grade_id)}'>{text(words(c.grade_id))}</a> ({_points(c.max_score)})</li>"
            for c in waiting) + "</ul>")
    if notes:
        parts.append("<h2>About your grade</h2><ul class='about'>"
                     + "".join(f"<li>{sentence(note)}</li>" for note in notes) + "</ul>")
    return f"<section class='summary{'' if missing or notes else ' clean'}'>{''.join(parts)}</section>"


def page(title: str, summary: str, body: str = "") -> str:
    """A whole HTML document; `summary` and `body` are HTML we made (everything in them escaped)."""
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<meta http-equiv='Content-Security-Policy' content=\"{POLICY}\">"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{text(title)}</title><style>{STYLE}</style></head>"
            f"<body>{summary}<main>{body}</main></body></html>\n")


def feedback_page(title: str, nb, cells: list[GradeCell], scores: dict[str, tuple], notes: list[str]) -> str:
    """The page of one graded notebook: summary of `cells` and `notes`, then `nb` itself."""
    return page(title, summary_html(cells, notes), notebook_html(nb, scores))
