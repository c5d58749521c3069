"""No module decides anything by matching another's wording (issue 19: records, not sentences).

Steps hand each other records (autograder/grade/record/notes.py); only reasons.py, feedback and
report turn them into words. So no module of the pipeline may search text for a phrase or an
error's name, split it on words, or test how it starts or ends: a rewording would silently change
behaviour. What may be matched is a file format's own marker, listed here with its source.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORMAT_MARKERS = {
    "### BEGIN SOLUTION", "### END SOLUTION",   # nbgrader's solution delimiters (ClearSolutions)
    "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",   # nbgrader's hidden-test delimiters (ClearHiddenTests)
    "# %%",                                     # jupytext's percent format: a cell starts here
}
TEXT_METHODS = {"startswith", "endswith", "split", "rsplit", "partition", "rpartition", "index", "find"}


def _wordy(value) -> bool:
    """A phrase, or an error's name: what one module's message would be matched on."""
    return isinstance(value, str) and ((" " in value and any(c.isalpha() for c in value))
                                       or value.endswith(("Error", "Exception", "Warning")))


def text_matches(source: str) -> list[tuple[int, str]]:
    """(line, literal) for each phrase or error name `source` searches text for."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops):
            if isinstance(node.left, ast.Constant) and _wordy(node.left.value):
                found.append((node.lineno, node.left.value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in TEXT_METHODS:
            found += [(node.lineno, arg.value) for arg in node.args
                      if isinstance(arg, ast.Constant) and _wordy(arg.value)]
    return [(line, text) for line, text in found if text not in FORMAT_MARKERS]


def test_no_module_matches_on_another_modules_wording():
    found = {f"{path.relative_to(ROOT)}:{line}": text for path in sorted((ROOT / "autograder").rglob("*.py"))
             for line, text in text_matches(path.read_text())}
    assert not found, found


def test_the_check_sees_the_patterns_it_forbids():
    source = ('deleted = [n.split()[2] for n in notes if n.endswith("was deleted")]\n'
              'timed_out = "CellTimeoutError" in text\n'
              'cell = flag.split(" ran ")[0]\n')
    assert sorted(text for _, text in text_matches(source)) == [" ran ", "CellTimeoutError", "was deleted"]
