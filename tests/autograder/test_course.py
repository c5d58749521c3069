"""Assignments are found under source/ in the order their notebooks declare; every course path
is built in one place, and agrees with nbgrader's own."""
import json
import os

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_notebook

from autograder import course
from autograder.course import ROOT, available, format_path, notebook_path
from autograder.readme import START, assignment_table, replace_between

NAMES = st.lists(st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True), min_size=1, max_size=6, unique=True)


def _assignment(root, name, meta=None):
    folder = root / "source" / name
    folder.mkdir(parents=True)
    nb = new_notebook()
    if meta is not None:
        nb.metadata["course"] = meta
    nbformat.write(nb, folder / f"{name}.ipynb")


@settings(deadline=None, max_examples=15)
@given(NAMES, st.data())
def test_assignments_come_in_the_teaching_order_their_notebooks_declare(tmp_path_factory, names, data):
    root = tmp_path_factory.mktemp("course")
    orders = data.draw(st.lists(st.integers(-5, 5), min_size=len(names), max_size=len(names)))
    undeclared = data.draw(st.sets(st.sampled_from(names)))
    for name, order in zip(names, orders):
        _assignment(root, name, None if name in undeclared else {"order": order, "builds": f"{name}!"})
    declared = sorted((o, n) for n, o in zip(names, orders) if n not in undeclared)
    assert available(root) == [n for _, n in declared] + sorted(undeclared)
    assert [a.builds for a in course.assignments(root)][:len(declared)] == [f"{n}!" for _, n in declared]


def test_a_folder_without_its_notebook_is_not_an_assignment(tmp_path):
    (tmp_path / "source" / "notes").mkdir(parents=True)
    (tmp_path / "source" / "notes" / "other.ipynb").write_text("{}")
    _assignment(tmp_path, "real", {"order": 1})
    assert available(tmp_path) == ["real"]
    assert available(tmp_path / "nowhere") == []


@pytest.mark.parametrize("meta", ["first", {"order": "1"}, {"order": True}, {"order": None}])
def test_a_malformed_teaching_order_is_an_error_naming_the_notebook(tmp_path, meta):
    _assignment(tmp_path, "broken", meta)
    with pytest.raises(ValueError, match=r"source/broken/broken.ipynb.*\"order\" is a number"):
        available(tmp_path)


def test_a_notebook_that_is_not_json_is_an_error_naming_it(tmp_path):
    (tmp_path / "source" / "bad").mkdir(parents=True)
    (tmp_path / "source" / "bad" / "bad.ipynb").write_text("{not json")
    with pytest.raises(ValueError, match="source/bad/bad.ipynb is not a notebook"):
        available(tmp_path)


@pytest.mark.parametrize("step", sorted(course.FOLDERS))
def test_step_folders_are_where_nbgrader_puts_them(step):
    coursedir = course.course_directory(ROOT)
    folder = getattr(coursedir, f"{step}_directory")
    student = "." if step in ("source", "release") else "ada"
    expected = os.path.normpath(coursedir.format_path(folder, student, "forward_propagation"))
    assert str(format_path(step, "forward_propagation", None if student == "." else student, ROOT)) == expected


def test_a_per_student_step_without_a_student_or_an_unknown_step_is_refused():
    with pytest.raises(ValueError, match="per student"):
        format_path("submitted", "forward_propagation")
    with pytest.raises(ValueError, match="unknown step 'graded'"):
        format_path("graded", "forward_propagation", "ada")


def test_student_notebooks_finds_every_students_copy_and_nothing_else(tmp_path):
    for student, assignment in [("ada", "a"), ("bo", "a"), ("bo", "b")]:
        path = notebook_path("submitted", assignment, student, root=tmp_path)
        path.parent.mkdir(parents=True)
        path.write_text("{}")
    assert course.student_notebooks("submitted", "a", tmp_path) == [
        tmp_path / "submitted" / "ada" / "a" / "a.ipynb", tmp_path / "submitted" / "bo" / "a" / "a.ipynb"]
    assert course.student_notebooks("autograded", "a", tmp_path) == []


def test_the_readme_assignment_table_is_generated_from_the_source_notebooks():
    readme = (ROOT / "README.md").read_text()
    assert START in readme
    assert replace_between(readme, assignment_table()) == readme, \
        "README.md's assignment table is stale: run `python -m autograder.readme`"
    for number, name in enumerate(available(), start=1):
        assert f"| {number} | `{name}` |" in readme


def test_every_source_notebook_declares_its_place_and_what_students_build():
    for assignment in available():
        meta = json.loads(notebook_path("source", assignment).read_text())["metadata"]["course"]
        assert isinstance(meta["order"], int) and meta["builds"], assignment
