"""The few gradebook writes grading makes besides nbgrader's own: zeros where nbgrader gives none."""
from __future__ import annotations

from nbgrader.api import Gradebook


def graded_in_gradebook(db_url: str, course_id: str, assignment: str) -> set[tuple[str, str]]:
    """(student, notebook) pairs the gradebook holds scores for."""
    with Gradebook(db_url, course_id) as gb:
        return {(sub.student_id, nb.name) for sub in gb.assignment_submissions(assignment)
                for nb in sub.notebooks if any(g.auto_score is not None for g in nb.grades)}


def zero_notebook(db_url: str, course_id: str, assignment: str, student: str, notebook: str) -> None:
    """Score 0 on every grade cell of a notebook that could not be graded (e.g. not a notebook)."""
    with Gradebook(db_url, course_id) as gb:
        gb.update_or_create_student(student)
        gb.update_or_create_submission(assignment, student)
        for grade in gb.find_submission_notebook(notebook, assignment, student).grades:
            grade.auto_score = 0
            grade.needs_manual_grade = False
        gb.db.commit()


def zero_deleted(db_url: str, course_id: str, assignment: str, student: str, notebook: str,
                 grade_ids: list[str]) -> list[str]:
    """Grade cells a submission deleted get no score from nbgrader; give them 0."""
    zeroed = []
    with Gradebook(db_url, course_id) as gb:
        for grade in gb.find_submission_notebook(notebook, assignment, student).grades:
            if grade.name in grade_ids and grade.auto_score is None:
                grade.auto_score = 0
                grade.needs_manual_grade = False
                zeroed.append(grade.name)
        gb.db.commit()
    return zeroed
