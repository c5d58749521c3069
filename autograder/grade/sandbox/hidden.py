"""What of the hidden tests a student's kernel holds, and for how long.

A prepared notebook carries every hidden test, and the `hidden_test_helpers` cell with correct
copies of steps already graded. The kernel receives a hidden cell's code only when that cell
runs (the notebook file itself never enters the sandbox), and the names a hidden cell defines
are forgotten as soon as it has run, before any student code runs again. A later test that
needs the helpers gets them again, from the grader, right before it runs (`Plan.prelude`).

So a student's code meets a hidden definition only while a hidden cell runs; the judge takes
each answer as first given by the cell that asked (execute.py drops later updates), and the
helpers hold only steps graded above them (recover.py keeps them there): a copy caught in that
window cannot change an answer already given.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

from autograder import cells


@dataclass
class Plan:
    """For one hidden cell: code to run silently before it, and names to forget after it."""
    prelude: str = ""
    forget: list[str] = field(default_factory=list)


def is_hidden(cell) -> bool:
    """A read-only code cell the grader wrote: a test cell, or a helper cell of hidden tests."""
    return cell.cell_type == "code" and (cells.is_test(cell) or (cells.is_read_only(cell)
                                                                 and "BEGIN HIDDEN TESTS" in cell.source))


def hidden_names(source: str) -> list[str]:
    """Names the top level of `source` binds that follow the hidden tests' convention: a leading
    underscore, not a dunder (a student's own names are left alone)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names = []
    for node in tree.body:
        for sub in ast.walk(node) if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else [node]:
            if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.append(sub.name)
            elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                names.append(sub.id)
            elif isinstance(sub, ast.alias):
                names.append((sub.asname or sub.name).split(".")[0])
            elif isinstance(sub, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                break
    return [n for n in dict.fromkeys(names) if n.startswith("_") and not n.startswith("__")]


def plan(nb) -> dict[int, Plan]:
    """Cell index -> Plan, for every hidden cell of the prepared notebook `nb`."""
    plans, helpers, helper_names = {}, [], []
    for index, cell in enumerate(nb.cells):
        if not is_hidden(cell):
            continue
        names = hidden_names(cell.source)
        plans[index] = Plan("\n\n".join(helpers), list(dict.fromkeys(helper_names + names)))
        if not cells.is_test(cell):  # a helper cell: later tests get it again before they run
            helpers.append(cell.source)
            helper_names += names
    return plans


def forget_code(names: list[str]) -> str:
    """Code that removes `names` from the kernel's namespace with `del` statements, which no
    rebinding of `globals` or of a builtin can turn aside."""
    return "\n".join(f"try:\n    del {name}\nexcept NameError:\n    pass" for name in names)
