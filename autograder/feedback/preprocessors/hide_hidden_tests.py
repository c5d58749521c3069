"""Feedback never shows a hidden test's source, nor a traceback that quotes it."""
from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests


class HideHiddenTests(ClearHiddenTests):
    """Remove hidden test regions from every cell and cut grade cells' tracebacks to the last line.

    The last line of a traceback is the error's type and message. Our checks write messages
    that say what differs without reference values; an uncaught error elsewhere in a grade cell
    would otherwise print the hidden lines around it.

    Unlike nbgrader's ClearHiddenTests, a region with no end marker, or one opened twice, never
    raises: it runs to the end of the cell and is removed. Such a region can only come from a
    student (the course's own cells are restored from the source, whose regions are balanced),
    for instance a comment quoting the begin marker; raising there cost that student, and
    nbgrader's next one, their feedback page. Nor does a region outside a grade cell raise. Removing too much hides only the student's own text.
    """

    def _remove_hidden_test_region(self, cell) -> bool:
        kept, inside, removed = [], False, False
        for line in cell.source.split("\n"):
            if self.begin_test_delimeter in line:
                inside = removed = True
            elif self.end_test_delimeter in line:
                inside = False
            elif not inside:
                kept.append(line)
        cell.source = "\n".join(kept)
        return removed

    def preprocess_cell(self, cell, resources, cell_index):
        # No check that hidden regions sit in grade cells (nbgrader's `enforce_metadata`): that
        # is for authors; here a region outside one is a student's own text, removed all the same.
        self._remove_hidden_test_region(cell)
        if cell.cell_type == "code" and utils.is_grade(cell):
            for output in cell.outputs:
                if output.output_type == "error":
                    output.traceback = output.traceback[-1:]
        return cell, resources
