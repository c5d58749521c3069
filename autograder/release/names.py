"""What a notebook's cells define, by name: graded names (solution cells), provided code, steps.

A *graded name* is a function or class defined at the top level of a solution cell (the course
contract's rule); its *step* is that solution cell with the grade cells that follow it up to the
next solution cell. A *provided cell* is a locked code cell that is neither a solution nor a
grade cell: code the notebook hands to students.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import nbformat
from IPython.core.inputtransformer2 import TransformerManager


@dataclass(frozen=True)
class Definition:
    """One top-level `def` or `class`: its name, kind ("def"/"class") and exact text."""

    name: str
    kind: str
    text: str


def definitions(source: str) -> list[Definition]:
    """The top-level functions and classes of a cell or module, in order; [] if it does not parse.

    IPython syntax (`%matplotlib`, `!pip`) is read as IPython reads it.
    """
    try:
        python = TransformerManager().transform_cell(source)
        tree = ast.parse(python)
    except (SyntaxError, ValueError):
        return []
    kinds = {ast.FunctionDef: "def", ast.AsyncFunctionDef: "def", ast.ClassDef: "class"}
    return [Definition(node.name, kinds[type(node)], ast.get_source_segment(python, node))
            for node in tree.body if type(node) in kinds]


def _meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def is_provided(cell) -> bool:
    """A locked code cell that is neither a solution nor a grade cell."""
    meta = _meta(cell)
    return cell.cell_type == "code" and bool(meta.get("locked")) and not meta.get("solution") and not meta.get("grade")


@dataclass(frozen=True)
class Step:
    """A graded name, the solution cell defining it, its kind, the grade cells that test it and its
    visible check (the first provided cell after the solution, before its grade cells; None if none)."""

    name: str
    kind: str
    solution: str
    grade_ids: tuple[str, ...]
    visible_check: str | None = None


def steps(nb) -> list[Step]:
    """The graded steps of notebook `nb` (instructor's or student's copy), in notebook order.

    A student's copy still defines the name in its solution cell (`def sigmoid(z): raise
    NotImplementedError()`), so the steps read the same from source/ and release/.
    """
    found: list[Step] = []
    current: list[tuple[Definition, str]] = []
    tests: list[str] = []
    check: list[str] = []

    def close():
        found.extend(Step(d.name, d.kind, cell_id, tuple(tests), (check or [None])[0]) for d, cell_id in current)

    for cell in nb.cells:
        meta = _meta(cell)
        if cell.cell_type == "code" and meta.get("solution"):
            close()
            current, tests, check = [(d, meta["grade_id"]) for d in definitions(cell.source)], [], []
        elif meta.get("grade") and not meta.get("solution"):
            tests.append(meta["grade_id"])
        elif is_provided(cell) and not tests and not check:
            check.append(meta["grade_id"])
    close()
    return found


def read(path: Path):
    """The notebook at `path`."""
    return nbformat.read(path, as_version=4)


def graded_names(root: Path, assignment: str) -> set[str]:
    """The graded names of `assignment`, read from its source notebook."""
    return {step.name for step in steps(read(root / "source" / assignment / f"{assignment}.ipynb"))}
