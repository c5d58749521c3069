import nbformat
import pytest

from autograder.course import ROOT

ASSIGNMENT = "forward_propagation"  # the assignment `assignment` and `graded` stand for here (conftest.py)


def test_harmless_warning_in_a_grade_cell_does_not_cost_points(graded):
    # This variant's cross-entropy warns on the probabilities the clipping test passes.
    scores = graded.scores["correct-equivalent-formulas"]
    cell = scores["categorical_cross_entropy_clips_probabilities_at_0_and_1"]
    assert cell.score == cell.max_score


VISIBLE_MISTAKES = [  # (visible check, the sample mistake's cell, the words the check must say)
    ("dense_forward_visible_check", "mistake-dense-transposed", "likely mistake: dense_forward multiplies by the transposed"),
    ("sigmoid_visible_check", "mistake-sigmoid-sign", "likely mistake: the sign inside exp is flipped"),
    ("softmax_visible_check", "mistake-softmax-whole-batch", "likely mistake: softmax normalised over the whole batch"),
]


@pytest.mark.parametrize("check, student, words", VISIBLE_MISTAKES, ids=[s for _, s, _ in VISIBLE_MISTAKES])
def test_a_visible_check_names_the_mistake_before_grading(check, student, words):
    import numpy as np

    from autograder.samples import load_samples
    from nnkit.checks import CheckFailure, call, check_close, use_likely_mistakes

    nb = nbformat.read(ROOT / "source" / "forward_propagation" / "forward_propagation.ipynb", as_version=4)
    source = next(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == check)
    sample = next(s for s in load_samples("forward_propagation") if s.student == student)
    namespace = {"np": np, "call": call, "check_close": check_close}
    use_likely_mistakes("forward_propagation")  # as the notebook's imports cell does
    for code in sample.cells.values():
        exec(code, namespace)
    with pytest.raises(CheckFailure) as failure:
        exec(source, namespace)
    assert words in str(failure.value)
