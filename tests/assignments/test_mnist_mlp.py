import nbformat
from nbgrader import utils

from autograder.course import ROOT

from .harness import AssignmentTests

WRITTEN_ANSWERS = ("why_not_standard_normal_weights", "why_softmax_per_row", "why_learning_rate_too_large")


def _source_cells():
    return nbformat.read(ROOT / "source" / "mnist_mlp" / "mnist_mlp.ipynb", as_version=4).cells


class TestMnistMlp(AssignmentTests):
    assignment = "mnist_mlp"

    def test_three_written_answers_of_two_points_each(self):
        answers = [c for c in _source_cells() if utils.is_grade(c) and utils.is_solution(c)]
        assert [c.metadata.nbgrader["grade_id"] for c in answers] == list(WRITTEN_ANSWERS)
        assert all(c.metadata.nbgrader["points"] == 2 for c in answers)

    def test_experiments_are_skipped_while_grading(self):
        for cell in _source_cells():
            if cell.cell_type == "code" and ".fit(" in cell.source and not utils.is_grade(cell):
                assert "if not GRADING:" in cell.source, cell.source[:80]

    def test_each_named_mistake_costs_points_with_its_hint_in_the_feedback(self, graded):
        hints = {"mistake-init-standard-normal": "weights drawn from N(0, 1)",
                 "mistake-softmax-whole-batch": "softmax normalised over the whole batch",
                 "mistake-gradient-of-sum": "gradients of the summed loss instead of the mean",
                 "mistake-bias-gradients-zero": "the bias gradients are left at zero",
                 "mistake-predict-probabilities": "predict returns probabilities",
                 "mistake-tanh-derivative-twice": "tanh applied twice in its derivative"}
        for student, hint in hints.items():
            scores = graded.scores[student]
            assert sum(s.score for s in scores.values()) < sum(s.max_score for s in scores.values())
            assert hint in graded.feedback_text(student, self.assignment), student
