"""What the class got wrong, counted: per question, who lost points and which likely mistakes.

Inputs are records: the gradebook's scores (student -> grade id -> (score, max score)) and the
`mistakes` grading recorded per submission in outcomes.json ({grade id: [the likely mistakes the
judge named there]}, each in the words `samples/<assignment>.py` gives it).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Question:
    """One grade cell across the class."""
    grade_id: str
    number: int                 # 1-based, in notebook order
    points: float
    by_hand: bool
    marked: int = 0             # students with a score (written answers wait for a person)
    full: int = 0               # students with full points
    total: float = 0.0          # points earned, summed over marked students
    lost_by: list[str] = field(default_factory=list)             # students who lost points on it
    points_lost: float = 0.0                                     # summed over the class
    mistakes: dict[str, list[str]] = field(default_factory=dict)  # likely mistake -> students

    @property
    def mean(self) -> float:
        return self.total / self.marked if self.marked else 0.0


def questions(table: dict[str, dict[str, tuple]], order: list[str], maxima: dict[str, float],
              by_hand: set[str], mistakes: dict[str, dict[str, list[str]]]) -> list[Question]:
    """Every grade cell in notebook order, counted over `table`'s students.

    mistakes: student -> grade id -> the likely mistakes the grader named there.
    """
    found = []
    for number, grade_id in enumerate(order, 1):
        q = Question(grade_id, number, maxima[grade_id], grade_id in by_hand)
        for student in sorted(table):
            if grade_id not in table[student]:
                continue  # not marked yet
            score = table[student][grade_id][0] or 0.0
            q.marked += 1
            q.total += score
            if score >= q.points:
                q.full += 1
            else:
                q.lost_by.append(student)
                q.points_lost += q.points - score
            for name in mistakes.get(student, {}).get(grade_id, []):
                q.mistakes.setdefault(name, []).append(student)
        q.mistakes = dict(sorted(q.mistakes.items(), key=lambda item: (-len(item[1]), item[0])))
        found.append(q)
    return found


def most_missed(found: list[Question]) -> list[Question]:
    """The questions that cost the class points, most points lost first (ties: notebook order)."""
    return sorted((q for q in found if q.points_lost > 0), key=lambda q: (-q.points_lost, q.number))
