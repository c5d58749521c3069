"""Stands where nbgrader's Execute stands in `autograder grade`: the outputs a worker produced.

The outputs go into the student's feedback, so paths of the grading machine are taken out of
them on the way (`machine_paths`): a traceback through a library shows where it is installed
(the grader's virtualenv, its Python, the course folder), and none of that is the student's.
"""
import os
import sys
import sysconfig
from functools import lru_cache
from pathlib import Path

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Any, Unicode


class Replay(NbGraderPreprocessor):
    """Put into each code cell the outputs of the same notebook executed in a sandbox.

    `executed` maps (student, notebook) to the executed notebook; its cells must be the ones
    being scored, or the outputs would land in the wrong cells.
    """

    executed = Any()
    course_root = Unicode("")

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        ran = self.executed[(info["student"], info["notebook"])]
        if [c.source for c in ran.cells] != [c.source for c in nb.cells]:
            raise ValueError("the notebook changed between execution and scoring")
        paths = machine_paths(self.course_root)
        for cell, done in zip(nb.cells, ran.cells):
            if cell.cell_type == "code":
                cell.outputs = [without_paths(out, paths) for out in done.outputs]
                cell.execution_count = done.execution_count
        for key in ("language_info", "widgets"):
            if key in ran.metadata:
                nb.metadata[key] = ran.metadata[key]
        return nb, resources


@lru_cache(maxsize=8)
def machine_paths(course_root: str = "") -> tuple[tuple[str, str], ...]:
    """(path, what it is called instead) for the grading machine's folders, longest first:
    installed packages become bare module paths (`numpy/linalg/...`)."""
    found = {}
    for name in ("purelib", "platlib", "stdlib", "platstdlib"):
        where = sysconfig.get_paths().get(name)
        if where:
            found[where.rstrip("/") + "/"] = "" if "lib" in name and "std" not in name else "<python>/"
    for where, instead in ((sys.prefix, "<python>/"), (sys.base_prefix, "<python>/"), (course_root, "<course>/"),
                           (str(Path.home()), "~/")):
        if where and len(where) > 1:
            found.setdefault(where.rstrip("/") + "/", instead)
    for where, instead in list(found.items()):  # a folder's symlinked and real names both
        found.setdefault(os.path.realpath(where) + "/", instead)
    return tuple(sorted(found.items(), key=lambda item: -len(item[0])))


def _scrub(text, paths):
    if isinstance(text, list):
        return [_scrub(t, paths) for t in text]
    if not isinstance(text, str):
        return text
    for where, instead in paths:
        text = text.replace(where, instead)
    return text


def without_paths(output, paths):
    """A copy of one output with each machine path in its text replaced (`machine_paths`)."""
    output = NotebookNode(output)
    for key in ("text", "traceback", "evalue"):
        if key in output:
            output[key] = _scrub(output[key], paths)
    if isinstance(output.get("data"), dict):
        output["data"] = {kind: _scrub(value, paths) if kind.startswith("text/") else value
                          for kind, value in output["data"].items()}
    return output
