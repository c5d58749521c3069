"""Release writes the provided code of `provided/` into the cells whose markers name it."""
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

from ..provided import fill_provided


class FillProvidedCode(NbGraderPreprocessor):
    """Replace each `from provided.<module> import <names>` line of a provided cell by the text of
    those definitions in the course's provided/<module>.py (autograder/provided.py).

    Runs before nbgrader's own steps in generate_assignment, so that the release notebook, its
    checksums and the gradebook's copy of the read-only cell hold the text students read. A
    marker that names no module or definition stops the release with the notebook and cell.
    """

    def preprocess(self, nb, resources):
        root = Path(CourseDirectory(config=self.config).root)
        fill_provided(nb, root, where=resources.get("unique_key", "a notebook"))
        return nb, resources
