"""CheckMetadata accepts and rejects exactly the cells nbgrader's CheckCellMetadata does, checking
nbgrader's schema once however many cells it validates."""
from __future__ import annotations

import jsonschema
import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.preprocessors import CheckCellMetadata

from autograder.grade.preprocessors.check_metadata import CheckMetadata, Validator

KEYS = ("grade", "solution", "locked", "task", "grade_id", "points", "schema_version", "cell_type", "checksum", "extra")
VALUES = st.one_of(st.booleans(), st.integers(-1, 4), st.floats(-1, 3, allow_nan=False), st.sampled_from(["", "q1", "q2", "code", "markdown"]),
                   st.none(), st.lists(st.integers(0, 2), max_size=2))
VALID = st.fixed_dictionaries({"grade": st.booleans(), "solution": st.booleans(), "locked": st.booleans(),
                               "grade_id": st.sampled_from(["q1", "q2", ""]), "schema_version": st.just(3)},
                              optional={"points": st.integers(0, 3), "task": st.booleans(),
                                        "cell_type": st.sampled_from(["code", "markdown"])})
METADATA = st.one_of(VALID, st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8),
                     st.tuples(VALID, st.sampled_from(KEYS), VALUES).map(lambda t: {**t[0], t[1]: t[2]}))
CELLS = st.lists(st.tuples(st.sampled_from(["code", "markdown"]), st.one_of(st.none(), METADATA)), max_size=5)


def notebook(cells):
    nb = nbformat.v4.new_notebook()
    for kind, meta in cells:
        cell = nbformat.v4.new_code_cell("x = 1") if kind == "code" else nbformat.v4.new_markdown_cell("text")
        if meta is not None:
            cell.metadata["nbgrader"] = dict(meta)
        nb.cells.append(cell)
    return nb


def verdict(validator, nb):
    try:
        validator.validate_nb(nb)
    except Exception as err:  # the type and the words are what a caller sees
        return type(err).__name__, str(err)
    return None


@settings(max_examples=100, deadline=None)
@given(CELLS)
def test_a_notebook_fails_exactly_when_nbgraders_check_fails_and_with_the_same_error(cells):
    assert verdict(Validator(), notebook(cells)) == verdict(MetadataValidator(), notebook(cells))


@settings(max_examples=40, deadline=None)
@given(CELLS)
def test_the_preprocessor_raises_as_nbgraders_does(cells):
    def outcome(step):
        try:
            step().preprocess(notebook(cells), {})
        except Exception as err:
            return type(err).__name__, str(err)
        return None

    assert outcome(CheckMetadata) == outcome(CheckCellMetadata)


def test_the_schema_is_checked_at_most_once_however_many_cells(monkeypatch):
    from autograder.grade.preprocessors import check_metadata

    checked = []
    original = jsonschema.Draft4Validator.check_schema
    monkeypatch.setattr(check_metadata, "_VALIDATORS", {})
    monkeypatch.setattr(jsonschema.Draft4Validator, "check_schema",
                        classmethod(lambda cls, schema, **kw: checked.append(1) or original.__func__(cls, schema, **kw)))
    meta = {"grade": True, "solution": False, "locked": True, "points": 1, "schema_version": 3}
    nb = notebook([("code", {**meta, "grade_id": f"q{i}"}) for i in range(40)])
    CheckMetadata().preprocess(nb, {})
    CheckMetadata().preprocess(nb, {})
    assert len(checked) <= 1


def test_a_grade_cell_without_points_is_still_refused():
    nb = notebook([("code", {"grade": True, "solution": False, "locked": True, "grade_id": "q1", "schema_version": 3})])
    with pytest.raises(ValidationError, match="metadata may be corrupted"):
        CheckMetadata().preprocess(nb, {})
