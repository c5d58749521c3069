"""The few gradebook writes grading makes besides nbgrader's own: zeros where nbgrader gives none;
and one database engine for every gradebook nbgrader opens while a batch is graded."""
from __future__ import annotations

from contextlib import contextmanager

from nbgrader.api import Gradebook


@contextmanager
def one_engine():
    """While inside, every nbgrader `Gradebook` this process opens shares one SQLAlchemy engine
    per database URL, disposed of on the way out.

    nbgrader opens the gradebook about ten times per submission (the converter, OverwriteCells,
    SaveAutoGrades, AssignLatePenalties...), each time with an engine of its own, and a new
    engine compiles every query again: that was a fifth of the grading process's work. Each
    `Gradebook.close()` still disposes of the engine's connections, so no connection or
    transaction outlives the Gradebook that opened it; only compiled queries are kept.
    """
    import nbgrader.api as api
    from sqlalchemy import create_engine

    engines: dict = {}

    def shared(url, **options):
        key = (str(url), tuple(sorted(options.items())))
        if key not in engines:
            engines[key] = create_engine(url, **options)
        return engines[key]

    saved, api.create_engine = api.create_engine, shared
    try:
        yield
    finally:
        api.create_engine = saved
        for engine in engines.values():
            engine.dispose()


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
