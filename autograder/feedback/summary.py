"""What a student should fix, as records: each grade cell of their graded notebook and its result.

Read from the autograded notebook once hidden tests are removed (`HideHiddenTests`): the grade
id, the cell's visible "# Check that ..." line and the judge's verdict, which `Judge` wrote as
the cell's error output (it says what differs and names the likely mistake, never an expected
value); and from nbgrader's gradebook: the points. Only `page.py` turns these into words.
"""
from __future__ import annotations

from dataclasses import dataclass

from nbgrader import utils


@dataclass(frozen=True)
class GradeCell:
    """One grade cell of one submission."""
    grade_id: str
    check: str              # the cell's visible first comment ("Check that ..."), or ""
    score: float | None     # None: a written answer nobody has marked yet
    max_score: float
    message: str            # the grader's verdict when the cell lost points, else ""

    @property
    def lost(self) -> float:
        return 0.0 if self.score is None else max(self.max_score - self.score, 0.0)

    @property
    def waiting(self) -> bool:
        return self.score is None


def check_line(source: str) -> str:
    """The cell's "# Check that ..." line without the "#", or "" (hidden regions already removed)."""
    for line in source.split("\n"):
        if line.strip().startswith("#"):
            return line.strip().lstrip("#").strip()
        if line.strip():
            return ""
    return ""


def verdict(cell) -> str:
    """The message of a grade cell's error output (the judge's verdict), or ""."""
    for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
        if out.get("output_type") == "error":
            return f"{out.get('evalue', '')}".strip() or str(out.get("ename", ""))
    return ""


def grade_cells(nb, scores: dict[str, tuple]) -> list[GradeCell]:
    """Every grade cell of `nb` in notebook order; `scores`: grade id -> (score or None, max score).

    A grade cell the gradebook has no score for counts as waiting for a grader if it is a
    written answer, else as 0 (nbgrader scores every test cell it ran).
    """
    found = []
    for cell in nb.cells:
        if not utils.is_grade(cell):
            continue
        meta = cell.metadata["nbgrader"]
        most = float(meta.get("points", 0))
        score, most = scores.get(meta["grade_id"], (None if utils.is_solution(cell) else 0.0, most))
        found.append(GradeCell(meta["grade_id"], "" if utils.is_solution(cell) else check_line(cell.source),
                               score, float(most), verdict(cell)))
    return found


def lost(cells: list[GradeCell]) -> list[GradeCell]:
    """The cells that lost points, most points lost first, then in notebook order."""
    return sorted((c for c in cells if c.lost > 0), key=lambda c: -c.lost)
