"""Code in the student bundle that may stand for a graded name: where it is and what a student pastes.

`units` walks the bundle's notebooks (cell by cell) and modules; `found_definitions` picks the
definitions that bear an open assignment's graded names, each as a student would use it.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from ..grade.sandbox.execute import SUPPORT_DIRS
from .names import definitions, read, steps

SKIPPED = {".ipynb_checkpoints", "__pycache__"}


@dataclass(frozen=True)
class Found:
    """A definition of graded name `name` at `where` (bundle path and cell), as pasted: `text`."""

    name: str
    where: str
    text: str


def units(folder: Path, own: Path):
    """(where, code, module) of every code cell of the bundle's notebooks but `own` (module None),
    and of every Python module (its dotted name: a student would import it rather than paste it)."""
    for path in sorted(folder.rglob("*")):
        if SKIPPED & set(path.parts) or path == own or not path.is_file():
            continue
        where = path.relative_to(folder).as_posix()
        if path.suffix == ".ipynb":
            for index, cell in enumerate(read(path).cells):
                if cell.cell_type == "code":
                    cell_id = cell.metadata.get("nbgrader", {}).get("grade_id", f"#{index}")
                    yield f"{where}, cell {cell_id}", cell.source, None
        elif path.suffix == ".py":
            yield where, path.read_text(), ".".join(path.relative_to(folder).with_suffix("").parts)


def imports(source: str) -> list[str]:
    """The top-level import statements of a cell, as written."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [ast.get_source_segment(source, node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]


def pasted(code: str, module: str | None, definition, others) -> str:
    """What a student would put in their cell to use `definition`: from a module the grader's
    kernel can import too (under nnkit/ or data/), an import of it; from a notebook cell or any
    other module (one the student reads but the grader does not hold), the code's imports, the
    `others` it comes with and the definition, pasted."""
    if module is not None and module.split(".")[0] in SUPPORT_DIRS:
        return f"from {module.removesuffix('.__init__')} import {definition.name}"
    return "\n\n".join([*imports(code), *(d.text for d in others), definition.text])


def found_definitions(folder: Path, assignment: str) -> list[Found]:
    """Definitions in bundle `folder`, outside `assignment`'s own notebook, of its graded names.

    Each comes with what a student would paste along with it: the imports and the other
    (ungraded) functions and classes of the same cell, e.g. a layer's `labels_of`.
    """
    own = folder / assignment / f"{assignment}.ipynb"
    graded = {step.name for step in steps(read(own))}
    found = []
    for where, code, module in units(folder, own):
        defs = definitions(code)
        helpers = [d for d in defs if d.name not in graded]
        found += [Found(d.name, where, pasted(code, module, d, helpers)) for d in defs if d.name in graded]
    return found
