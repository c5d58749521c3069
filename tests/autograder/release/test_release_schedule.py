"""Staged release: the schedule in nbgrader_config.py says what the bundle holds, and release
refuses a schedule whose provided cells would hand out an assignment that is not closed."""
import datetime as dt

import nbformat
import pytest

from autograder.course import ROOT, available
from autograder.release import main, refusal_words, schedule_words
from autograder.release.bundle import CourseBundle, bundle_notebooks, colab_table, course_bundle, write_bundle
from autograder.release.bundle.notebooks import setup_cell
from autograder.release.schedule import (Blocker, CourseRelease, LeftOut, ReleaseRefused, blockers,
                                         check_provided, plan)

COURSE = available()


def test_the_default_schedule_opens_one_assignment_and_leaves_out_the_others():
    staged = plan()
    assert staged.open == ("forward_propagation",) and staged.closed == ()
    assert [left.assignment for left in staged.left_out] == COURSE[1:]
    assert blockers(ROOT, staged) == []


def test_release_says_which_assignments_it_left_out_and_why():
    schedule = CourseRelease(open=["backpropagation"], closed=["forward_propagation"],
                             dates={"gradient_checking": {"opens": "2099-01-11"}})
    words = schedule_words(plan(schedule=schedule))
    assert "open: backpropagation; closed: forward_propagation" in words
    assert "left out: gradient_checking (not open yet: opens 2099-01-11;" in words
    assert "left out: mnist_mlp (not open yet: not in c.CourseRelease.open or .closed;" in words


def test_opening_mnist_mlp_while_optimizers_is_open_is_refused_with_the_cell_and_names():
    staged = plan(schedule=CourseRelease(open=["optimizers", "mnist_mlp"], closed=COURSE[:3]))
    assert blockers(ROOT, staged) == [Blocker("mnist_mlp", "provided_optimizers", "optimizers", ("Adam", "SGD"))]
    with pytest.raises(ReleaseRefused) as refused:
        check_provided(ROOT, staged)
    words = refusal_words(refused.value.blockers)
    assert "mnist_mlp, cell 'provided_optimizers', provides Adam, SGD of optimizers" in words


def test_every_assignment_can_open_once_the_ones_before_it_are_closed():
    for i, assignment in enumerate(COURSE):
        assert blockers(ROOT, plan(schedule=CourseRelease(open=[assignment], closed=COURSE[:i]))) == []


def test_all_five_open_at_once_is_refused_for_every_provided_cell_that_holds_earlier_answers():
    found = blockers(ROOT, plan(schedule=CourseRelease(open=COURSE)))
    assert {(b.assignment, b.cell) for b in found} == {
        ("backpropagation", "provided_forward_propagation"), ("gradient_checking", "provided_graph"),
        ("gradient_checking", "provided_layers"), ("optimizers", "graph_code"), ("optimizers", "spiral_network"),
        ("mnist_mlp", "provided_layers"), ("mnist_mlp", "provided_optimizers")}
    assert Blocker("backpropagation", "provided_forward_propagation", "forward_propagation",
                   ("forward_propagation", "sigmoid")) in found


def test_dates_open_and_close_assignments_from_that_day_on():
    schedule = CourseRelease(dates={"forward_propagation": {"opens": "2027-01-04", "closes": "2027-01-18"},
                                    "backpropagation": {"opens": "2027-01-18"}})
    before = plan(schedule=schedule, today=dt.date(2027, 1, 3))
    assert before.shipped == () and before.left_out[0] == LeftOut("forward_propagation", dt.date(2027, 1, 4))
    during = plan(schedule=schedule, today=dt.date(2027, 1, 10))
    assert during.open == ("forward_propagation",)
    after = plan(schedule=schedule, today=dt.date(2027, 1, 18))
    assert after.open == ("backpropagation",) and after.closed == ("forward_propagation",)
    assert blockers(ROOT, after) == []


@pytest.mark.parametrize("schedule, words", [
    (CourseRelease(open=["mnist"]), "c.CourseRelease.open names 'mnist'"),
    (CourseRelease(open=["optimizers"], closed=["optimizers"]), "both open and closed"),
    (CourseRelease(dates={"optimizers": {"opens": "next monday"}}), "YYYY-MM-DD"),
    (CourseRelease(dates={"optimizers": "2027-01-01"}), '{"opens": "YYYY-MM-DD"'),
])
def test_a_schedule_that_cannot_be_read_stops_with_the_setting_named(schedule, words):
    with pytest.raises(SystemExit, match=words.replace("(", r"\(").replace("{", r"\{")):
        plan(schedule=schedule)


def test_release_refuses_before_writing_anything_and_names_the_cells(tmp_path):
    for name in ("source", "autograder", "nnkit", "provided"):
        (tmp_path / name).symlink_to(ROOT / name)
    config = (ROOT / "nbgrader_config.py").read_text().replace(
        'c.CourseRelease.open = ["forward_propagation"]', 'c.CourseRelease.open = ["optimizers", "mnist_mlp"]')
    (tmp_path / "nbgrader_config.py").write_text(config)
    with pytest.raises(SystemExit) as refused:
        main(assignments=COURSE, root=tmp_path)
    assert "provided_optimizers" in str(refused.value) and "Adam, SGD" in str(refused.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["autograder", "nbgrader_config.py", "nnkit", "provided", "source"]


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory):
    """The bundle on day one (assignment 1 open), then after assignment 2 opens."""
    where = tmp_path_factory.mktemp("releases")
    url = course_bundle().url
    first = write_bundle(CourseBundle(url=url, folder=str(where / "first")), plan=plan())[0]
    second = write_bundle(CourseBundle(url=url, folder=str(where / "second")),
                          plan=plan(schedule=CourseRelease(open=["backpropagation"], closed=COURSE[:1])))[0]
    return first, second


def test_the_bundle_holds_open_and_closed_assignments_and_a_stand_in_for_the_others(two_releases):
    first, second = two_releases
    released = nbformat.read(ROOT / "release" / "backpropagation" / "backpropagation.ipynb", as_version=4)
    in_second = nbformat.read(second / "backpropagation" / "backpropagation.ipynb", as_version=4)
    assert [c.source for c in in_second.cells][2:] == [c.source for c in released.cells][2:]
    stand_in = nbformat.read(first / "backpropagation" / "backpropagation.ipynb", as_version=4)
    assert len(stand_in.cells) == 2 and "not open yet" in stand_in.cells[0].source
    assert "def backward_propagation" not in (first / "backpropagation" / "backpropagation.ipynb").read_text()


def test_a_stand_in_says_in_plain_words_that_its_assignment_is_not_open_and_stops(two_releases):
    stand_in = nbformat.read(two_releases[0] / "mnist_mlp" / "mnist_mlp.ipynb", as_version=4)
    with pytest.raises(RuntimeError, match=r"'mnist_mlp', which is not open yet\. Your instructor will say when"):
        exec(compile(setup_cell(stand_in).source, "setup", "exec"), {"__name__": "__main__"})


def test_the_colab_links_and_notebook_paths_stay_the_same_from_one_release_to_the_next(two_releases):
    first, second = two_releases
    notebooks = {p.relative_to(first).as_posix() for p in first.rglob("*.ipynb")}
    assert notebooks == {p.relative_to(second).as_posix() for p in second.rglob("*.ipynb")} == set(bundle_notebooks())
    table = colab_table(course_bundle(), bundle_notebooks())
    assert table in (first / "README.md").read_text() and table in (second / "README.md").read_text()
