"""The leak test by meaning: code anywhere in the bundle, pasted in place of a student's cell, earns
no points on an open assignment. On today's all-open bundle (the day-one leak) it fails with the names."""
import shutil

import pytest

from autograder.course import ROOT, available
from autograder.release import leak_words
from autograder.release.bundle import CourseBundle, course_bundle, write_bundle
from autograder.release.leaks import Leak, LeakingBundle, batches, check_bundle, found_definitions, graded_leaks
from autograder.release.lookalikes import lookalikes
from autograder.release.schedule import CourseRelease, plan

COURSE = available()


@pytest.fixture(scope="module")
def all_open(tmp_path_factory):
    """The bundle as release wrote it before staging: every assignment open on day one."""
    where = tmp_path_factory.mktemp("all-open")
    return write_bundle(CourseBundle(url=course_bundle().url, folder=str(where / "student")),
                        plan=plan(schedule=CourseRelease(open=COURSE)))[0]


@pytest.fixture(scope="module")
def default(tmp_path_factory):
    where = tmp_path_factory.mktemp("default")
    return write_bundle(CourseBundle(url=course_bundle().url, folder=str(where / "student")))[0]


def test_the_all_open_bundle_holds_earlier_assignments_graded_names_where_the_issue_says(all_open):
    def names(assignment):
        return {(f.name, f.where.split("/")[0]) for f in found_definitions(all_open, assignment)}

    assert names("forward_propagation") == {
        (name, where) for name in ("sigmoid", "forward_propagation")
        for where in ("backpropagation", "gradient_checking", "optimizers")} | {("softmax", "mnist_mlp")}
    assert {name for name, _ in names("backpropagation")} == {
        "backward_propagation", "Dense", "ReLU", "Tanh", "Softmax", "CategoricalCrossEntropy", "SoftmaxCrossEntropy"}
    assert names("optimizers") == {("SGD", "mnist_mlp"), ("Adam", "mnist_mlp")}


def test_a_found_definition_comes_with_the_helpers_a_student_would_paste_along(all_open):
    found = [f for f in found_definitions(all_open, "backpropagation") if f.name == "SoftmaxCrossEntropy"]
    assert found and all("def labels_of" in f.text for f in found)


def test_each_round_holds_one_text_per_name_and_every_text_is_tried(all_open):
    found = found_definitions(all_open, "backpropagation")
    rounds = batches(found)
    assert {(n, f.text) for r in rounds for n, f in r.items()} == {(f.name, f.text) for f in found}
    assert len(rounds) == max(len({f.text for f in found if f.name == n}) for n in {f.name for f in found})


def test_a_leaking_bundle_is_not_written_and_the_old_one_stays(default, tmp_path):
    before = {p.relative_to(default): p.read_bytes() for p in default.rglob("*") if p.is_file()}
    leak = Leak("forward_propagation", "sigmoid", "somewhere", "sigmoid_matches_reference_values", 2.0)

    def leaking(folder):
        raise LeakingBundle([leak])

    with pytest.raises(LeakingBundle):
        write_bundle(CourseBundle(url=course_bundle().url, folder=str(default)), plan=plan(), check=leaking)
    assert {p.relative_to(default): p.read_bytes() for p in default.rglob("*") if p.is_file()} == before
    assert not default.with_name(default.name + ".new").exists()
    assert "somewhere: `sigmoid` earned 2 points on forward_propagation's sigmoid_matches_reference_values" in leak_words([leak])


@pytest.mark.notebook
def test_the_default_bundle_earns_no_points_on_any_open_assignment(default):
    check_bundle(default, plan().open, ROOT, workers=2)


@pytest.mark.notebook
def test_the_leak_test_fails_on_the_day_one_bundle_with_the_names_and_cells(all_open):
    leaks = graded_leaks(ROOT, all_open, "forward_propagation", workers=2)
    assert {(leak.name, leak.where.split("/")[0]) for leak in leaks} == {
        (name, where) for name in ("sigmoid", "forward_propagation")
        for where in ("backpropagation", "gradient_checking", "optimizers")} | {("softmax", "mnist_mlp")}
    assert {leak.grade_id for leak in leaks} >= {"sigmoid_matches_reference_values",
                                                  "forward_propagation_matches_reference_at_several_points",
                                                  "softmax_is_stable_for_large_logits"}


@pytest.mark.slow  # every function of the bundle is run through every visible check of the step
def test_code_under_another_name_that_passes_a_steps_visible_check_is_tried_as_that_step(default, tmp_path):
    folder = tmp_path / "student"
    shutil.copytree(default, folder)
    (folder / "nnkit" / "curves_extra.py").write_text(
        "import numpy as np\n\n\ndef logistic(z):\n    return 0.5 * (1 + np.tanh(np.asarray(z, dtype=float) / 2))\n")
    found = lookalikes(folder, "forward_propagation")
    assert [(f.name, f.where) for f in found] == [("sigmoid", "nnkit/curves_extra.py")]
    assert found[0].text == "from nnkit.curves_extra import logistic\nsigmoid = logistic"


@pytest.mark.notebook
@pytest.mark.parametrize("i", range(len(COURSE)), ids=COURSE)
def test_opening_each_assignment_in_turn_the_bundle_holds_nothing_to_grade_in_its_place(i, tmp_path):
    staged = plan(schedule=CourseRelease(open=[COURSE[i]], closed=COURSE[:i]))
    folder = write_bundle(CourseBundle(url=course_bundle().url, folder=str(tmp_path / "student")), plan=staged)[0]
    assert found_definitions(folder, COURSE[i]) == []
    assert lookalikes(folder, COURSE[i]) == []


@pytest.fixture(scope="module")
def with_provided(tmp_path_factory):
    """Assignment 2 open, and provided/ copied into the bundle by mistake: it holds assignment 2's
    layers and backward pass."""
    where = tmp_path_factory.mktemp("with-provided")
    staged = plan(schedule=CourseRelease(open=["backpropagation"], closed=["forward_propagation"]))
    folder = write_bundle(CourseBundle(url=course_bundle().url, folder=str(where / "student")), plan=staged)[0]
    shutil.copytree(ROOT / "provided", folder / "provided")
    return folder


def test_provided_code_in_the_bundle_is_tried_as_its_text_since_the_grader_cannot_import_it(with_provided):
    found = {f.name: f for f in found_definitions(with_provided, "backpropagation")}
    assert {name: f.where for name, f in found.items()} == {
        **{name: "provided/layers.py" for name in ("Dense", "ReLU", "Tanh", "Softmax", "CategoricalCrossEntropy",
                                                   "SoftmaxCrossEntropy")},
        "backward_propagation": "provided/graph.py"}
    assert "class Dense" in found["Dense"].text and "import provided" not in found["Dense"].text
    assert "def labels_of" in found["SoftmaxCrossEntropy"].text


@pytest.mark.notebook
def test_the_leak_test_refuses_a_bundle_holding_provided_code_of_an_open_assignment(with_provided):
    leaks = graded_leaks(ROOT, with_provided, "backpropagation", workers=2)
    assert {leak.name for leak in leaks} == {"backward_propagation", "Dense", "ReLU", "Tanh", "Softmax",
                                             "CategoricalCrossEntropy", "SoftmaxCrossEntropy"}
    assert {leak.where for leak in leaks} == {"provided/layers.py", "provided/graph.py"}
