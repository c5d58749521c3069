"""nbgrader preprocessors of this course, one per file; `nbgrader_config.py` wires them in."""
from .about_your_grade import AboutYourGrade
from .hide_hidden_tests import HideHiddenTests

__all__ = ["AboutYourGrade", "HideHiddenTests"]
