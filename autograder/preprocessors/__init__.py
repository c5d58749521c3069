"""nbgrader preprocessors of the release step; `nbgrader_config.py` wires them in."""
from .fill_setup_cell import FillSetupCell

__all__ = ["FillSetupCell"]
