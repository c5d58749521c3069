"""After DeduplicateIds: a duplicated grade cell becomes an ordinary cell, not a broken one."""
from nbgrader.preprocessors import NbGraderPreprocessor


class ForgetDuplicates(NbGraderPreprocessor):
    """Drop the `nbgrader` metadata that DeduplicateIds emptied on a duplicated cell.

    DeduplicateIds keeps the last cell of a grade id and sets the others' metadata to {}, which
    CheckCellMetadata then rejects as an outdated schema, failing the whole submission. Without
    the key, a duplicate is an ordinary cell and the submission is graded like any other.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.metadata.get("nbgrader") == {}:
            del cell.metadata["nbgrader"]
        return cell, resources
