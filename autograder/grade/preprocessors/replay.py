"""Stands where nbgrader's Execute stands in `autograder grade`: the outputs a worker produced."""
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Any


class Replay(NbGraderPreprocessor):
    """Put into each code cell the outputs of the same notebook executed in a sandbox.

    `executed` maps (student, notebook) to the executed notebook; its cells must be the ones
    being scored, or the outputs would land in the wrong cells.
    """

    executed = Any()

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        ran = self.executed[(info["student"], info["notebook"])]
        if [c.source for c in ran.cells] != [c.source for c in nb.cells]:
            raise ValueError("the notebook changed between execution and scoring")
        for cell, done in zip(nb.cells, ran.cells):
            if cell.cell_type == "code":
                cell.outputs = done.outputs
                cell.execution_count = done.execution_count
        for key in ("language_info", "widgets"):
            if key in ran.metadata:
                nb.metadata[key] = ran.metadata[key]
        return nb, resources
