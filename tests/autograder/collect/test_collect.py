"""Importing submissions from folders and LMS zip exports into submitted/."""
from __future__ import annotations

import io
import json
import zipfile

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from autograder.collect import collect

NOTEBOOK = nbformat.writes(new_notebook(cells=[new_code_cell("x = 1")])).encode()


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def placed(root, student, assignment="a1"):
    return root / "submitted" / student / assignment / f"{assignment}.ipynb"


def test_one_file_per_student_is_placed_under_the_assignment_notebook_name(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "u1_my work.ipynb").write_bytes(NOTEBOOK)
    (inbox / "u2-a1.ipynb").write_bytes(NOTEBOOK)
    result = collect(inbox, "a1", tmp_path)
    assert sorted(result.placed) == ["u1", "u2-a1"]
    assert placed(tmp_path, "u1").read_bytes() == NOTEBOOK


def test_a_folder_per_student_names_the_student(tmp_path):
    inbox = tmp_path / "inbox"
    (inbox / "ada").mkdir(parents=True)
    (inbox / "ada" / "whatever.ipynb").write_bytes(NOTEBOOK)
    assert list(collect(inbox, "a1", tmp_path).placed) == ["ada"]


def test_lms_zip_with_one_zip_per_student_inside(tmp_path):
    export = tmp_path / "export.zip"
    export.write_bytes(zipped({"u1_a1.zip": zipped({"nested/a1.ipynb": NOTEBOOK}),
                               "u2_a1.ipynb": NOTEBOOK}))
    result = collect(export, "a1", tmp_path)
    assert sorted(result.placed) == ["u1", "u2"] and not result.not_placed


def test_invalid_notebooks_are_placed_and_recorded(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "u1.ipynb").write_bytes(b"{not json")
    (inbox / "u2.ipynb").write_bytes(json.dumps({"cells": 3}).encode())
    result = collect(inbox, "a1", tmp_path)
    assert result.invalid["u1"].startswith("not valid JSON")
    assert result.invalid["u2"].startswith("not a notebook")
    assert placed(tmp_path, "u1").read_bytes() == b"{not json"
    assert "u1" in (tmp_path / "reports" / "a1" / "collect.json").read_text()


def test_files_that_cannot_be_placed_are_listed_with_the_reason(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "u1_report.pdf").write_bytes(b"%PDF")
    (inbox / "_anonymous.ipynb").write_bytes(NOTEBOOK)
    (inbox / "broken.zip").write_bytes(b"not a zip")
    result = collect(inbox, "a1", tmp_path)
    reasons = {name.split("/")[-1]: why for name, why in result.not_placed.items()}
    assert reasons == {"u1_report.pdf": "not a notebook file (.pdf)",
                       "_anonymous.ipynb": "no student id in its name",
                       "broken.zip": "not a readable zip file"}


def test_zip_members_cannot_escape_submitted(tmp_path):
    export = tmp_path / "export.zip"
    export.write_bytes(zipped({"../../evil/u9_a1.ipynb": NOTEBOOK}))
    result = collect(export, "a1", tmp_path / "course")
    assert list(result.placed) == ["u9"] and not (tmp_path / "evil").exists()
    assert all((tmp_path / "course" / "submitted") in p.parents
               for p in (tmp_path / "course").rglob("*.ipynb"))


def test_a_later_file_for_the_same_student_replaces_the_earlier_and_says_so(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "u1_v1.ipynb").write_bytes(NOTEBOOK)
    (inbox / "u1_v2.ipynb").write_bytes(b"{}")
    result = collect(inbox, "a1", tmp_path)
    assert len(result.replaced) == 1 and "u1" in result.invalid
