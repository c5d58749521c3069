from autograder.scores import Score, format_table, grade_ids


def test_table_has_a_row_per_student_a_column_per_question_and_totals():
    scores = {"ann": {"q_a": Score(2, 2), "q_b": Score(0, 1)}, "bob": {"q_a": Score(1, 2), "q_b": Score(1, 1)}}
    lines = format_table("a1", scores, ["q_b", "q_a"]).split("\n")
    assert lines[0] == "a1 (3 points)"
    assert lines[1].split() == ["student", "Q1", "Q2", "total"]
    assert lines[3].split() == ["ann", "0", "2", "2/3"]
    assert lines[4].split() == ["bob", "1", "1", "2/3"]
    assert lines[5:] == ["  Q1: q_b (1)", "  Q2: q_a (2)"]


def test_grade_ids_follow_notebook_order():
    ids = grade_ids("forward_propagation")
    assert ids[0] == "sigmoid_matches_reference_values"
    assert ids[-1] == "worked_example_reproduces_every_layer"


def test_questions_graded_by_hand_are_marked_in_the_legend():
    scores = {"ann": {"q_a": Score(2, 2), "essay": Score(0, 2)}}
    assert format_table("a1", scores, ["q_a", "essay"], ["essay"]).endswith("  Q2: essay (2, graded by hand)")
