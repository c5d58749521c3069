"""Hostile and damaged exports: each attack gains nothing, and every other student is placed."""
from __future__ import annotations

import json

import nbformat
import pytest

from autograder.collect import collect, forms
from autograder.collect.export import LINK

from .hostile import NESTED_JSON, Entry, label_of, laid_out, notebook, zipped

A1 = "forward_propagation"
SOLUTION = notebook("the instructor's solution")


def placed_labels(root) -> dict[str, str]:
    return {p.parts[-3]: label_of(p.read_bytes()) for p in (root / "submitted").glob(f"*/{A1}/{A1}.ipynb")}


@pytest.fixture
def source_notebook(tmp_path):
    path = tmp_path / "course" / "source" / A1 / f"{A1}.ipynb"
    path.parent.mkdir(parents=True)
    path.write_bytes(SOLUTION)
    return path


def test_a_link_to_the_instructors_notebook_in_a_folder_export_is_never_followed(tmp_path, source_notebook):
    inbox = laid_out([Entry(f"u1/{A1}.ipynb", notebook("u1")),
                      Entry(f"u2/{A1}.ipynb", damage="link", target=str(source_notebook))], tmp_path / "inbox")
    (inbox / "u3").symlink_to(source_notebook.parent)  # a linked folder is not entered either
    result = collect(inbox, A1, tmp_path / "course")
    assert placed_labels(tmp_path / "course") == {"u1": "u1"}
    assert result.not_placed[str(inbox / "u2" / f"{A1}.ipynb")] == LINK
    assert result.not_placed[str(inbox / "u3")] == LINK


def test_a_link_stored_in_a_zip_is_listed_not_read_as_a_notebook(tmp_path, source_notebook):
    export = tmp_path / "export.zip"
    export.write_bytes(zipped([Entry(f"u1_{A1}.ipynb", notebook("u1")),
                               Entry(f"u2_{A1}.ipynb", damage="link", target=str(source_notebook))]))
    result = collect(export, A1, tmp_path / "course")
    assert placed_labels(tmp_path / "course") == {"u1": "u1"}
    assert result.not_placed[f"{export}!u2_{A1}.ipynb"] == LINK


def test_a_zip_without_zip_in_its_name_is_read_as_the_zip_it_is(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "u1_work").write_bytes(zipped([Entry(f"{A1}.ipynb", notebook("u1 zipped"))]))
    collect(inbox, A1, tmp_path)
    assert placed_labels(tmp_path) == {"u1_work": "u1 zipped"}


@pytest.mark.parametrize("damage", ["bad crc", "month 0"])
def test_one_damaged_zip_member_stops_no_one(tmp_path, damage):
    export = tmp_path / "export.zip"
    export.write_bytes(zipped([Entry(f"u1_{A1}.ipynb", notebook("u1")),
                               Entry(f"u2_{A1}.ipynb", notebook("u2 damaged"), damage=damage),
                               Entry(f"u3_{A1}.ipynb", notebook("u3"))]))
    result = collect(export, A1, tmp_path)
    if damage == "bad crc":
        assert placed_labels(tmp_path) == {"u1": "u1", "u3": "u3"}
        assert "damaged or unreadable inside its zip" in result.not_placed[f"{export}!u2_{A1}.ipynb"]
        assert "upload it again" in result.not_placed[f"{export}!u2_{A1}.ipynb"]
    else:  # a date that is not a date is only no date
        assert placed_labels(tmp_path) == {"u1": "u1", "u2": "u2 damaged", "u3": "u3"}


def test_a_damaged_newest_file_falls_back_to_the_students_older_one_and_says_so(tmp_path):
    export = tmp_path / "export.zip"
    export.write_bytes(zipped([Entry(f"u1/Copy of {A1}.ipynb", notebook("u1 first")),
                               Entry(f"u1/{A1}.ipynb", notebook("u1 preferred, damaged"), damage="bad crc")]))
    result = collect(export, A1, tmp_path)
    assert placed_labels(tmp_path) == {"u1": "u1 first"}
    outcomes = {r["file"].rsplit("/", 1)[-1]: r["outcome"] for r in result.files}
    assert outcomes == {f"Copy of {A1}.ipynb": "placed", f"{A1}.ipynb": "not placed"}


def test_deeply_nested_json_is_placed_as_invalid_and_stops_no_one(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / f"u1_{A1}.ipynb").write_bytes(notebook("u1"))
    (inbox / f"u2_{A1}.ipynb").write_bytes(NESTED_JSON)
    result = collect(inbox, A1, tmp_path)
    assert sorted(result.placed) == ["u1", "u2"]
    assert "nested deeper" in result.invalid["u2"]


@pytest.mark.parametrize("suffix, text", [
    (".py", "# %%\nlabel = 'u1 as py'\n\n# %% [markdown]\n# notes\n"),
    (".md", "```python\nlabel = 'u1 as md'\n```\n")])
def test_a_jupytext_text_form_is_converted_placed_and_noted(tmp_path, suffix, text):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / f"u1_{A1}{suffix}").write_text(text)
    result = collect(inbox, A1, tmp_path)
    assert placed_labels(tmp_path) == {"u1": f"u1 as {suffix[1:]}"} and "u1" not in result.invalid
    assert "jupytext" in result.converted["u1"]


def test_a_notebook_and_its_text_form_place_the_notebook_and_list_the_text(tmp_path):
    inbox = tmp_path / "inbox" / "u1"
    inbox.mkdir(parents=True)
    (inbox / f"{A1}.ipynb").write_bytes(notebook("u1 notebook"))
    (inbox / f"{A1}.py").write_text("label = 'u1 script'\n")
    result = collect(tmp_path / "inbox", A1, tmp_path)
    assert placed_labels(tmp_path) == {"u1": "u1 notebook"} and "text form" in result.replaced[0]


def test_a_notebook_over_the_size_limit_is_placed_without_its_outputs_and_noted(tmp_path, monkeypatch):
    monkeypatch.setattr(forms, "MAX_BYTES", 20_000)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / f"u1_{A1}.ipynb").write_bytes(notebook("u1", output="x" * 100_000))
    (inbox / f"u2_{A1}.ipynb").write_bytes(b"{" + b" " * 30_000)
    result = collect(inbox, A1, tmp_path)
    assert placed_labels(tmp_path) == {"u1": "u1"}
    placed = nbformat.reads((tmp_path / "submitted/u1" / A1 / f"{A1}.ipynb").read_text(), as_version=4)
    assert placed.cells[0].outputs == [] and "over the 0 MB limit; placed without its outputs" in result.converted["u1"]
    assert "not a notebook (not JSON)" in result.not_placed[str(inbox / f"u2_{A1}.ipynb")]


def test_names_in_any_alphabet_keep_their_letters_and_the_record_says_how(tmp_path):
    inbox = tmp_path / "inbox"
    for name in ("王力", "José Núñez", "Ana Lopez", "Ana-Lopez", "ana lopez"):
        folder = inbox / f"39786-6406 - {name} - Nov 29, 2026 1022 PM"
        folder.mkdir(parents=True)
        (folder / f"{A1}.ipynb").write_bytes(notebook(name))
    result = collect(inbox, A1, tmp_path)
    assert result.platform == "brightspace"
    labels = placed_labels(tmp_path)
    assert labels["王力"] == "王力" and labels["José-Núñez"] == "José Núñez"
    assert sorted(v for k, v in labels.items() if k.casefold().startswith("ana")) == ["Ana Lopez", "Ana-Lopez", "ana lopez"]
    assert result.ids["王力"] == "from the brightspace export's name '王力'"
    assert sum("-2 added" in how or "-3 added" in how for how in result.ids.values()) == 2


def test_collect_json_lists_every_file_with_its_outcome(tmp_path):
    export = tmp_path / "export.zip"
    export.write_bytes(zipped([Entry(f"u1_{A1}.ipynb", notebook("u1")), Entry("u1_notes.pdf", b"%PDF"),
                               Entry(f"u2_{A1}.ipynb", notebook("u2"), damage="bad crc")]))
    collect(export, A1, tmp_path)
    kept = json.loads((tmp_path / "reports" / A1 / "collect.json").read_text())
    assert {(r["file"].split("!")[1], r["outcome"]) for r in kept["files"]} == {
        (f"u1_{A1}.ipynb", "placed"), ("u1_notes.pdf", "not placed"), (f"u2_{A1}.ipynb", "not placed")}


def test_a_file_larger_than_collect_reads_is_listed_with_what_to_ask(tmp_path, monkeypatch):
    monkeypatch.setattr(forms, "MAX_READ", 10_000)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / f"u1_{A1}.ipynb").write_bytes(notebook("u1", output="x" * 20_000))
    (inbox / f"u2_{A1}.ipynb").write_bytes(notebook("u2"))
    result = collect(inbox, A1, tmp_path)
    assert placed_labels(tmp_path) == {"u2": "u2"}
    assert "clear its outputs" in result.not_placed[str(inbox / f"u1_{A1}.ipynb")]


def test_files_the_operating_system_wrote_beside_a_notebook_are_listed_as_its_never_placed(tmp_path):
    # A Mac copying to a share writes `._name` (AppleDouble) beside each file: it is named like the
    # notebook, and placed it would be the student's only, unreadable, notebook.
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / f"u1_{A1}.ipynb").write_bytes(notebook("u1"))
    (inbox / f"._u2_{A1}.ipynb").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    (inbox / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    result = collect(inbox, A1, tmp_path)
    assert placed_labels(tmp_path) == {"u1": "u1"}
    assert {name.rsplit("/", 1)[-1]: why for name, why in result.not_placed.items()} == {
        f"._u2_{A1}.ipynb": "written by the operating system, not by the student",
        ".DS_Store": "written by the operating system, not by the student"}
