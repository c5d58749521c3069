"""nbgrader preprocessors of this course, one per file; `nbgrader_config.py` wires them in."""
from .hide_hidden_tests import HideHiddenTests

__all__ = ["HideHiddenTests"]
