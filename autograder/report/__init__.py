"""The class report of one assignment: reports/<assignment>.html and reports/<assignment>/similarity.csv.

What the class got wrong most (questions by points lost), a table of the questions, the likely
mistakes counted per question with the students who made them (`misconceptions.py`), charts
(`plots.py`), every submission with its score and standing, similar submissions for review
(`similarity.py`), and the submissions grading flagged or had to repair, with why (`flags.py`). Scores come from nbgrader's gradebook, what grading found
from reports/<assignment>/outcomes.json; the report changes neither.
"""
from __future__ import annotations

import csv
from pathlib import Path

from autograder.grade.record.outcomes import load_outcomes
from autograder.scores import cell_scores, grade_ids, manual_grade_ids, points

from . import flags, page, plots
from .misconceptions import questions
from .similarity import clusters, similar_pairs, submissions


def _csv_value(value) -> str:
    text = str(value)
    # A spreadsheet runs a cell that starts like a formula; a student id may be chosen to.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_similarity_csv(path: Path, pairs, groups) -> None:
    """One row per pair, most similar first: the two students, each one's share matched, its cluster."""
    cluster_of = {name: i for i, group in enumerate(groups, 1) for name in group}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["rank", "student_a", "student_b", "share_of_a", "share_of_b", "cluster", "lines_a", "lines_b"])
        for rank, p in enumerate(pairs, 1):
            out.writerow([rank, _csv_value(p.first), _csv_value(p.second), f"{p.share[0]:.3f}", f"{p.share[1]:.3f}",
                          cluster_of[p.first], " ".join(f"{a}-{b}" for a, b in p.lines[0]),
                          " ".join(f"{a}-{b}" for a, b in p.lines[1])])


def main(*, assignment: str, root: Path) -> Path:
    """Write reports/<assignment>.html (and the similarity CSV beside it); return the page's path."""
    root = Path(root).resolve()
    table = {student: {q: (s.score, s.max_score) for q, s in row.items()}
             for student, row in cell_scores(assignment, root).items()}
    order, maxima = grade_ids(assignment, root), points(assignment, root)
    outcomes = load_outcomes(root, assignment)
    mistakes = {o["student"]: o.get("mistakes", {}) for o in outcomes.values()}
    found = questions(table, order, maxima, set(manual_grade_ids(assignment, root)), mistakes)
    codes, template = submissions(root, assignment)
    pairs = similar_pairs(codes, template)
    groups = clusters(pairs)
    csv_path = root / "reports" / assignment / "similarity.csv"
    write_similarity_csv(csv_path, pairs, groups)

    totals = {student: sum(row.get(q, (0, 0))[0] or 0 for q in order) for student, row in table.items()}
    sections = [f"<h1>{page.esc(assignment)}</h1><p>{len(table)} students graded; {sum(maxima.values()):g} points.</p>"]
    if table:
        sections += [page.worst(found), page.question_table(found, len(table)),
                     page.misconceptions(found, assignment)]
        labels = [f"Q{q.number} {q.grade_id}" + ("" if q.marked else " (waiting for a grader)") for q in found]
        sections += ["<h2>Charts</h2>",
                     plots.pass_rates(labels, [100 * q.full / max(q.marked, 1) for q in found]),
                     plots.totals(list(totals.values()), sum(maxima.values())),
                     plots.per_question({q: [row[q][0] or 0 for row in table.values() if q in row] for q in order},
                                        maxima)]
    sections += [page.every_submission(flags.every(outcomes, totals), assignment, sum(maxima.values())),
                 page.similarity(pairs, groups, codes, f"{assignment}/{csv_path.name}", assignment),
                 page.submissions_table("Flagged submissions", flags.flagged(outcomes), with_status=True)]
    repaired = flags.repaired(outcomes)
    if repaired:  # not flags: what an editor wrote that Jupyter opens too
        sections.append(page.submissions_table("Read with format repairs", repaired, with_status=False))
    path = root / "reports" / f"{assignment}.html"
    path.write_text(page.document(assignment, sections), encoding="utf-8")
    return path
