"""nbgrader preprocessors of this course, one per file; `nbgrader_config.py` wires them in."""
from .fill_setup_cell import FillSetupCell
from .hide_hidden_tests import HideHiddenTests

__all__ = ["FillSetupCell", "HideHiddenTests"]
