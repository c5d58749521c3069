"""The instructor pipeline: release, grade, feedback, export, each a small step over nbgrader."""
