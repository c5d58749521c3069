"""nbgrader settings of this course. nbgrader reads this file from the course folder."""
import sys
from pathlib import Path

COURSE_ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(COURSE_ROOT))  # nbgrader's own scripts do not see the course packages

from autograder.preprocessors import AboutYourGrade, HideHiddenTests  # noqa: E402
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import GetGrades  # noqa: E402

# Python writes a warning to stderr as "<file>:<line>: <Category>Warning: <message>" followed
# by indented source lines. nbgrader zeroes a grade cell with any stderr output, so stderr made
# only of warnings is dropped before grading; any other stderr still zeroes the cell, and an
# error's message always reaches the feedback.
WARNINGS_ONLY = r"\A(?:[^\n]*:\d+: [\w.]*Warning: [^\n]*\n(?:[ \t][^\n]*\n)*)+\Z"

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "nn-from-scratch"
c.CourseDirectory.root = str(COURSE_ROOT)
c.CourseDirectory.db_url = f"sqlite:///{COURSE_ROOT / 'gradebook.db'}"

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Per cell, in seconds. Our slowest graded cell (a short MLP training run) takes a few seconds;
# this bound stops an endless loop without failing a slow but honest laptop.
c.Execute.timeout = 120

c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = WARNINGS_ONLY

# Feedback: nbgrader's default steps, with AboutYourGrade (why grading, not the code, cost points)
# and HideHiddenTests between them.
c.GenerateFeedback.preprocessors = [GetGrades, AboutYourGrade, HideHiddenTests, CSSHTMLHeaderPreprocessor]
