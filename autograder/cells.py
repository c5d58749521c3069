"""What a notebook cell is to nbgrader, and which names it defines: asked here, once.

nbgrader's roles live in a cell's metadata "nbgrader": a *solution* cell holds the student's
answer, a *test* cell (grade, not solution) is an autograded test, a *written answer* (grade
and solution, markdown) waits for a person, a *read-only* cell (locked, neither) holds provided
code or hidden-test helpers. A submitted notebook is untrusted: metadata of any shape, and
code that may not parse, get an answer here, never an exception.
"""
from __future__ import annotations

import ast
import re

# Top-level definitions found by their first line: used when the code does not parse.
DEFINED = re.compile(r"^(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)", re.M)
ASSIGNED = re.compile(r"^([A-Za-z_]\w*)\s*(?:,\s*[A-Za-z_]\w*\s*)*=(?!=)", re.M)

SOLUTION, TEST, WRITTEN_ANSWER, READ_ONLY, ORDINARY = (
    "solution", "test", "written answer", "read-only", "ordinary")


def role(cell) -> dict:
    """The cell's nbgrader metadata; {} when it has none, or something other than a mapping."""
    meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
    meta = meta.get("nbgrader") if isinstance(meta, dict) else None
    return meta if isinstance(meta, dict) else {}


def grade_id(cell) -> str | None:
    """The cell's grade id, or None (also for a grade id that is not a string)."""
    gid = role(cell).get("grade_id")
    return gid if isinstance(gid, str) else None


def kind(cell) -> str:
    """One of SOLUTION, TEST, WRITTEN_ANSWER, READ_ONLY, ORDINARY, as nbgrader reads the flags."""
    meta = role(cell)
    solution, grade, locked = (bool(meta.get(flag)) for flag in ("solution", "grade", "locked"))
    if grade:
        return WRITTEN_ANSWER if solution else TEST
    if solution:
        return SOLUTION
    return READ_ONLY if locked else ORDINARY


def is_solution(cell) -> bool:
    """An answer cell graded by a test cell (a code solution, not a written answer)."""
    return kind(cell) == SOLUTION


def is_answer(cell) -> bool:
    """A cell the student writes in: a solution or a written answer (nbgrader's "solution" flag)."""
    return kind(cell) in (SOLUTION, WRITTEN_ANSWER)


def is_grade(cell) -> bool:
    """nbgrader's grade cell: one worth points, a test cell or a written answer."""
    return kind(cell) in (TEST, WRITTEN_ANSWER)


def is_test(cell) -> bool:
    """An autograded test cell: nbgrader's grade cell that is not also a solution."""
    return kind(cell) == TEST


def is_written_answer(cell) -> bool:
    """A grade cell that is also a solution: an answer a person grades."""
    return kind(cell) == WRITTEN_ANSWER


def is_read_only(cell) -> bool:
    """A locked cell that neither answers nor tests: provided code, hidden-test helpers."""
    return kind(cell) == READ_ONLY


def defined_names(source: str) -> set[str]:
    """The top-level functions and classes `source` defines (async ones too).

    Read with Python's parser; code that does not parse (a student's unfinished cell, IPython
    syntax) is read line by line for `def`/`class` at the start of a line instead.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):  # ValueError: a null byte in the source
        return set(DEFINED.findall(source))
    return {node.name for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}


def assigned_names(source: str) -> set[str]:
    """The variables `source` assigns at the start of a line (`x = ...`, `a, b = ...`), in order
    to recognise a solution cell that defines no function (e.g. `dW3 = ...`)."""
    return set(ASSIGNED.findall(source))
