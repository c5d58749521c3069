"""`grade` scores exactly as stock `nbgrader autograde`, and the same on a Dask cluster."""
from __future__ import annotations

import pytest
from nbgrader.api import Gradebook

from autograder.grade import batch

from tests.autograder import tiny_course as tiny
from tests.autograder.tiny_course import WRONG_DOUBLE

pytestmark = pytest.mark.notebook


def scores(root):
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "tiny-course") as gb:
        return {(s.student_id, g.name): g.score for s in gb.assignment_submissions(tiny.ASSIGNMENT)
                for nb in s.notebooks for g in nb.grades}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tiny.make_course(tmp_path_factory.mktemp("course"))
    tiny.submit(root, "honest", tiny.submission(root))
    tiny.submit(root, "wrong", tiny.submission(root, double=WRONG_DOUBLE))
    tiny.submit(root, "untouched", tiny.release(root))
    return root


def test_scores_match_stock_nbgrader_autograde(course):
    tiny.nbgrader(course, "autograde", tiny.ASSIGNMENT, "--force")
    stock = scores(course)
    batch.grade_batch(tiny.ASSIGNMENT, course, force=True, workers=2, progress=False)
    assert scores(course) == stock
    assert stock[("wrong", "test_double")] == 0 and stock[("honest", "test_double")] == 1


def test_grading_on_a_dask_cluster_gives_the_same_scores(course):
    distributed = pytest.importorskip("distributed")
    batch.grade_batch(tiny.ASSIGNMENT, course, force=True, workers=2, progress=False)
    local = scores(course)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        summary = batch.grade_batch(tiny.ASSIGNMENT, course, force=True, progress=False,
                                    scheduler=cluster.scheduler_address)
    assert summary.graded == 3 and scores(course) == local
