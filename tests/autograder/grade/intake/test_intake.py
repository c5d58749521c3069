"""intake.read: notebooks that editors write and Jupyter opens are read, each repair noted.

The fixtures in notebooks/ are built from public bug reports (see notebooks/README.md).
"""
from __future__ import annotations

import json
from pathlib import Path

import nbformat

from autograder.reasons import for_instructor
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.grade.intake import read as intake

FIXTURES = Path(__file__).parents[2] / "notebooks"
REPAIRED = {
    "ids_in_nbformat_4_4": "nbformat_minor 4 disagreed with its cell ids",
    "code_cell_without_execution_count": "execution_count was set to null",
    "colab_code_cell_without_outputs": "a code cell without outputs got an empty list",
    "markdown_cell_with_outputs": "'outputs', which markdown cells may not have, was removed",
    "cell_with_unknown_key_transient": "'transient', which code cells may not have, was removed",
    "colab_widgets_without_state": "widget metadata without a state was removed",
    "widget_output_invalid": "an output that broke the notebook schema was dropped",
    "cells_without_metadata": "missing cell metadata was added (2x)",
    "duplicated_cell_ids": "a duplicated cell id was replaced",
    "nbformat_4_5_without_ids": "a missing cell id was replaced (2x)",
    "nbformat_3": "converted from nbformat 3 to 4",
    "with_byte_order_mark": "a byte-order mark before the JSON was skipped",
}
INVALID = {"not_json": "not valid JSON", "json_not_a_notebook": "no list of cells"}


@pytest.mark.parametrize("name", sorted(REPAIRED))
def test_a_notebook_jupyter_opens_is_read_valid_with_its_repair_noted(name):
    nb, repairs = intake.read((FIXTURES / f"{name}.ipynb").read_bytes())
    nbformat.validate(nb)
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
    assert any(REPAIRED[name] in for_instructor(r) for r in repairs), repairs
    assert "x = 1" in "".join(c.source for c in nb.cells) or name == "widget_output_invalid"


@pytest.mark.parametrize("name", sorted(INVALID))
def test_a_file_that_is_no_notebook_is_refused_saying_why(name):
    with pytest.raises(intake.NotANotebook, match=INVALID[name]):
        intake.read((FIXTURES / f"{name}.ipynb").read_bytes())


def test_cell_ids_written_into_an_older_minor_are_kept_for_role_recovery():
    nb, _ = intake.read((FIXTURES / "ids_in_nbformat_4_4.ipynb").read_bytes())
    assert [c.id for c in nb.cells] == ["roman-indie", "spatial-newman"]


def test_a_valid_current_notebook_needs_no_repair():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    assert intake.read(nbformat.writes(nb).encode())[1] == []


def test_an_older_minor_without_ids_is_upgraded_not_repaired():
    data = json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": "a"}],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 2}).encode()
    assert [for_instructor(n) for n in intake.read(data)[1]] == ["upgraded to nbformat 4.5 (cell ids added)"]


def test_binary_data_is_not_a_notebook():
    with pytest.raises(intake.NotANotebook, match="not UTF-8"):
        intake.read(b"PK\x03\x04\xff\xfe")


def _notebook(cells, metadata=None, **top) -> bytes:
    return json.dumps({"cells": cells, "metadata": metadata or {}, "nbformat": 4, "nbformat_minor": 5, **top}).encode()


def _code(**changes) -> dict:
    return {"cell_type": "code", "id": "a", "metadata": {}, "outputs": [], "execution_count": None,
            "source": "x = 1", **changes}


@pytest.mark.parametrize("data, repair", [
    (_notebook([_code()], {"language_info": {"version": "3.11"}}), "metadata that broke the notebook schema"),
    (_notebook([_code(metadata={"collapsed": "yes", "tags": "x"})]), "metadata that broke the notebook schema"),
    (_notebook([_code(execution_count=-1)]), "invalid execution_count was set to null"),
    (_notebook([_code(outputs=[{"output_type": "stream", "text": "hi"}])]), "an output that broke the notebook schema"),
    (_notebook([{"cell_type": "markdown", "id": "b", "metadata": {}, "source": "x", "attachments": {"a.png": "?"}}]),
     "attachments that broke the notebook schema were dropped"),
    (_notebook([_code()], nbformat="4", nbformat_minor="5"), "its nbformat_minor was '5'"),
    (_notebook([_code(), "junk"]), "not a cell was dropped"),
    (_notebook([_code(id="bad id!")]), "an invalid cell id was replaced"),
    (_notebook([_code(source=None)]), "source that was not text was emptied"),
    (_notebook([{"cell_type": "heading", "id": "h", "metadata": {}, "source": "x"}]), "read as a raw cell"),
], ids=lambda value: value if isinstance(value, str) else "")
def test_schema_violations_that_jupyter_tolerates_are_repaired_and_noted(data, repair):
    nb, repairs = intake.read(data)
    nbformat.validate(nb)
    assert any(repair in for_instructor(r) for r in repairs), repairs


def test_half_characters_that_no_file_can_hold_are_replaced_and_noted():
    # JSON may escape a lone UTF-16 surrogate (JupyterLab's JSON.stringify writes one pasted as
    # half an emoji): valid JSON and valid UTF-8, but no UTF-8 file can hold the character, so
    # the prepared notebook could not be written and the whole submission scored 0.
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1  # HALF"),
                                         nbformat.v4.new_markdown_cell("a \U0001F600 b HALF")])
    nb.metadata["HALF"] = {"HALF": "HALF"}
    data = nbformat.writes(nb).replace("HALF", "\\ud83d").encode()
    read, repairs = intake.read(data)
    assert read.cells[0].source == "x = 1  # \ufffd" and read.cells[1].source == "a \U0001F600 b \ufffd"
    nbformat.writes(read).encode("utf-8")  # what intake's next step does with it
    assert any("half characters" in for_instructor(r) for r in repairs), repairs


_JSON = st.recursive(st.none() | st.booleans() | st.integers(-2, 2) | st.sampled_from(["", "code", "a", "bad id!"]),
                     lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.sampled_from(["a", "id", "source"]),
                                                                                 inner, max_size=2),
                     max_leaves=4)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(cell_type=_JSON, cell_id=_JSON)
def test_a_cell_type_or_cell_id_of_any_json_kind_is_repaired_or_refused_never_a_crash(cell_type, cell_id):
    # A list or an object as a cell's id or cell_type made read raise TypeError (unhashable), which
    # the sorting out of a student's folder did not expect: one file stopped the whole batch.
    data = _notebook([_code(id="a"), {**_code(), "cell_type": cell_type, "id": cell_id}])
    try:
        nb, _ = intake.read(data)
    except intake.NotANotebook:
        return
    nbformat.validate(nb)
    assert len({cell.id for cell in nb.cells}) == len(nb.cells)
