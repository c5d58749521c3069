import nbformat
from nbgrader import utils

from autograder.course import ROOT

ASSIGNMENT = "mnist_mlp"
WRITTEN_ANSWERS = ("why_not_standard_normal_weights", "why_softmax_per_row", "why_learning_rate_too_large")
STEPS = ("mlp_init", "mlp_forward", "mlp_backward", "mlp_train_step", "mlp_predict", "mlp_fit")


def _source_cells():
    return nbformat.read(ROOT / "source" / "mnist_mlp" / "mnist_mlp.ipynb", as_version=4).cells


def _grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _texts(cell) -> str:
    """What a cell showed: its printed text and its error messages."""
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", "") if out.get("output_type") == "stream" else out.get("evalue", ""))
    return "\n".join(parts)


def test_three_written_answers_of_two_points_each():
    answers = [c for c in _source_cells() if utils.is_grade(c) and utils.is_solution(c)]
    assert [c.metadata.nbgrader["grade_id"] for c in answers] == list(WRITTEN_ANSWERS)
    assert all(c.metadata.nbgrader["points"] == 2 for c in answers)


def test_experiments_are_skipped_while_grading():
    for cell in _source_cells():
        if cell.cell_type == "code" and ".fit(" in cell.source and "nbgrader" not in cell.metadata:
            assert "if not GRADING:" in cell.source, cell.source[:80]


def test_each_step_is_an_answer_cell_followed_by_its_visible_check_then_its_grade_cell():
    cells = [c for c in _source_cells() if c.cell_type == "code" and "nbgrader" in c.metadata]
    for step in STEPS:
        index = next(i for i, c in enumerate(cells) if _grade_id(c) == step)
        check = cells[index + 1]
        assert not utils.is_grade(check) and not utils.is_solution(check) and "check" in _grade_id(check), step
        graded_or_next = next(c for c in cells[index + 1:] if utils.is_grade(c) or utils.is_solution(c))
        assert utils.is_grade(graded_or_next) and not utils.is_solution(graded_or_next), f"{step} has no grade cell"


def test_each_mistake_is_named_by_a_visible_check_before_its_first_grade_cell(graded, mistake):
    nb = graded.autograded(mistake.student, ASSIGNMENT)
    named = f"likely mistake: {mistake.description}"
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if utils.is_grade(cell) and _grade_id(cell) in mistake.loses:
            break
        if named in _texts(cell):
            assert not utils.is_grade(cell)
            return
    raise AssertionError(f"no visible check names {mistake.description!r} before {mistake.loses[0]}")
