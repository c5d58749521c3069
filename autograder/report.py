"""The class report of one assignment: pass rates, score histograms, flagged submissions.

`report(assignment, root)` writes reports/<assignment>.html, a single self-contained page:
per-question pass rates (share of students with full points) as a bar chart and a table, a
histogram of total scores and one per question, every flagged submission with its reasons, and
the notebooks read with format repairs (from reports/<assignment>/outcomes.json, which `grade`
writes).
"""
from __future__ import annotations

import base64
import html
import io
from pathlib import Path

from autograder.grade.record.notes import SEVERITY
from autograder.grade.record.notes import flagged as notes_flagged
from autograder.grade.record.outcomes import load_outcomes
from autograder.reasons import for_instructor
from .scores import cell_scores, grade_ids, manual_grade_ids, points


def _scores(root: Path, assignment: str):
    """student -> {grade id: (score, max score)}, the grade ids in notebook order, their points."""
    table = {student: {q: (s.score, s.max_score) for q, s in row.items()}
             for student, row in cell_scores(assignment, root).items()}
    return table, grade_ids(assignment, root), points(assignment, root)


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _plots(table, order, maxima) -> dict[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plots = {}
    # Over the students whose answer has a score: a written answer waits for a person until marked.
    marked = {q: [row[q][0] or 0 for row in table.values() if q in row] for q in order}
    rates = [100 * sum(v >= maxima[q] for v in marked[q]) / max(len(marked[q]), 1) for q in order]
    labels = [f"Q{i + 1} {q}" + ("" if marked[q] else " (waiting for a grader)") for i, q in enumerate(order)]
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(order) + 1))
    ax.barh(labels[::-1], rates[::-1], color="#4c72b0")
    ax.set_xlim(0, 100)
    ax.set_xlabel("students with full points (%)")
    plots["pass rates"] = _png(fig)
    plt.close(fig)

    totals = [sum(row.get(q, (0, 0))[0] or 0 for q in order) for row in table.values()]
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.hist(totals, bins=range(int(sum(maxima.values())) + 2), align="left", color="#55a868", rwidth=0.9)
    ax.set_xlabel("total score")
    ax.set_ylabel("students")
    plots["total scores"] = _png(fig)
    plt.close(fig)

    cols = 4
    rows = (len(order) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3 * cols, 2.2 * rows), squeeze=False)
    for ax, (i, q) in zip(axes.flat, enumerate(order)):
        values = [row[q][0] or 0 for row in table.values() if q in row]
        ax.hist(values, bins=20, range=(0, maxima[q]), color="#8172b2")
        ax.set_title(f"Q{i + 1} ({maxima[q]:g} points)", fontsize=9)
    for ax in list(axes.flat)[len(order):]:
        ax.axis("off")
    fig.tight_layout()
    plots["scores per question"] = _png(fig)
    plt.close(fig)
    return plots


def report(assignment: str, root: Path) -> Path:
    """Write reports/<assignment>.html and return its path."""
    root = Path(root).resolve()
    table, order, maxima = _scores(root, assignment)
    by_hand = set(manual_grade_ids(assignment, root))
    outcomes = load_outcomes(root, assignment)
    esc = html.escape
    parts = [f"<!doctype html><meta charset='utf-8'><title>{esc(assignment)}: class report</title>",
             "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}"
             "</style>",
             f"<h1>{esc(assignment)}</h1><p>{len(table)} students graded; "
             f"{sum(maxima.values()):g} points.</p>"]
    if table:
        parts.append("<h2>Questions</h2><table><tr><th>#</th><th>grade cell</th><th>points</th>"
                     "<th>students with full points</th><th>mean score</th></tr>")
        for i, q in enumerate(order):
            got = [row[q][0] or 0 for row in table.values() if q in row]
            full = sum(s >= maxima[q] for s in got)
            if q in by_hand and len(got) < len(table):  # written answers not marked yet are not 0 %
                waiting = f"waiting for a grader: {len(table) - len(got)} of {len(table)} not marked"
                shown = (f"<td colspan=2>{waiting}</td>" if not got else
                         f"<td>{100 * full / len(got):.0f}% of {len(got)} marked</td><td>{sum(got) / len(got):.2f} "
                         f"({waiting})</td>")
            else:
                shown = f"<td>{100 * full / max(len(got), 1):.0f}%</td><td>{sum(got) / max(len(got), 1):.2f}</td>"
            parts.append(f"<tr><td>Q{i + 1}</td><td>{esc(q)}{' (graded by hand)' if q in by_hand else ''}</td>"
                         f"<td>{maxima[q]:g}</td>{shown}</tr>")
        parts.append("</table>")
        for title, src in _plots(table, order, maxima).items():
            parts.append(f"<h2>{esc(title.capitalize())}</h2><img alt='{esc(title)}' src='{src}'>")
    flagged = {k: o for k, o in sorted(outcomes.items()) if notes_flagged(o.get("notes", [])) or o.get("status") != "graded"}
    parts.append(f"<h2>Flagged submissions ({len(flagged)})</h2>")
    if flagged:
        parts.append("<table><tr><th>student</th><th>notebook</th><th>status</th><th>cells not credited "
                     "(answers not asked for)</th><th>reasons</th></tr>")
        for outcome in flagged.values():
            reasons = "".join(f"<li>{esc(for_instructor(n))}</li>" for n in outcome.get("notes", [])
                              if SEVERITY[n["kind"]] != "repair")
            parts.append(f"<tr><td>{esc(outcome['student'])}</td><td>{esc(outcome['notebook'])}</td>"
                         f"<td>{esc(outcome['status'])}</td><td>{esc(', '.join(outcome.get('zeroed', [])))}</td>"
                         f"<td><ul>{reasons}</ul></td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>None.</p>")
    repaired = {k: [n for n in o.get("notes", []) if SEVERITY[n["kind"]] == "repair"] for k, o in sorted(outcomes.items())}
    repaired = {k: o for k, o in repaired.items() if o}
    if repaired:  # not flags: what an editor wrote that Jupyter opens too (intake.py)
        parts.append(f"<h2>Read with format repairs ({len(repaired)})</h2><table><tr><th>student</th>"
                     "<th>notebook</th><th>repairs</th></tr>")
        for entry, notes in repaired.items():
            outcome = outcomes[entry]
            parts.append(f"<tr><td>{esc(outcome['student'])}</td><td>{esc(outcome['notebook'])}</td><td><ul>"
                         + "".join(f"<li>{esc(for_instructor(n))}</li>" for n in notes) + "</ul></td></tr>")
        parts.append("</table>")
    path = root / "reports" / f"{assignment}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts))
    return path
