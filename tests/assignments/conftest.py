"""Every test here that takes `assignment` runs on each assignment found under source/.

A module that tests one assignment only says so with `ASSIGNMENT = "<name>"`. `mistake` and
`variant` are parametrized with `assignment`, over that assignment's samples; `graded` is its
samples graded once per session in a scratch course, and marks the test `notebook`.
"""
import pytest

from autograder.course import available
from autograder.samples import load_samples

from .grading import grade_samples

KINDS = {"mistake": lambda s: bool(s.loses),
         "variant": lambda s: not s.loses and s.student.startswith("correct")}


@pytest.fixture(scope="session")
def _graded_cache():
    return {}


@pytest.fixture
def graded(assignment, _graded_cache, tmp_path_factory):
    if assignment not in _graded_cache:
        _graded_cache[assignment] = grade_samples(assignment, tmp_path_factory.mktemp(assignment))
    return _graded_cache[assignment]


def _parametrized_already(metafunc) -> set[str]:
    names = set()
    for mark in metafunc.definition.iter_markers("parametrize"):
        args = mark.args[0]
        names |= {a.strip() for a in (args.split(",") if isinstance(args, str) else args)}
    return names


def pytest_generate_tests(metafunc):
    if "assignment" not in metafunc.fixturenames or "assignment" in _parametrized_already(metafunc):
        return
    fixed = getattr(metafunc.module, "ASSIGNMENT", None)
    assignments = [fixed] if fixed else available()
    for kind, chosen in KINDS.items():
        if kind in metafunc.fixturenames:
            cases = [(a, s) for a in assignments for s in load_samples(a) if chosen(s)]
            metafunc.parametrize(("assignment", kind), cases, ids=[f"{a}-{s.student}" for a, s in cases])
            return
    metafunc.parametrize("assignment", assignments)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    # Grading samples runs notebooks: `make check` (-m "not notebook") leaves these out.
    for item in items:
        if "graded" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.notebook)
