from .harness import AssignmentTests


class TestForwardPropagation(AssignmentTests):
    assignment = "forward_propagation"

    def test_harmless_warning_in_a_grade_cell_does_not_cost_points(self, graded):
        # This variant's cross-entropy warns on the probabilities the clipping test passes.
        scores = graded.scores["correct-equivalent-formulas"]
        cell = scores["categorical_cross_entropy_clips_probabilities_at_0_and_1"]
        assert cell.score == cell.max_score
