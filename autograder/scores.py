"""Read per-question scores back from the gradebook and print them as a table."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import MissingEntry

from . import cells
from .course import ROOT, notebook_path, open_gradebook


@dataclass(frozen=True)
class Score:
    score: float
    max_score: float


def notebook_grades(assignment: str, root: Path = ROOT) -> dict[tuple[str, str], dict[str, tuple]]:
    """(student, notebook) -> grade id -> (score, or None if nobody has marked it, max score), as
    nbgrader's gradebook holds them for every graded submission of `assignment`."""
    found = {}
    with open_gradebook(root) as gb:
        try:
            submissions = gb.assignment_submissions(assignment)
        except MissingEntry:
            return found
        for submission in submissions:
            for notebook in submission.notebooks:
                found[(submission.student_id, notebook.name)] = {
                    g.name: (None if g.auto_score is None and g.manual_score is None else float(g.score),
                             float(g.max_score)) for g in notebook.grades}
    return found


def cell_scores(assignment: str, root: Path = ROOT) -> dict[str, dict[str, Score]]:
    """student -> grade cell id -> score, for every graded submission of `assignment`; answers
    nobody has marked yet are left out."""
    table: dict[str, dict[str, Score]] = {}
    for (student, _notebook), grades in notebook_grades(assignment, root).items():
        row = table.setdefault(student, {})
        row.update({gid: Score(score, most) for gid, (score, most) in grades.items() if score is not None})
    return table


def _grade_cells(assignment: str, root: Path):
    nb = nbformat.read(notebook_path("source", assignment, root=root), as_version=4)
    return [c for c in nb.cells if cells.is_grade(c)]


def grade_ids(assignment: str, root: Path = ROOT) -> list[str]:
    """The grade cells of `assignment` in notebook order, the order students meet them."""
    return [cells.grade_id(c) for c in _grade_cells(assignment, root)]


def points(assignment: str, root: Path = ROOT) -> dict[str, float]:
    """grade id -> the points it is worth, in notebook order."""
    return {cells.grade_id(c): float(cells.role(c)["points"])
            for c in _grade_cells(assignment, root)}


def manual_grade_ids(assignment: str, root: Path = ROOT) -> list[str]:
    """The written answers, which a person grades: nbgrader scores them only when left blank."""
    return [cells.grade_id(c) for c in _grade_cells(assignment, root) if cells.is_written_answer(c)]


def format_table(assignment: str, scores: dict[str, dict[str, Score]], order: list[str],
                 manual: list[str] = ()) -> str:
    """A student x question table with totals; questions numbered as in `order`, listed underneath.

    Questions in `manual` are graded by hand: "-" until a person has marked them.
    """
    seen = {q for row in scores.values() for q in row}
    questions = [q for q in order if q in seen]
    maxima = {q: next(row[q].max_score for row in scores.values() if q in row) for q in questions}
    width = max([len("student")] + [len(s) for s in scores])
    head = f"{'student':<{width}} " + " ".join(f"Q{i + 1:<3}" for i in range(len(questions))) + "  total"
    lines = [f"{assignment} ({sum(maxima.values()):g} points)", head, "-" * len(head)]
    for student in sorted(scores):
        row = scores[student]
        cells = " ".join(f"{row[q].score:<4g}" if q in row else "-   " for q in questions)
        total = sum(s.score for s in row.values())
        lines.append(f"{student:<{width}} {cells}  {total:g}/{sum(maxima.values()):g}")
    lines += [f"  Q{i + 1}: {q} ({maxima[q]:g}{', graded by hand' if q in manual else ''})"
              for i, q in enumerate(questions)]
    return "\n".join(lines)

