"""The class's misconceptions counted per question, and the questions by points lost."""
from __future__ import annotations

from autograder.report.misconceptions import most_missed, questions

ORDER = ["sigmoid", "softmax", "essay"]
MAXIMA = {"sigmoid": 2.0, "softmax": 1.0, "essay": 3.0}
TABLE = {
    "ann": {"sigmoid": (0.0, 2.0), "softmax": (1.0, 1.0)},
    "ben": {"sigmoid": (0.0, 2.0), "softmax": (0.0, 1.0), "essay": (3.0, 3.0)},
    "cat": {"sigmoid": (2.0, 2.0), "softmax": (0.0, 1.0)},
    "dan": {"sigmoid": (0.0, 2.0), "softmax": (1.0, 1.0)},
}
MISTAKES = {"ann": {"sigmoid": ["sign-flipped"]}, "ben": {"sigmoid": ["sign-flipped"], "softmax": ["whole-batch"]},
            "dan": {"sigmoid": ["overflows"]}}


def test_each_likely_mistake_is_counted_with_who_made_it_most_common_first():
    sigmoid = questions(TABLE, ORDER, MAXIMA, set(), MISTAKES)[0]
    assert sigmoid.lost_by == ["ann", "ben", "dan"]
    assert sigmoid.mistakes == {"sign-flipped": ["ann", "ben"], "overflows": ["dan"]}


def test_a_written_answer_not_marked_is_not_counted_as_lost():
    essay = questions(TABLE, ORDER, MAXIMA, {"essay"}, MISTAKES)[2]
    assert (essay.marked, essay.full, essay.lost_by) == (1, 1, [])


def test_what_the_class_got_wrong_most_is_ordered_by_points_lost():
    found = questions(TABLE, ORDER, MAXIMA, {"essay"}, MISTAKES)
    assert [(q.grade_id, q.points_lost) for q in most_missed(found)] == [("sigmoid", 6.0), ("softmax", 2.0)]
