"""The class report as one self-contained HTML page that fits a 1280 px window and runs no script.

Every value quoted (student ids, grade ids, reasons, student code) is escaped; the page's
Content-Security-Policy forbids script and requests, as the feedback pages' does.
"""
from __future__ import annotations

import html
from urllib.parse import quote

from autograder.feedback.page import POLICY, words

from .misconceptions import Question, most_missed
from .similarity import Pair

esc = html.escape
STYLE = """
body{font-family:system-ui,sans-serif;line-height:1.4;max-width:60rem;margin:1.5rem auto;padding:0 1rem;color:#1d1d1f}
table{border-collapse:collapse;max-width:100%}
td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top;overflow-wrap:anywhere}
img{max-width:100%;height:auto}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}
.pair pre{overflow:auto;max-height:30rem;background:#f6f8fa;font-size:.8rem;margin:0;padding:.4rem}
mark{background:#ffe08a}
li{margin:.25rem 0}
"""


def feedback_link(student: str, assignment: str, notebook: str) -> str:
    """A link from reports/<assignment>.html to the student's feedback page."""
    href = "../feedback/" + "/".join(quote(part, safe="") for part in (student, assignment, f"{notebook}.html"))
    return f"<a href='{esc(href)}'>{esc(student)}</a>"


def _students(names: list[str], assignment: str) -> str:
    return ", ".join(feedback_link(s, assignment, assignment) for s in names)


def worst(found: list[Question]) -> str:
    """'What the class got wrong most': questions by points lost over the class."""
    missed = most_missed(found)
    if not missed:
        return "<h2>What the class got wrong most</h2><p>Nothing: every marked answer earned full points.</p>"
    items = []
    for q in missed:
        top = "".join(f"<li>{esc(mistake)}: {len(who)}</li>" for mistake, who in q.mistakes.items())
        items.append(f"<li><a href='#q{q.number}'>Q{q.number} {esc(words(q.grade_id))}</a>: "
                     f"{q.points_lost:g} point{'' if q.points_lost == 1 else 's'} lost by {len(q.lost_by)} of {q.marked} students"
                     + (f"<ul>{top}</ul>" if top else "") + "</li>")
    return "<h2>What the class got wrong most</h2><ol class='worst'>" + "".join(items) + "</ol>"


def question_table(found: list[Question], students: int) -> str:
    rows = []
    for q in found:
        if q.by_hand and q.marked < students:  # written answers not marked yet are not 0 %
            waiting = f"waiting for a grader: {students - q.marked} of {students} not marked"
            shown = (f"<td colspan=3>{waiting}</td>" if not q.marked else
                     f"<td>{100 * q.full / q.marked:.0f}% of {q.marked} marked</td><td>{q.mean:.2f}</td>"
                     f"<td>{len(q.lost_by)} ({waiting})</td>")
        else:
            shown = (f"<td>{100 * q.full / max(q.marked, 1):.0f}%</td><td>{q.mean:.2f}</td>"
                     f"<td>{len(q.lost_by)}</td>")
        rows.append(f"<tr><td>Q{q.number}</td><td>{esc(q.grade_id)}{' (graded by hand)' if q.by_hand else ''}</td>"
                    f"<td>{q.points:g}</td>{shown}</tr>")
    return ("<h2>Questions</h2><table><tr><th>#</th><th>grade cell</th><th>points</th>"
            "<th>students with full points</th><th>mean score</th><th>students who lost points</th></tr>"
            + "".join(rows) + "</table>")


def misconceptions(found: list[Question], assignment: str) -> str:
    """Per question that cost points: who lost it, and each likely mistake with its count and students."""
    parts = ["<h2>Misconceptions per question</h2>"]
    for q in found:
        if not q.lost_by:
            continue
        named = {s for who in q.mistakes.values() for s in who}
        unnamed = [s for s in q.lost_by if s not in named]
        items = [f"<li>{esc(mistake)}: <strong>{len(who)}</strong> ({_students(who, assignment)})</li>"
                 for mistake, who in q.mistakes.items()]
        if unnamed:
            items.append(f"<li>no likely mistake named: <strong>{len(unnamed)}</strong> "
                         f"({_students(unnamed, assignment)})</li>")
        parts.append(f"<h3 id='q{q.number}'>Q{q.number} {esc(words(q.grade_id))}: lost by {len(q.lost_by)} "
                     f"of {q.marked} students</h3><ul>{''.join(items)}</ul>")
    return "".join(parts) if len(parts) > 1 else ""


def _marked_code(code: str, ranges: list[tuple[int, int]]) -> str:
    matched = {n for a, b in ranges for n in range(a, b + 1)}
    return "\n".join(f"<mark>{esc(line)}</mark>" if n in matched else esc(line)
                     for n, line in enumerate(code.split("\n"), 1))


def similarity(pairs: list[Pair], groups: list[list[str]], codes: dict[str, str], csv_name: str,
               assignment: str) -> str:
    """Ranked pairs with their matching lines side by side, and the clusters they form."""
    parts = [f"<h2>Similar submissions, for review ({len(pairs)} pairs)</h2>",
             "<p>Pairs whose own code (template removed) is unusually alike: each holds at least half "
             "of the other's. A lead for a conversation, not a finding; scores are not affected. "
             f"Also in <a href='{esc(csv_name)}'>{esc(csv_name)}</a>.</p>"]
    if not pairs:
        return "".join(parts)
    if any(len(g) > 2 for g in groups):
        parts.append("<p>Clusters: " + "; ".join(_students(g, assignment) for g in groups if len(g) > 2) + "</p>")
    for rank, pair in enumerate(pairs, 1):
        parts.append(
            f"<details><summary>{rank}. {feedback_link(pair.first, assignment, assignment)} and "
            f"{feedback_link(pair.second, assignment, assignment)}: {100 * pair.share[0]:.0f}% and "
            f"{100 * pair.share[1]:.0f}% of their code match</summary><div class='pair'>"
            f"<pre>{_marked_code(codes[pair.first], pair.lines[0])}</pre>"
            f"<pre>{_marked_code(codes[pair.second], pair.lines[1])}</pre></div></details>")
    return "".join(parts)


def submissions_table(title: str, rows: list[tuple[dict, list[str]]], with_status: bool) -> str:
    parts = [f"<h2>{esc(title)} ({len(rows)})</h2>"]
    if not rows:
        return parts[0] + "<p>None.</p>"
    head = "<th>status</th><th>cells not credited (answers not asked for)</th>" if with_status else ""
    parts.append(f"<table><tr><th>student</th><th>notebook</th>{head}<th>reasons</th></tr>")
    for outcome, reasons in rows:
        extra = (f"<td>{esc(outcome.get('status', ''))}</td><td>{esc(', '.join(outcome.get('zeroed', [])))}</td>"
                 if with_status else "")
        parts.append(f"<tr><td>{esc(outcome['student'])}</td><td>{esc(outcome['notebook'])}</td>{extra}<td><ul>"
                     + "".join(f"<li>{esc(r)}</li>" for r in reasons) + "</ul></td></tr>")
    return "".join(parts) + "</table>"


STATUS = {"graded": "graded", "invalid": "not graded: scored 0", "failed": "grading failed: scored 0",
          "": "scored in the gradebook, no record of grading"}
MARK = {"flagged": ", flagged (see below)", "repaired": ", read with repairs (see below)", "": ""}


def every_submission(rows: list[tuple[str, str, float | None, tuple[str, str]]], assignment: str, maximum: float) -> str:
    """One line per submission: the student (linked to their feedback), the notebook, the score, its standing."""
    lines = "".join(
        f"<tr><td>{feedback_link(student, assignment, notebook or assignment)}</td><td>{esc(notebook)}</td>"
        f"<td>{'' if score is None else f'{score:g} / {maximum:g}'}</td>"
        f"<td>{esc(STATUS.get(status, status) + MARK.get(mark, ''))}</td></tr>"
        for student, notebook, score, (status, mark) in rows)
    return (f"<h2>Every submission ({len(rows)})</h2><table><tr><th>student</th><th>notebook</th><th>score</th>"
            f"<th>grading</th></tr>{lines}</table>")


def document(assignment: str, sections: list[str]) -> str:
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<meta http-equiv='Content-Security-Policy' content=\"{POLICY}\">"
            f"<title>{esc(assignment)}: class report</title><style>{STYLE}</style></head><body>"
            + "\n".join(sections) + "</body></html>\n")
