"""Stands for nbgrader's sanitizing steps when scoring: their result, computed once before execution."""
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Any


class UsePrepared(NbGraderPreprocessor):
    """`prepared` maps (student, notebook) to the notebook `prepare.prepare` returned."""

    prepared = Any()

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        return self.prepared[(info["student"], info["notebook"])], resources
