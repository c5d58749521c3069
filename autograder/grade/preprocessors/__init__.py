"""nbgrader preprocessors of the grade step, one per file, and the one list that scores.

`SCORING` is what turns an executed notebook into grades, in order. Plain `nbgrader autograde`
runs it after nbgrader's Execute (`nbgrader_config.py`); `python -m autograder grade` runs it after
`Replay`, which puts in the outputs a sandboxed worker produced. Judge comes first: it replaces
each grade cell's outputs with the grader's verdict, and every later step scores those.
SanitizeOutputs comes last: formgrader shows the saved notebook to the instructor, so it holds no
student script. CheckMetadata is nbgrader's CheckCellMetadata without its per-cell schema check.
"""
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import AssignLatePenalties, IgnorePattern, LimitOutput, SaveAutoGrades

from .check_metadata import CheckMetadata
from .forget_duplicates import ForgetDuplicates
from .judge import Judge
from .replay import Replay
from .sanitize_outputs import SanitizeOutputs
from .use_prepared import UsePrepared

SCORING = (Judge, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades, AssignLatePenalties,
           CheckMetadata, SanitizeOutputs)

__all__ = ["SCORING", "CheckMetadata", "ForgetDuplicates", "Judge", "Replay", "SanitizeOutputs", "UsePrepared"]
