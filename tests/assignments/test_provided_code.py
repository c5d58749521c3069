"""One `Dense` and one graph from assignment 3 on (issue 12): provided code never drifts.

Assignment 3's provided cells (`provided_graph`, `provided_layers`) hold the canonical text of the
graph's forward and backward code and of the assignment-2 layers. Wherever assignments 4 and 5
provide one of those names (in a locked cell that is neither a grade nor a solution cell), its
definition must be the same text, so a student reads one implementation across the course.
"""
from __future__ import annotations

import ast

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

from autograder.course import ROOT

CANONICAL = "gradient_checking"
CANONICAL_CELLS = ("provided_graph", "provided_layers")
LATER = ("optimizers", "mnist_mlp")
# The helpers editing assignments 4 and 5 copy the canonical text (briefs/provided-code.md); until
# the lead has merged their branches, their notebooks may still hold older copies.
NOT_YET_COPIED = pytest.mark.xfail(reason="assignments 4 and 5 copy the canonical text; the lead reconciles",
                                   strict=False)


def _is_provided(cell) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and meta.get("locked") and not meta.get("grade") and not meta.get("solution")


def _definitions(source: str) -> list[tuple[str, str]]:
    """(name, exact text) of each top-level function and class of a code cell."""
    python = TransformerManager().transform_cell(source)  # IPython syntax (`!git clone`) as Python
    tree = ast.parse(python)
    return [(node.name, ast.get_source_segment(python, node)) for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef))]


def provided_definitions(assignment: str, grade_ids=None) -> dict[str, list[str]]:
    """name -> the texts of its definitions in the provided cells of `assignment`'s source notebook
    (only the cells named in `grade_ids`, when given)."""
    nb = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    found: dict[str, list[str]] = {}
    for cell in nb.cells:
        if _is_provided(cell) and (grade_ids is None or cell.metadata["nbgrader"].get("grade_id") in grade_ids):
            for name, text in _definitions(cell.source):
                found.setdefault(name, []).append(text)
    return found


def canonical() -> dict[str, str]:
    definitions = provided_definitions(CANONICAL, CANONICAL_CELLS)
    assert all(len(texts) == 1 for texts in definitions.values()), "each name is defined once"
    return {name: texts[0] for name, texts in definitions.items()}


def test_assignment_3_provides_the_graph_and_every_layer_of_assignment_2():
    assert {"sigmoid", "forward_propagation", "backward_propagation", "Dense", "ReLU", "Tanh", "Softmax",
            "CategoricalCrossEntropy", "SoftmaxCrossEntropy"} <= set(canonical())


@pytest.mark.parametrize("assignment", [pytest.param(a, marks=NOT_YET_COPIED) for a in LATER])
def test_later_assignments_provide_the_shared_names_with_the_canonical_text(assignment):
    reference = canonical()
    provided = provided_definitions(assignment)
    assert "Dense" in provided, f"{assignment} provides Dense"
    differing = sorted(name for name, texts in provided.items()
                       if name in reference and any(text != reference[name] for text in texts))
    assert differing == [], f"{assignment} provides {differing} with a text other than assignment 3's"
