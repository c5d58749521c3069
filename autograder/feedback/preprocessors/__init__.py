"""nbgrader preprocessors of the feedback step, one per file."""
from .about_your_grade import AboutYourGrade
from .hide_hidden_tests import HideHiddenTests

__all__ = ["AboutYourGrade", "HideHiddenTests"]
