"""A sixth assignment is two files, its source notebook and its samples (docs/adding-an-assignment.md):
with nothing else added, release, grade, feedback and report run on it, and the README table gains its row.

The scratch course holds the five assignments (linked) and writes the sixth the way an instructor
would; the commands run through `autograder.cli.main`, as `python -m autograder` runs them.
"""
import html
import os
import re
import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder import cli
from autograder.release.bundle.notebooks import setup_cell_source
from autograder.course import ROOT, available, notebook_path, report_page
from autograder.readme import assignment_table
from autograder.samples import load_samples, write_submissions
from autograder.scores import cell_scores

NEW = "norms"
LINKED = ("nnkit", "autograder", "data", "bin", "notebooks", "provided", "requirements-student.txt")

SAMPLES = '''\
"""Sample submissions of the norms assignment."""
from autograder.samples import Sample

SAMPLES = [
    Sample("mistake-l2-not-rooted", "the squared norm, without the square root",
           cells={"l2_norm": "def l2_norm(v):\\n    return float(np.sum(np.asarray(v) ** 2))"},
           loses=("l2_norm_of_vectors",), mentions=("l2_norm of",)),
    Sample("correct-l2-by-hypot", "np.hypot, reduced",
           cells={"l2_norm": "import functools\\ndef l2_norm(v):\\n    return float(functools.reduce(np.hypot, np.ravel(v), 0.0))"}),
]
'''


def _cell(source, grade_id, *, solution=False, grade=False, points=0):
    meta = {"grade_id": grade_id, "solution": solution, "grade": grade, "locked": not solution,
            "schema_version": 3, "task": False}
    if grade:
        meta["points"] = points
    return new_code_cell(source, metadata={"nbgrader": meta})


def _source_notebook():
    nb = new_notebook(cells=[
        new_markdown_cell("# Assignment 6: norms"),
        _cell(setup_cell_source(), "setup"),
        _cell("import numpy as np", "imports"),
        _cell("def l2_norm(v):\n    ### BEGIN SOLUTION\n    return float(np.sqrt(np.sum(np.asarray(v) ** 2)))\n"
              "    ### END SOLUTION", "l2_norm", solution=True),
        _cell("# Check that l2_norm measures vectors of any length.\nfrom nnkit.questions import ask\n"
              "### BEGIN HIDDEN TESTS\nfor _v in ([3, 4], [1, 2, 2], [0.5]):\n"
              "    ask(f\"l2_norm of {_v}\", l2_norm, _v)\n### END HIDDEN TESTS",
              "l2_norm_of_vectors", grade=True, points=2),
        _cell("def l1_norm(v):\n    ### BEGIN SOLUTION\n    return float(np.sum(np.abs(v)))\n    ### END SOLUTION",
              "l1_norm", solution=True),
        _cell("# Check that l1_norm adds absolute values.\nfrom nnkit.questions import ask\n"
              "### BEGIN HIDDEN TESTS\nask(\"l1_norm of [-1, 2]\", l1_norm, [-1, 2])\n### END HIDDEN TESTS",
              "l1_norm_of_vectors", grade=True, points=1),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["course"] = {"order": 6, "builds": "vector norms"}
    return nb


def _course_of_five(where):
    """A scratch course with the five assignments as they are committed, released already."""
    for name in LINKED:
        (where / name).symlink_to(ROOT / name)
    shutil.copy(ROOT / "nbgrader_config.py", where)
    for folder in ("source", "release", "samples"):
        (where / folder).mkdir()
    shutil.copytree(ROOT / "release-history", where / "release-history")
    for assignment in available(ROOT):
        for folder in ("source", "release"):
            (where / folder / assignment).symlink_to(ROOT / folder / assignment)
        (where / "samples" / f"{assignment}.py").symlink_to(ROOT / "samples" / f"{assignment}.py")
    return where


def _paths(root):
    """Every file and folder of the course, by relative path, links not followed."""
    found = set()
    for folder, dirs, files in os.walk(root):
        found |= {os.path.relpath(os.path.join(folder, name), root) for name in dirs + files}
    return found


def _text(page):
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))


@pytest.mark.notebook
def test_a_sixth_assignment_needs_only_its_notebook_and_samples(tmp_path):
    root = _course_of_five(tmp_path)
    before = _paths(root)
    # The two files an instructor writes, and nothing else:
    notebook_path("source", NEW, root=root).parent.mkdir()
    nbformat.write(_source_notebook(), notebook_path("source", NEW, root=root))
    (root / "samples" / f"{NEW}.py").write_text(SAMPLES)
    added = _paths(root) - before

    assert available(root)[-1] == NEW and len(available(root)) == 6
    assert f"| 6 | `{NEW}` | vector norms |" in assignment_table(root)

    cli.main(["release", NEW], root=root)
    assert (root / "dist" / "student" / NEW / f"{NEW}.ipynb").is_file()
    write_submissions(NEW, load_samples(NEW, root), root)  # what `collect` would place
    cli.main(["grade", NEW], root=root)
    cli.main(["feedback", NEW], root=root)
    cli.main(["report", NEW], root=root)

    scores = {student: {q: s.score for q, s in row.items()} for student, row in cell_scores(NEW, root).items()}
    assert scores == {"reference": {"l2_norm_of_vectors": 2, "l1_norm_of_vectors": 1},
                      "untouched": {"l2_norm_of_vectors": 0, "l1_norm_of_vectors": 0},
                      "mistake-l2-not-rooted": {"l2_norm_of_vectors": 0, "l1_norm_of_vectors": 1},
                      "correct-l2-by-hypot": {"l2_norm_of_vectors": 2, "l1_norm_of_vectors": 1}}
    feedback = _text(root / "feedback" / "mistake-l2-not-rooted" / NEW / f"{NEW}.html")
    assert "l2_norm of [3, 4]" in feedback and "HIDDEN TESTS" not in feedback
    assert "l2_norm_of_vectors" in _text(report_page(NEW, root))
    assert added == {f"source/{NEW}", f"source/{NEW}/{NEW}.ipynb", f"samples/{NEW}.py"}
