import pytest

# The shared tests live in harness.py, not a test module: ask pytest to explain its asserts too.
pytest.register_assert_rewrite("tests.assignments.harness")

from autograder.samples import load_samples

from .grading import grade_samples


@pytest.fixture(scope="session")
def _graded_cache():
    return {}


@pytest.fixture
def graded(request, _graded_cache, tmp_path_factory):
    assignment = request.cls.assignment
    if assignment not in _graded_cache:
        _graded_cache[assignment] = grade_samples(assignment, tmp_path_factory.mktemp(assignment))
    return _graded_cache[assignment]


def pytest_generate_tests(metafunc):
    if metafunc.cls is None or not hasattr(metafunc.cls, "assignment"):
        return
    samples = load_samples(metafunc.cls.assignment)
    if "mistake" in metafunc.fixturenames:
        mistakes = [s for s in samples if s.loses]
        metafunc.parametrize("mistake", mistakes, ids=[s.student for s in mistakes])
    if "variant" in metafunc.fixturenames:
        variants = [s for s in samples if not s.loses and s.student.startswith("correct")]
        metafunc.parametrize("variant", variants, ids=[s.student for s in variants])
