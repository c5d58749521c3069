"""Similar submissions: planted copies are found, independent correct work is not paired.

The material is the course's own: each assignment's correct variants (samples/<assignment>.py),
written independently of the instructor's solution, and copies of them disguised three ways
at once: variables and arguments renamed, functions in another order, comments added.
"""
from __future__ import annotations

import ast
import builtins

import nbformat
import pytest

from autograder.course import ROOT, available
from autograder.report.similarity import THRESHOLD, clusters, own_code, similar_pairs, template
from autograder.cells import defined_names
from autograder.samples import _without_markers, load_samples

# Correct variants that are the instructor's solution with one detail changed, by design: a
# reviewer would rightly be shown them next to the solution.
EDITS_OF_THE_SOLUTION = {"correct-relu-subgradient-1-at-0"}


def disguised(code: str) -> str:
    """`code` with its variables and arguments renamed, its top-level definitions in reverse
    order, every line commented, as a student hiding a copy would."""
    tree = ast.parse(code)
    keep = set(dir(builtins)) | {"np", "self"}
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    names |= {a.arg for n in ast.walk(tree) if isinstance(n, ast.arguments) for a in n.args + n.kwonlyargs}
    rename = {name: f"my_{name.lower()}_v" for name in names - keep}

    class Rename(ast.NodeTransformer):
        def visit_Name(self, node):
            node.id = rename.get(node.id, node.id)
            return node

        def visit_arg(self, node):
            node.arg = rename.get(node.arg, node.arg)
            return node

    tree = Rename().visit(tree)
    defs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    rest = [n for n in tree.body if n not in defs]
    tree.body = rest[:1] + defs[::-1] + rest[1:]
    lines = ast.unparse(tree).split("\n")
    return "\n".join(f"{line}  # step {i}" if line.strip() else line for i, line in enumerate(lines))


def _solution(assignment: str, key: str) -> str | None:
    nb = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution"):
            code = _without_markers(cell.source)
            if meta["grade_id"] == key or key in defined_names(code):
                return code
    return None


def _variants():
    for assignment in available():
        for sample in load_samples(assignment):
            if sample.student.startswith("correct") and not sample.loses:
                yield pytest.param(assignment, sample, id=f"{assignment}:{sample.student}")


@pytest.mark.parametrize("assignment, variant", list(_variants()))
def test_a_disguised_copy_of_a_submission_is_paired_with_it(assignment, variant):
    code = "\n\n".join(variant.cells.values())
    pairs = similar_pairs({"original": code, "copy": disguised(code)})
    assert [(p.first, p.second) for p in pairs] == [("copy", "original")]
    assert min(pairs[0].share) >= THRESHOLD and pairs[0].lines[0] and pairs[0].lines[1]


@pytest.mark.parametrize("assignment, variant", list(_variants()))
def test_an_independent_correct_variant_is_not_paired_with_the_solution(assignment, variant):
    if variant.student in EDITS_OF_THE_SOLUTION:
        pytest.skip("this variant is the solution with one detail changed, by design")
    solution = "\n\n".join(filter(None, (_solution(assignment, key) for key in variant.cells)))
    assert solution, "the variant's cells are found in the source notebook"
    assert similar_pairs({"solution": solution, variant.student: "\n\n".join(variant.cells.values())}) == []


def test_the_release_template_is_not_counted_as_anyones_code():
    nb = nbformat.read(ROOT / "release" / "backpropagation" / "backpropagation.ipynb", as_version=4)
    base = template(nb)
    codes = {"a": own_code(nb) + "\nx = 1", "b": own_code(nb) + "\ny = [2, 3]"}
    assert similar_pairs(codes, base) == []
    assert similar_pairs(codes) != []  # without the template, the provided code alone pairs them


def test_pairs_form_clusters_largest_first():
    code = "\n\n".join(next(s for s in load_samples("optimizers") if s.student == "correct-nnfs-book-style").cells.values())
    pairs = similar_pairs({"a": code, "b": disguised(code), "c": code + "\n# mine", "d": "print('hello world')"})
    assert clusters(pairs) == [["a", "b", "c"]]
    assert pairs == sorted(pairs, key=lambda p: -p.similarity)
