"""Feedback never shows a hidden test's source, nor a traceback that quotes it."""
from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests


class HideHiddenTests(ClearHiddenTests):
    """Remove hidden test regions from grade cells and cut their tracebacks to the last line.

    The last line of a traceback is the error's type and message. Our checks write messages
    that say what differs without reference values; an uncaught error elsewhere in a grade cell
    would otherwise print the hidden lines around it.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if cell.cell_type == "code" and utils.is_grade(cell):
            for output in cell.outputs:
                if output.output_type == "error":
                    output.traceback = output.traceback[-1:]
        return cell, resources
