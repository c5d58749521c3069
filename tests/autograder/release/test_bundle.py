"""The student bundle holds what students need and nothing of the instructor's.

What must never be in it is read from source/ when the test runs: every line of a solution
region or hidden-test region that no release notebook holds.
"""
import builtins
import keyword
import re
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.release.bundle import CourseBundle, bundle_notebooks, colab_table, course_bundle, write_bundle
from autograder.release.bundle.links import END, START
from autograder.release.bundle.notebooks import setup_cell
from autograder.course import ROOT, available

INSTRUCTOR_ONLY = {"source", "samples", "provided", "autograder", "tests", "benchmarks", "release", "submitted",
                   "autograded", "feedback", "reports", "full", ".ci", "dist"}
REGIONS = [("### BEGIN SOLUTION", "### END SOLUTION"), ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")]
# A line made only of Python's own words (`except (TypeError, ValueError):`) tells nothing.
PYTHON_WORDS = set(keyword.kwlist) | set(dir(builtins))


def _region_lines(source: str, begin: str, end: str) -> list[str]:
    lines, inside = [], False
    for line in source.split("\n"):
        if begin in line or end in line:
            inside = begin in line
        elif inside:
            lines.append(line.strip())
    return lines


# Input-normalising idioms that nnkit's provided helpers share with solutions word for word; they
# say nothing of an answer ("y = np.asarray(y)", labels from one-hot rows).
IDIOMS = re.compile(r"^(\w+) = np\.(asarray|array)\(\1(, dtype=\w+)?\)$"
                    r"|^return (\w+)\.argmax\(axis=1\) if \4\.ndim == 2 else \4\.astype\(int\)$")


def _telling(line: str) -> bool:
    words = set(re.findall(r"[A-Za-z_]\w*", line))
    return len(line) >= 10 and not words <= PYTHON_WORDS and not IDIOMS.match(line)


def _notebook_text(nb) -> str:
    return "\n".join(c.source for c in nb.cells)


def secret_lines(root: Path = ROOT) -> set[str]:
    """Lines of source/'s solutions (and written answers) and hidden tests that no release notebook holds."""
    released = "\n".join(_notebook_text(nbformat.read(root / "release" / a / f"{a}.ipynb", as_version=4))
                         for a in available(root))
    secrets = set()
    for assignment in available(root):
        for cell in nbformat.read(root / "source" / assignment / f"{assignment}.ipynb", as_version=4).cells:
            lines = [line for begin, end in REGIONS for line in _region_lines(cell.source, begin, end)]
            if cell.cell_type == "markdown" and cell.metadata.get("nbgrader", {}).get("solution"):
                lines += [line.strip() for line in cell.source.split("\n")]
            secrets |= {line for line in lines if _telling(line) and line not in released}
    return secrets


def file_texts(files: dict[str, bytes]) -> dict[str, str]:
    """Each file's text as a reader sees it: a notebook's cells and outputs, other files decoded."""
    texts = {}
    for name, data in files.items():
        if name.endswith(".ipynb"):
            nb = nbformat.reads(data.decode(), as_version=4)
            outputs = [str(o) for c in nb.cells for o in c.get("outputs", [])]
            texts[name] = _notebook_text(nb) + "\n".join(outputs)
        else:
            texts[name] = data.decode("utf-8", errors="ignore")
    return texts


def leaks(files: dict[str, bytes], secrets: set[str]) -> list[tuple[str, str]]:
    return [(name, line) for name, text in file_texts(files).items() for line in secrets if line in text]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    where = tmp_path_factory.mktemp("bundle")
    folder, archive = write_bundle(CourseBundle(url=course_bundle().url, folder=str(where / "student")))
    in_folder = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    with zipfile.ZipFile(archive) as z:
        in_zip = {name: z.read(name) for name in z.namelist()}
    return folder, archive, in_folder, in_zip


def test_bundle_holds_the_notebooks_labs_helpers_data_and_student_files(bundle):
    folder, _, in_folder, _ = bundle
    expected = {*available(), "notebooks", "nnkit", "data", "bin", "Makefile", "README.md",
                "requirements.txt", ".course-bundle"}
    assert {p.name for p in folder.iterdir()} == expected
    for path in bundle_notebooks():
        assert path in in_folder
    assert (folder / "requirements.txt").read_text() == (ROOT / "requirements-student.txt").read_text()


def test_zip_holds_the_folder_under_one_top_folder(bundle):
    _, archive, in_folder, in_zip = bundle
    top = archive.stem
    assert {name.split("/", 1)[0] for name in in_zip} == {top}
    assert {name.split("/", 1)[1]: data for name, data in in_zip.items()} == {
        name: data for name, data in in_folder.items() if name != ".course-bundle"}
    with zipfile.ZipFile(archive) as z:
        assert z.getinfo(f"{top}/bin/lab").external_attr >> 16 & 0o111  # `make lab` can run it


def test_bundle_has_no_instructor_folder_gradebook_or_answer_key(bundle):
    _, _, in_folder, in_zip = bundle
    for name in [*in_folder, *(n.split("/", 1)[1] for n in in_zip)]:
        parts = name.split("/")
        assert not INSTRUCTOR_ONLY & set(parts[:-1]), name
        assert not re.search(r"gradebook|\.db$|key-.*\.json$|nbgrader_config", parts[-1]), name


def test_bundle_holds_no_line_of_a_solution_or_hidden_test(bundle):
    _, _, in_folder, in_zip = bundle
    secrets = secret_lines()
    assert len(secrets) > 100  # the search has something to look for
    assert leaks(in_folder, secrets) == []
    assert leaks(in_zip, secrets) == []


def test_the_search_finds_solution_lines_where_they_are():
    sources = {a: (ROOT / "source" / a / f"{a}.ipynb").read_bytes() for a in available()}
    found = {name for name, _ in leaks(sources, secret_lines())}
    assert found == set(available())


def test_every_bundle_notebook_downloads_the_configured_bundle_in_colab(bundle):
    folder = bundle[0]
    for path in bundle_notebooks():
        nb = nbformat.read(folder / path, as_version=4)
        assert f'COURSE_BUNDLE = "{course_bundle().url}"' in setup_cell(nb).source, path


def test_release_does_not_replace_a_folder_it_did_not_write(tmp_path):
    work = tmp_path / "student"
    work.mkdir()
    (work / "my_answers.ipynb").write_text("{}")
    with pytest.raises(SystemExit, match="not a student bundle"):
        write_bundle(CourseBundle(url="https://example.org/s.zip", folder=str(work)))
    assert [p.name for p in work.iterdir()] == ["my_answers.ipynb"]


def _pins(path: Path) -> dict[str, str]:
    lines = [line for line in path.read_text().splitlines() if line and not line.startswith("#")]
    return {line.split(";")[0].split("==")[0] + (line.partition(";")[2]): line for line in lines}


def test_student_requirements_pin_jupyter_as_the_course_does_and_hold_no_grading_tools():
    student, course = _pins(ROOT / "requirements-student.txt"), _pins(ROOT / "requirements.txt")
    names = {key.split(" ")[0] for key in student}
    assert {"jupyterlab", "notebook", "ipykernel", "ipywidgets", "numpy"} <= names
    assert not names & {"nbgrader", "dask", "distributed", "pytest", "mlxtend"}
    assert all("==" in line for line in student.values())
    for key, line in student.items():
        assert course.get(key) == line, f"requirements-student.txt pins {line!r}, requirements.txt does not"


def test_colab_links_come_from_a_github_branch_zip_or_the_github_setting():
    zip_url = "https://github.com/prof/nn-course/archive/refs/heads/main.zip"
    table = colab_table(CourseBundle(url=zip_url), ["optimizers/optimizers.ipynb"])
    assert "(https://colab.research.google.com/github/prof/nn-course/blob/main/optimizers/optimizers.ipynb)" in table
    elsewhere = CourseBundle(url="https://uni.example/nn.zip", github="prof/nn-course/spring")
    assert "/github/prof/nn-course/blob/spring/optimizers/optimizers.ipynb)" in colab_table(
        elsewhere, ["optimizers/optimizers.ipynb"])
    assert "c.CourseBundle.github" in colab_table(CourseBundle(url="https://uni.example/nn.zip"), [])


def test_course_readme_links_every_notebook_to_colab_as_release_writes_them():
    readme = (ROOT / "README.md").read_text()
    block = readme[readme.index(START) + len(START):readme.index(END)].strip()
    assert block == colab_table(course_bundle(), bundle_notebooks())
