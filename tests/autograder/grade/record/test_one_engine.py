"""While a batch is graded, nbgrader's Gradebooks share one engine, and every write is on disk
when its Gradebook closes."""
from __future__ import annotations

import sqlite3

import nbgrader.api as api
import pytest
from nbgrader.api import Gradebook

from autograder.course import interpreter_on_path
from autograder.grade.record.gradebook import one_engine


@pytest.fixture(autouse=True)
def alembic_on_path():
    interpreter_on_path()  # a new gradebook runs `alembic`


def students_on_disk(path) -> set[str]:
    with sqlite3.connect(path) as db:  # another connection, as another process would read it
        return {row[0] for row in db.execute("SELECT id FROM student")}


def test_gradebooks_opened_in_turn_share_one_engine_and_each_write_is_on_disk_when_it_closes(tmp_path):
    path = tmp_path / "gradebook.db"
    url = f"sqlite:///{path}"
    with one_engine():
        with Gradebook(url, "course") as first:
            first.update_or_create_student("ada")
        assert students_on_disk(path) == {"ada"}
        with Gradebook(url, "course") as second, Gradebook(url, "course") as nested:
            assert second.engine is first.engine is nested.engine
            second.update_or_create_student("bo")
            assert {s.id for s in nested.students} == {"ada", "bo"}
        assert students_on_disk(path) == {"ada", "bo"}


def test_outside_a_batch_each_gradebook_has_its_own_engine_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    saved = api.create_engine
    with one_engine():
        with Gradebook(url, "course") as inside:
            pass
    assert api.create_engine is saved
    with Gradebook(url, "course") as first, Gradebook(url, "course") as second:
        assert first.engine is not second.engine is not inside.engine
