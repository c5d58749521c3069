"""admit.from_earlier_release: a test cell as an older release wrote it is not an edit."""
from __future__ import annotations

import copy

import pytest
from nbgrader.utils import compute_checksum

from autograder import admit

from . import tiny_course as tiny


def _stamp(nb):
    """Checksums on every nbgrader cell, as `generate_assignment` writes them in a release."""
    for cell in nb.cells:
        if "nbgrader" in cell.metadata:
            cell.metadata["nbgrader"]["checksum"] = compute_checksum(cell)
    return nb


@pytest.fixture
def release():
    return _stamp(tiny.source_notebook())


def _cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def test_a_test_cell_from_an_earlier_release_is_recognised_by_its_own_checksum(release):
    earlier = copy.deepcopy(release)
    _cell(earlier, "test_double").source = "# Check double (as first released)\n" + _cell(release, "test_double").source
    submitted = _stamp(earlier)
    assert admit.from_earlier_release(submitted, release) == ["test_double"]


def test_a_test_cell_the_student_edited_is_not_taken_for_an_earlier_release(release):
    submitted = copy.deepcopy(release)
    _cell(submitted, "test_double").source = "# Check that double doubles\npass"
    assert admit.from_earlier_release(submitted, release) == []


def test_test_cells_as_released_now_or_with_damaged_metadata_are_not_from_an_earlier_release(release):
    assert admit.from_earlier_release(copy.deepcopy(release), release) == []
    submitted = copy.deepcopy(release)
    cell = _cell(submitted, "test_double")
    cell.source += "\n# changed"
    del cell.metadata["nbgrader"]["points"]  # compute_checksum cannot run: not as any release wrote it
    assert admit.from_earlier_release(submitted, release) == []
