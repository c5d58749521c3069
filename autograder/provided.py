"""Provided code, written once: `provided/<module>.py`, filled into the notebooks that hand it out.

Code that several notebooks hand to students (the graph of assignments 1 and 2, the layers of
assignment 2) lives in one module each under `provided/`. That folder stays with the instructor:
it holds earlier assignments' answers, so it never ships in the student bundle; students read the
code in the release notebooks, where `release` fills it in (release/fill_provided_code.py).

In a source notebook, a provided cell (read-only, neither solution nor grade cell) names what it
takes with a one-line marker that is also Python,

    from provided.layers import Dense, ReLU, labels_of, SoftmaxCrossEntropy

so that the source notebook runs as it is (its setup cell puts the course folder on sys.path).
In the release notebook the marker's line becomes the text of those definitions (`*`: all of
the module's), in the module's order, each with the comment lines right above it; the rest of the
cell stays as written. A module holds a docstring, imports, functions and classes only. Its
imports are not filled in: a name a filled definition takes from them (`np`) must be bound by an
earlier cell of the notebook (the setup cell imports numpy as np), or release stops.
"""
from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from . import cells
from .course import ROOT, provided_modules, provided_path

MARKER = re.compile(r"from provided\.(\w+) import (\*|\w+(?:\s*,\s*\w+)*)\s*(?:#.*)?")
MENTION = re.compile(r"\s*(from|import)\s+provided\b")
DOTTED = re.compile(r"\s*from\s+(\w+)\.\w+\s+import\b")  # `from provded.layers import ...`: a typo of a marker?


class ProvidedCodeError(ValueError):
    """A marker or a provided module release cannot fill in; the message says where and what to do."""


@dataclass(frozen=True)
class Marker:
    """Line `line` (0-based) of a cell takes `names` (None: all) from provided/<module>.py."""

    module: str
    names: tuple[str, ...] | None
    line: int


@dataclass(frozen=True)
class Provided:
    """One function or class of a provided module: its text as filled in, and the module's
    other definitions it uses."""

    name: str
    text: str
    uses: frozenset[str]
    imported: frozenset[str] = frozenset()  # names it uses that only the module's imports bind


def markers(source: str, where: str = "the cell") -> list[Marker]:
    """The markers of a cell's source, in order. ProvidedCodeError for a line that imports from
    `provided` any other way (the marker is one line: `from provided.<module> import <names>`)."""
    found = []
    for index, line in enumerate(source.split("\n")):
        match = MARKER.fullmatch(line)
        if match:
            names = None if match.group(2) == "*" else tuple(n.strip() for n in match.group(2).split(","))
            found.append(Marker(match.group(1), names, index))
        elif MENTION.match(line):
            raise ProvidedCodeError(f"{where}: {line.strip()!r} takes provided code another way than release "
                                    "fills in; write it on one line, unindented: "
                                    "`from provided.<module> import <name>, <name>` (or `import *`)")
        elif _misspelt(line):
            raise ProvidedCodeError(f"{where}: {line.strip()!r} looks like a provided-code marker with "
                                    "`provided` misspelt; release would hand it out as it is, and it would fail "
                                    "to import: write `from provided.<module> import <name>, <name>`")
    return found


def _misspelt(line: str) -> bool:
    """Whether `line` imports from a package named almost, but not quite, `provided`."""
    match = DOTTED.match(line)
    package = match and match.group(1)
    return bool(package) and package != "provided" and (
        package.lower() == "provided" or difflib.SequenceMatcher(None, package.lower(), "provided").ratio() >= 0.9)


def _text(lines: list[str], node) -> str:
    start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    while start > 1 and lines[start - 2].lstrip().startswith("#"):
        start -= 1
    return "\n".join(lines[start - 1:node.end_lineno])


def module_definitions(module: str, root: Path = ROOT) -> dict[str, Provided]:
    """The functions and classes of provided/<module>.py, in order, by name.

    ProvidedCodeError if the module does not exist or holds anything but a docstring, imports,
    functions and classes (release would have nowhere to put it).
    """
    path = provided_path(module, root)
    if not path.is_file():
        have = ", ".join(p.stem for p in provided_modules(root)) or "nothing"
        raise ProvidedCodeError(f"provided/{module}.py does not exist (provided/ holds: {have})")
    text = path.read_text()
    try:
        tree = ast.parse(text, filename=str(path))
    except SyntaxError as err:
        raise ProvidedCodeError(f"provided/{module}.py, line {err.lineno}: {err.msg}") from None
    lines = text.split("\n")
    nodes = []
    for i, node in enumerate(tree.body):
        docstring = i == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            nodes.append(node)
        elif not (docstring or isinstance(node, (ast.Import, ast.ImportFrom))):
            raise ProvidedCodeError(f"provided/{module}.py, line {node.lineno}: a provided module holds a "
                                    "docstring, imports, functions and classes only (release fills in its "
                                    "functions and classes, nothing else)")
    defined = {node.name for node in nodes}
    imported = _bound(ast.Module([n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))], []))
    return {node.name: Provided(node.name, _text(lines, node), frozenset(_names(node) & defined - {node.name}),
                                frozenset(_names(node) & imported - defined))
            for node in nodes}


def _bound(tree) -> set[str]:
    """Names a piece of code may bind anywhere (imports, assignments, definitions): more than it
    binds at the top, so that a name an earlier cell might bind never stops a release."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.update(a.asname or a.name.split(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
    return found


def _bound_by_cell(source: str) -> set[str] | None:
    """The names a notebook cell may bind (`_bound`); None when it cannot tell (a `*` import, or
    a cell that does not parse as Python even with IPython's syntax turned into calls)."""
    from IPython.core.inputtransformer2 import TransformerManager
    try:
        tree = ast.parse(TransformerManager().transform_cell(source))
    except SyntaxError:
        return None
    star = any(isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names) for n in ast.walk(tree))
    return None if star else _bound(tree)


def _names(node) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def provided_text(marker: Marker, root: Path = ROOT) -> str:
    """The text a marker stands for: the definitions it names, in the module's order.

    ProvidedCodeError for a name the module does not define, or a named definition that uses
    another of the module's definitions the marker leaves out (the release cell would not run).
    """
    available = module_definitions(marker.module, root)
    names = list(available) if marker.names is None else list(marker.names)
    unknown = [n for n in names if n not in available]
    if unknown:
        raise ProvidedCodeError(f"provided/{marker.module}.py defines no {', '.join(unknown)} "
                                f"(it defines: {', '.join(available)})")
    missing = sorted({used for n in names for used in available[n].uses} - set(names))
    if missing:
        users = sorted(n for n in names if available[n].uses & set(missing))
        verb = "uses" if len(users) == 1 else "use"
        raise ProvidedCodeError(f"{', '.join(users)} of provided/{marker.module}.py {verb} {', '.join(missing)}: "
                                "name that in the marker too")
    return "\n\n\n".join(d.text for n, d in available.items() if n in names)


def fill_source(source: str, root: Path = ROOT, where: str = "the cell") -> str:
    """`source` with each marker line replaced by the provided text it names."""
    lines = source.split("\n")
    for marker in reversed(markers(source, where)):
        try:
            lines[marker.line] = provided_text(marker, root)
        except ProvidedCodeError as err:
            raise ProvidedCodeError(f"{where}: {err}") from None
    return "\n".join(lines)


def fill_provided(nb, root: Path = ROOT, where: str = "the notebook") -> list[str]:
    """Fill every marker of notebook `nb` with its provided text, in place; the grade ids of the
    cells filled. ProvidedCodeError (naming `where` and the cell) for a marker outside a provided
    cell, where release would not fill it in, and for any marker it cannot fill."""
    filled, bound = [], set()  # bound: None once a cell binds what cannot be told
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        cell_id = cells.grade_id(cell) or f"#{index}"
        here = f"{where}, cell {cell_id!r}"
        found = markers(cell.source, here)
        if found:
            if not cells.is_read_only(cell):
                raise ProvidedCodeError(f"{here}: only a read-only cell that is neither a solution nor a grade "
                                        "cell may take provided code (`from provided...`)")
            text = fill_source(cell.source, root, here)  # a marker naming nothing is said first
            rest = _bound_by_cell("\n".join(line for i, line in enumerate(cell.source.split("\n"))
                                             if i not in {m.line for m in found}))
            if bound is not None and rest is not None:
                _check_imports(found, bound | rest, root, here)
            cell.source = text
            filled.append(cell_id)
        more = _bound_by_cell(cell.source)
        bound = None if bound is None or more is None else bound | more
    return filled


def _check_imports(found: list[Marker], bound: set[str], root: Path, where: str) -> None:
    """ProvidedCodeError when a definition a marker names uses a name only its module's imports
    bind and no earlier cell binds: the filled-in cell would raise NameError for students."""
    for marker in found:
        available = module_definitions(marker.module, root)
        for name in marker.names or available:
            unbound = sorted(available[name].imported - bound)
            if unbound:
                raise ProvidedCodeError(
                    f"{where}: {name} of provided/{marker.module}.py uses {', '.join(unbound)}, which that module "
                    "imports; release fills in definitions, not the module's imports, and no earlier cell "
                    f"binds {', '.join(unbound)}: import it in an earlier cell (the setup cell, say)")
