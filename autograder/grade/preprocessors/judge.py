"""nbgrader step right after execution: the grader, not the kernel, decides every grade cell."""
import os
from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Any, Dict, Unicode

from autograder.grade.judge import verdicts as judge
from autograder.grade.judge import key
from autograder.grade.judge import scan


class Judge(NbGraderPreprocessor):
    """Replace each grade cell's outputs with the verdict on its answers (see autograder/judge.py).

    keys: notebook name -> `key.Key`. A notebook without one (plain `nbgrader autograde`) uses
    the cached key of `course_root`, computing it first if the source or samples changed.
    verdicts: receives (student, notebook) -> `judge.NotebookVerdict`, for the report.
    """

    keys = Dict()
    verdicts = Any()
    course_root = Unicode(help="the course folder (default: the current directory)").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        notebook, assignment = info["notebook"], info["assignment"]
        answer_key = self.keys.get(notebook)
        if answer_key is None:
            root = Path(self.course_root or os.getcwd())
            answer_key = key.load(root, assignment, notebook) or key.compute_locally(root, assignment, notebook)
            self.keys[notebook] = answer_key
        verdict = judge.judge_notebook(nb, answer_key)
        verdict.notes += scan.scan_notebook(nb)
        for note in verdict.notes:
            self.log.warning("%s/%s: %s %s %s", info["student"], notebook, note.kind, note.cell, note.detail)
        if self.verdicts is not None:
            self.verdicts[(info["student"], notebook)] = verdict
        return nb, resources
