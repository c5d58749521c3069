"""nbgrader settings of this course. nbgrader reads this file from the course folder."""
import sys
from pathlib import Path

COURSE_ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(COURSE_ROOT))  # nbgrader's own scripts do not see the course packages

from autograder.feedback.preprocessors import AboutYourGrade, HideHiddenTests  # noqa: E402
from autograder.grade.preprocessors import SCORING  # noqa: E402
from autograder.release import FillProvidedCode, FillSetupCell  # noqa: E402
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.converters import GenerateAssignment  # noqa: E402
from nbgrader.preprocessors import Execute, GetGrades  # noqa: E402

# Python writes a warning to stderr as "<file>:<line>: <Category>Warning: <message>" followed
# by indented source lines. nbgrader zeroes a grade cell with any stderr output, so stderr made
# only of warnings is dropped before grading; any other stderr still zeroes the cell, and an
# error's message always reaches the feedback.
WARNINGS_ONLY = r"\A(?:[^\n]*:\d+: [\w.]*Warning: [^\n]*\n(?:[ \t][^\n]*\n)*)+\Z"

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "nn-from-scratch"
c.CourseDirectory.root = str(COURSE_ROOT)
c.CourseDirectory.db_url = f"sqlite:///{COURSE_ROOT / 'gradebook.db'}"

# The student bundle (release writes it to dist/student/ and dist/student.zip): where students
# download it, which is also what each notebook's setup cell downloads in Colab. Publish the
# bundle folder's files as a public GitHub repository and this zip URL is GitHub's own, and the
# README's "Open in Colab" links follow from it; elsewhere, also set c.CourseBundle.github to
# "OWNER/REPO/BRANCH" of a copy on GitHub for the links.
c.CourseBundle.url = "https://github.com/nn-from-scratch/course-student/archive/refs/heads/main.zip"

# Staged release: the bundle holds the open and closed assignments only; each one not open yet is
# a stand-in notebook that says so, so every Colab link works from the first release on. List an
# assignment under `closed` once its deadline has passed: only then may a later assignment's
# provided cells hold its answers, and `release` refuses to open such an assignment before (see
# README.md, "Staged release"). Dates are optional: {"opens": "YYYY-MM-DD", "closes": "YYYY-MM-DD"}
# per assignment count as listing it from that day on.
c.CourseRelease.open = ["forward_propagation"]
c.CourseRelease.closed = []
c.CourseRelease.dates = {}

# Release writes that URL into every notebook's setup cell, and the provided code of provided/
# into the cells that name it (autograder/provided.py), before nbgrader's own steps, so that the
# gradebook records the cells the students get.
c.GenerateAssignment.preprocessors = [FillSetupCell, FillProvidedCode,
                                      *GenerateAssignment.class_traits()["preprocessors"].default()]

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Per cell, in seconds. Our slowest graded cell (a short MLP training run) takes a few seconds;
# this bound stops an endless loop without failing a slow but honest laptop.
c.Execute.timeout = 120

# The Python versions students may use, stated once: the grader must run on one of them, and a
# cell that only a newer one parses is named in the feedback and the report (autograder/grade/pythons.py).
c.CoursePython.supported = ["3.10", "3.11", "3.12", "3.13"]

c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = WARNINGS_ONLY

# Plain `nbgrader autograde`: nbgrader's own steps with Judge right after Execute, so the
# grader, not the student's kernel, decides every grade cell (autograder/judge.py). It computes
# the answer key on first use. `python -m autograder grade` runs the same steps, sandboxed.
c.Autograde.autograde_preprocessors = [Execute, *SCORING]
c.Judge.course_root = str(COURSE_ROOT)

# Feedback: nbgrader's default steps, with AboutYourGrade (why grading, not the code, cost points)
# and HideHiddenTests between them.
c.GenerateFeedback.preprocessors = [GetGrades, AboutYourGrade, HideHiddenTests, CSSHTMLHeaderPreprocessor]

# A notebook's hidden-test helpers live in one locked cell that is hidden whole (issue 12): nbgrader
# clears it in the release and restores it, like every locked cell, when autograding; without this
# it refuses hidden tests outside grade cells.
c.ClearHiddenTests.enforce_metadata = False
