"""The roster, renamed notebooks, and the errors collect explains in words."""
from __future__ import annotations

import pytest

from autograder.cli import main
from autograder.collect import CollectError, collect
from autograder.collect.roster import read_roster
from autograder.collect.submission import Who, names_notebook


def roster(tmp_path, text):
    path = tmp_path / "roster.csv"
    path.write_text(text)
    return path


def test_nbgrader_student_import_csv_is_a_roster_and_platform_columns_are_optional(tmp_path):
    found = read_roster(roster(tmp_path, "id,first_name,last_name,email\nu1,Ana Maria,Lopez,Ana@Example.edu\n"))
    assert found.find(Who(("999",), None, "ana@example.edu")) == "u1"
    assert found.find(Who(name="Ana Maria Lopez")) == "u1"  # Moodle, Gradescope
    assert found.find(Who(name="lopezanamaria")) == "u1"  # Canvas's sortable name
    assert found.find(Who(("999",), "Someone Else")) is None


def test_platform_id_columns_map_to_the_student_id(tmp_path):
    found = read_roster(roster(tmp_path, "id,lms_user_id,lms_id,username,sid\nu1,48213,m77,alopez,1234567\n"))
    assert {found.find(Who((x,))) for x in ("48213", "m77", "alopez", "1234567", "u1")} == {"u1"}


def test_a_name_two_students_share_never_matches(tmp_path):
    found = read_roster(roster(tmp_path, "id,first_name,last_name\nu1,Li,Wang\nu2,Li,Wang\nu3,Wang,Li\n"))
    assert found.find(Who(name="Li Wang")) is None


def test_a_roster_without_an_id_column_is_explained(tmp_path):
    with pytest.raises(CollectError, match=r"has no `id` column \(its columns: student, email\)"):
        read_roster(roster(tmp_path, "student,email\nu1,a@example.edu\n"))


@pytest.mark.parametrize("text, words", [
    ("id\nu1\nu1\n", "id 'u1' is listed twice"),
    ("id\nAna Lopez\n", "id 'Ana Lopez' cannot be a folder name"),
])
def test_roster_ids_that_cannot_be_student_folders_are_refused(tmp_path, text, words):
    with pytest.raises(CollectError, match=words):
        read_roster(roster(tmp_path, text))


@pytest.mark.parametrize("filename, how", [
    ("forward_propagation.ipynb", 2), ("Copy of forward_propagation.ipynb", 1),
    ("forward_propagation (1).ipynb", 1), ("forward_propagation-2.ipynb", 1),
    ("Forward Propagation.ipynb", 2), ("my_work.ipynb", 0), ("backpropagation.ipynb", 0),
])
def test_renamed_copies_of_the_assignment_notebook_are_recognised(filename, how):
    assert names_notebook(filename, "forward_propagation") == how


def test_a_source_that_is_neither_a_folder_nor_a_zip_is_explained(tmp_path):
    source = tmp_path / "grades.xlsx"
    source.write_bytes(b"PK not really")
    with pytest.raises(CollectError, match="neither a folder nor a zip file"):
        collect(source, "a1", tmp_path)
    with pytest.raises(CollectError, match="no such file or folder"):
        collect(tmp_path / "missing.zip", "a1", tmp_path)


def test_a_pattern_without_a_student_group_is_explained(tmp_path):
    with pytest.raises(CollectError, match=r"no \(\?P<student>\.\.\.\) group"):
        collect(tmp_path, "a1", tmp_path, pattern=r"\d+")


def test_the_command_line_says_what_is_wrong_without_a_traceback(tmp_path, capsys):
    (tmp_path / "inbox").mkdir()
    bad = roster(tmp_path, "name\nAna\n")
    with pytest.raises(SystemExit) as exit:
        main(["collect", str(tmp_path / "inbox"), "forward_propagation", "--roster", str(bad)])
    assert exit.value.code == 2
    assert "collect: the roster" in capsys.readouterr().err
