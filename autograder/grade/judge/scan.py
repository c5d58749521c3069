"""Code in a submission that reaches for the grading machinery: flagged for a person to look at.

Scores never depend on this scan: the grader compares answers with a key the kernel never saw
(judge.py), so rebinding `nnkit.checks`, numpy's comparisons or IPython's display gains nothing.
But a student who tries deserves a look, and an instructor wants to know; so the cells a
student wrote are read (never run) for rebinding of watched modules, hooks into IPython's
events, display or input transformers, import hooks, frame and memory introspection, and code
run from strings. A finding is a reason to review, not proof: the scan is easy to evade, and
evading it still earns nothing.
"""
from __future__ import annotations

import ast

from autograder import cells

from autograder.grade.record.notes import Note

# Modules whose attributes a submission has no reason to rebind.
WATCHED = {"np", "numpy", "math", "nnkit", "checks", "questions", "IPython", "display", "builtins",
           "__builtins__", "sys", "base64", "testing", "npt", "importlib"}
# Calls that hook into the kernel, the import system, frames or memory.
HOOK_CALLS = {"_getframe", "currentframe", "get_referrers", "get_objects", "settrace", "setprofile",
              "register", "register_magic_function", "import_module", "reload", "__import__",
              "publish_display_data", "exec", "eval", "compile"}
# Names that reach into the kernel's machinery when used as an attribute.
HOOK_ATTRS = {"events", "display_pub", "input_transformers_post", "input_transformers_cleanup",
              "ast_transformers", "meta_path", "path_hooks", "modules", "displayhook", "excepthook",
              "run_cell", "user_ns_hidden", "__file__"}
# Attributes whose rebinding, on whatever object, reaches for the checks or the import system.
SENSITIVE_ATTRS = {"__import__", "check_close", "compare", "ask", "answer", "watch_warnings", "publish",
                   "allclose", "isclose", "assert_allclose"}
FORBIDDEN_IMPORTS = {"ctypes", "gc", "inspect", "importlib"}
MARKERS = ("vnd.nnkit", "nnkit/", "nnkit\\\\")


def _root_name(node) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _reaches(args: list, watched: set) -> bool:
    """Whether `setattr(*args)` rebinds what an assignment would be flagged for rebinding: an
    attribute of a watched module, or a sensitive attribute (named by a string) of anything.
    Setting an attribute of the student's own object reaches for nothing: gradient_checking's
    reference puts a layer's parameters back with `setattr(layer, attribute, saved)`."""
    name = args[1] if len(args) > 1 else None
    sensitive = isinstance(name, ast.Constant) and name.value in SENSITIVE_ATTRS | HOOK_ATTRS
    return _root_name(args[0]) in watched or sensitive


def scan_source(source: str) -> list[tuple[str, str]]:
    """What one cell's code does to the grading machinery, as (what it does, to what) pairs:
    ("imports", "ctypes"), ("rebinds", "np.allclose"), ("calls", "setattr"), ("uses", ...), ("names", ...)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found = []
    watched = set(WATCHED)
    for node in ast.walk(tree):  # aliases: `import numpy as n`, `from nnkit import checks as c`
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            module = getattr(node, "module", None) or ""
            for alias in node.names:
                name = (module or alias.name).split(".")[0]
                if name in WATCHED:
                    watched.add((alias.asname or alias.name).split(".")[0])
                if name in FORBIDDEN_IMPORTS or alias.name.split(".")[0] in FORBIDDEN_IMPORTS:
                    found.append(("imports", f"{module + '.' if module else ''}{alias.name}"))
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        elif isinstance(node, ast.Delete):
            targets = node.targets
        for target in targets:
            if isinstance(target, (ast.Attribute, ast.Subscript)) and (
                    _root_name(target) in watched
                    or isinstance(target, ast.Attribute) and target.attr in SENSITIVE_ATTRS):
                found.append(("rebinds", ast.unparse(target)))
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "setattr" and node.args and _reaches(node.args, watched):
                found.append(("calls setattr on", ast.unparse(node.args[0])))
            elif name in HOOK_CALLS:
                found.append(("calls", ast.unparse(func)))
        if isinstance(node, ast.Attribute) and node.attr in HOOK_ATTRS:
            found.append(("uses", ast.unparse(node)))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and any(m in node.value for m in MARKERS):
            found.append(("names", repr(node.value[:60])))
    return list(dict.fromkeys(found))


def scan_notebook(nb) -> list[Note]:
    """Findings in the cells a student wrote (read-only cells are restored from the source), as
    "review" notes on 1-based cell numbers."""
    notes = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or cells.is_test(cell) or cells.is_read_only(cell):
            continue
        notes += [Note("review", str(index + 1), {"does": does, "what": what})
                  for does, what in scan_source(cell.source)]
    return notes
