"""Commands run out of order, or on what is missing, say what is missing and what to run: no traceback."""
from __future__ import annotations

import subprocess
import sys

import pytest

from autograder import cli

from .full_course import ASSIGNMENT, course
from .tiny_course import ROOT


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    return course(tmp_path_factory.mktemp("fresh"))


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    return course(tmp_path_factory.mktemp("released"), release=True)


# Releasing the whole course takes over a minute: tests on a released course are left out of `make check`.
slow = pytest.mark.slow


def fails_saying(root, argv, *phrases):
    with pytest.raises(SystemExit) as stop:
        cli.main(argv, root=root)
    message = str(stop.value.code)
    assert stop.value.code not in (0, None)
    for phrase in phrases:
        assert phrase in message, message
    return message


@pytest.mark.parametrize("command", ["grade", "feedback", "report", "scores"])
def test_a_command_on_an_assignment_never_released_says_to_release_it(fresh, command):
    fails_saying(fresh, [command, ASSIGNMENT], "has not been released", "no gradebook yet",
                 f"python -m autograder release {ASSIGNMENT}")
    assert not (fresh / "gradebook.db").exists()  # asking created no gradebook


def test_export_before_anything_was_released_says_what_to_run(fresh):
    fails_saying(fresh, ["export"], "nothing to export", "release ASSIGNMENT")


@slow
def test_grade_with_nothing_collected_says_to_collect(released):
    fails_saying(released, ["grade", ASSIGNMENT], "nothing has been collected",
                 f"python -m autograder collect SUBMISSIONS {ASSIGNMENT}")


@slow
@pytest.mark.parametrize("command", ["feedback", "report", "scores"])
def test_feedback_report_and_scores_before_grading_say_to_grade(released, command):
    fails_saying(released, [command, ASSIGNMENT], "has not been graded", f"python -m autograder grade {ASSIGNMENT}")


def test_collect_from_a_missing_folder_says_so(fresh, tmp_path):
    fails_saying(fresh, ["collect", str(tmp_path / "nowhere"), ASSIGNMENT], "does not exist")


def test_an_unknown_assignment_lists_the_course_assignments(fresh):
    fails_saying(fresh, ["grade", "forward_propagatoin"], "unknown assignment", ASSIGNMENT)


def test_the_command_line_prints_the_reason_without_a_traceback(fresh):
    run = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; from autograder import cli; "
                          f"cli.main(['grade', '{ASSIGNMENT}'], root=Path(sys.argv[1]))", str(fresh)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr and "has not been released" in run.stderr
