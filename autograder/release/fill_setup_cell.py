"""Release writes the bundle URL of `c.CourseBundle.url` into each notebook's setup cell."""
from nbgrader.preprocessors import NbGraderPreprocessor

from .bundle.config import CourseBundle
from .bundle.notebooks import fill_setup_cell


class FillSetupCell(NbGraderPreprocessor):
    """Set COURSE_BUNDLE in the setup cell (grade id `setup`) to the configured bundle URL.

    Runs first in generate_assignment, so that the checksum and the gradebook's copy of this
    read-only cell are those of the filled-in cell the students get. A notebook whose setup
    cell is not the template stops the release with the notebook's name.
    """

    def preprocess(self, nb, resources):
        url = CourseBundle(config=self.config).url
        if not url:
            raise ValueError("set c.CourseBundle.url in nbgrader_config.py to where students "
                             "will download the course zip (see README.md, 'For instructors')")
        fill_setup_cell(nb, url, where=resources.get("unique_key", "a notebook"))
        return nb, resources
