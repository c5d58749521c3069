"""Grade every sample submission of an assignment in a scratch copy of the course, once."""
from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.course import ROOT, notebook_path
from autograder import feedback
from autograder.grade import grade
from autograder.release import release
from autograder.samples import Sample, load_samples, write_submissions
from autograder.scores import Score, cell_scores, grade_ids, manual_grade_ids

# What a scratch course needs; nbgrader_config.py is copied, not linked, so that its own
# location (the course root it declares) is the scratch folder.
LINKED = ("nnkit", "autograder", "data", "samples", "source", "provided")


@dataclass
class GradedSamples:
    root: Path
    samples: list[Sample]
    grade_ids: list[str]
    manual_ids: list[str]  # written answers, left for a person to grade
    scores: dict[str, dict[str, Score]]

    def feedback_text(self, student: str, assignment: str) -> str:
        """The student's feedback page as plain text, tags stripped."""
        page = notebook_path("feedback", assignment, student, root=self.root).with_suffix(".html")
        markup = page.read_text()
        return html.unescape(re.sub(r"<[^>]+>", "", markup))

    def autograded(self, student: str, assignment: str):
        return nbformat.read(notebook_path("autograded", assignment, student, root=self.root), as_version=4)


def scratch_course(where: Path) -> Path:
    for name in LINKED:
        (where / name).symlink_to(ROOT / name)
    shutil.copy(ROOT / "nbgrader_config.py", where)
    return where


def grade_samples(assignment: str, where: Path) -> GradedSamples:
    """Release, submit every sample, autograde, write feedback: the demo, in `where`."""
    root = scratch_course(where)
    release([assignment], root)
    samples = load_samples(assignment, root)
    write_submissions(assignment, samples, root)
    grade(assignment, root)
    feedback.main(assignment=assignment, root=root)
    return GradedSamples(root, samples, grade_ids(assignment, root), manual_grade_ids(assignment, root),
                         cell_scores(assignment, root))
