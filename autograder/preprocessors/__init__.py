"""nbgrader preprocessors of this course, one per file; `nbgrader_config.py` and `batch.py` wire them in."""
from .about_your_grade import AboutYourGrade
from .forget_duplicates import ForgetDuplicates
from .hide_hidden_tests import HideHiddenTests
from .judge import Judge
from .replay import Replay
from .use_prepared import UsePrepared

__all__ = ["AboutYourGrade", "ForgetDuplicates", "HideHiddenTests", "Judge", "Replay",
           "UsePrepared"]
