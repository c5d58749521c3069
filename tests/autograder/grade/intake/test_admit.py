"""admit.from_earlier_release: a test cell whose text an earlier release had is not an edit."""
from __future__ import annotations

import copy

import pytest

from autograder.grade.intake import admit
from autograder.release.history import text_digest

from tests.autograder import tiny_course as tiny

EARLIER = "# Check double (as first released)\n"


@pytest.fixture
def release():
    return tiny.source_notebook()


def _cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _history(release, *texts):
    """The release history: test_double as released now and with each of `texts` before."""
    return {"test_double": {text_digest(_cell(release, "test_double").source), *map(text_digest, texts)}}


def test_a_test_cell_as_an_earlier_release_had_it_is_recognised_by_the_release_history(release):
    submitted = copy.deepcopy(release)
    earlier = EARLIER + _cell(release, "test_double").source
    _cell(submitted, "test_double").source = earlier + "\n"  # editors differ in trailing white space
    assert admit.from_earlier_release(submitted, release, _history(release, earlier)) == ["test_double"]


def test_an_edited_test_cell_is_not_taken_for_an_earlier_release_whatever_its_metadata_says(release):
    submitted = copy.deepcopy(release)
    cell = _cell(submitted, "test_double")
    cell.source = "# Check that double doubles\npass"
    cell.metadata["nbgrader"]["checksum"] = "a checksum recomputed for the edited text"
    earlier = EARLIER + _cell(release, "test_double").source
    assert admit.from_earlier_release(submitted, release, _history(release, earlier)) == []


def test_test_cells_as_released_now_or_without_a_history_are_not_from_an_earlier_release(release):
    assert admit.from_earlier_release(copy.deepcopy(release), release, _history(release)) == []
    submitted = copy.deepcopy(release)
    _cell(submitted, "test_double").source = EARLIER + _cell(release, "test_double").source
    assert admit.from_earlier_release(submitted, release, {}) == []


def test_each_release_adds_its_test_cells_texts_to_the_history_and_keeps_the_earlier_ones(tmp_path, release):
    from nbformat import write

    from autograder.release.history import record_release, released_tests

    path = tmp_path / "release" / "tiny" / "tiny.ipynb"
    path.parent.mkdir(parents=True)
    write(release, path)
    record_release(tmp_path, "tiny")
    first = released_tests(tmp_path, "tiny")["tiny"]
    assert set(first) == {"test_square", "test_double"}
    _cell(release, "test_double").source = EARLIER + _cell(release, "test_double").source
    write(release, path)
    record_release(tmp_path, "tiny")
    record_release(tmp_path, "tiny")  # releasing again adds nothing new
    history = released_tests(tmp_path, "tiny")["tiny"]
    assert history["test_square"] == first["test_square"]
    assert history["test_double"] == first["test_double"] | {text_digest(_cell(release, "test_double").source)}
