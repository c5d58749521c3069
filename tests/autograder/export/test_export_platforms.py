"""export ASSIGNMENT --platform: collect's fixtures -> scores in the gradebook -> each platform's import file.

Scores are written into nbgrader's gradebook directly (grading real notebooks is slow); the one
test that really grades is test_export_end_to_end.py. The expected ids below are read off the
fixtures (tests/autograder/fixtures/collect/) and their rosters, not computed by the exporter.
"""
from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.collect import collect
from autograder.course import interpreter_on_path
from autograder.export import ExportError, main
from autograder.export.records import points

FIXTURES = Path(__file__).parents[1] / "fixtures" / "collect"
A1 = "forward_propagation"
MAX = 10.0
CONFIG = """c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "export-course"
c.CourseDirectory.db_url = "sqlite:///{db}"
"""

# platform -> (export, roster, {student: the platform's id for them}), every roster student listed.
ROUND_TRIPS = {
    "moodle": ("moodle_folders.zip", "moodle_roster.csv",
               {"s001": "1234567", "s002": "1234568", "s003": "1234569", "s004": "1234571"}),
    "canvas": ("canvas.zip", "canvas_roster.csv",
               {"s001": "48213", "s002": "48214", "s003": "48215", "s004": "48216", "s005": "48217"}),
    "blackboard": ("blackboard.zip", "blackboard_roster.csv",
                   {"s001": "alopez", "s002": "bokafor", "s003": "cwei7", "s004": "dito"}),
    "brightspace": ("brightspace.zip", "brightspace_roster.csv",
                    {"s001": "20067001", "s002": "20067002", "s003": "20067003"}),
    "gradescope": ("gradescope.zip", "gradescope_roster.csv",
                   {"s001": "1234567", "s002": "1234568", "s003": "chen.wei@example.edu", "s004": "1234571"}),
}
# platform -> (the column naming the student, how the id is written there, the score column)
COLUMNS = {
    "moodle": ("Identifier", "Participant {}", "Grade"),
    "canvas": ("ID", "{}", "Forward propagation"),
    "blackboard": ("Username", "{}", "Forward propagation [Total Pts: 10 Score]"),
    "brightspace": ("OrgDefinedId", "{}", "Forward propagation Points Grade"),
    "gradescope": ("SID", "{}", "Total Score"),
}


@pytest.fixture(scope="module")
def empty_gradebook(tmp_path_factory) -> Path:
    """A gradebook knowing the assignment, made once: creating one takes nbgrader many seconds here."""
    interpreter_on_path()  # a new gradebook runs `alembic` from PATH
    path = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    with Gradebook(f"sqlite:///{path}", "export-course") as gb:
        gb.update_or_create_assignment(A1)
        gb.update_or_create_notebook(A1, A1)
        gb.update_or_create_grade_cell("test_forward", A1, A1, max_score=MAX, cell_type="code")
    return path


@pytest.fixture
def course(empty_gradebook):
    """Makes a course folder with nbgrader's config and a copy of the empty gradebook."""
    def make(root: Path) -> Path:
        root.mkdir(parents=True, exist_ok=True)
        (root / "nbgrader_config.py").write_text(CONFIG.format(db=root / "gradebook.db"))
        shutil.copy(empty_gradebook, root / "gradebook.db")
        return root
    return make


def record_scores(root: Path, scores: dict[str, float], penalties: dict[str, float] | None = None) -> None:
    """Put `scores` (student -> points out of MAX) into nbgrader's gradebook as grading would."""
    penalties = penalties or {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "export-course") as gb:
        for student, score in scores.items():
            gb.update_or_create_student(student)
            gb.update_or_create_submission(A1, student)
            gb.find_grade("test_forward", A1, A1, student).auto_score = score
            gb.find_submission_notebook(A1, A1, student).late_submission_penalty = penalties.get(student, 0.0)
        gb.db.commit()


def roster_for(platform: str, tmp_path: Path) -> Path:
    source = FIXTURES / ROUND_TRIPS[platform][1]
    if platform != "brightspace":
        return source
    # Brightspace's download names students only by name: its ids come from the roster.
    lines = source.read_text().splitlines()
    ids = ROUND_TRIPS["brightspace"][2]
    rows = [lines[0] + ",org_defined_id"] + [f"{line},{ids[line.split(',')[0]]}" for line in lines[1:]]
    (tmp_path / "roster.csv").write_text("\n".join(rows) + "\n")
    return tmp_path / "roster.csv"


def collected(course, platform: str, tmp_path: Path) -> tuple[Path, dict[str, float]]:
    """A course with the platform's fixture collected and each placed student given a distinct score,
    the first one late by a point; returns the scores after the penalty, as nbgrader holds them."""
    root = course(tmp_path / "course")
    result = collect(FIXTURES / ROUND_TRIPS[platform][0], A1, root, roster=roster_for(platform, tmp_path))
    raw = {student: 2.5 + i for i, student in enumerate(sorted(result.placed))}
    record_scores(root, raw, penalties={"s001": 1.0})
    return root, {student: score - (student == "s001") for student, score in raw.items()}


def read_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def by_platform_id(platform: str, rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    column = COLUMNS[platform][0]
    found: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        key = row[column] or (row["Email"] if platform == "gradescope" else "")
        found.setdefault(key, []).append(row)
    return found


@pytest.mark.parametrize("platform", list(ROUND_TRIPS))
@pytest.mark.parametrize("missing", ["empty", "zero"])
def test_every_roster_student_is_in_the_import_file_once_under_the_platform_id_with_nbgraders_score(
        platform, missing, course, tmp_path):
    root, scores = collected(course, platform, tmp_path)
    exported = main(root=root, assignment=A1, missing=missing)  # the platform as collect recognised it
    assert exported.platform == platform
    assert exported.grades == root / "exports" / A1 / f"{platform}.csv"
    rows = by_platform_id(platform, read_rows(exported.grades))
    ids, (_, written_as, score_column) = ROUND_TRIPS[platform][2], COLUMNS[platform]
    assert sorted(rows) == sorted(written_as.format(i) for i in ids.values())
    for student, platform_id in ids.items():
        (row,) = rows[written_as.format(platform_id)]
        if student in scores:
            assert float(row[score_column]) == scores[student]
        else:
            assert row[score_column] == ("0" if missing == "zero" else "")


def test_moodle_worksheet_has_the_columns_moodles_importer_requires(course, tmp_path):
    root, _ = collected(course, "moodle", tmp_path)
    header = read_rows(main(root=root, assignment=A1).grades)[0].keys()
    assert {"Identifier", "Grade", "Last modified (grade)"} <= set(header)


def test_canvas_file_ends_its_student_columns_with_section_as_canvas_requires(course, tmp_path):
    root, _ = collected(course, "canvas", tmp_path)
    header = list(read_rows(main(root=root, assignment=A1).grades)[0].keys())
    assert header[:2] == ["Student", "ID"] and header[header.index("Section") + 1] == "Forward propagation"


def test_blackboard_file_quotes_every_value_as_blackboard_asks_of_comma_files(course, tmp_path):
    root, _ = collected(course, "blackboard", tmp_path)
    lines = main(root=root, assignment=A1).grades.read_text(encoding="utf-8-sig").splitlines()
    assert all(line.startswith('"') and line.endswith('"') and line.count('","') == 3 for line in lines)


def test_column_given_as_in_the_platforms_download_heads_the_score_column(course, tmp_path):
    root, scores = collected(course, "canvas", tmp_path)
    rows = read_rows(main(root=root, assignment=A1, column="Forward propagation (771234)").grades)
    assert {float(r["Forward propagation (771234)"]) for r in rows if r["Forward propagation (771234)"]} \
        == set(scores.values())


def test_late_penalty_is_taken_off_the_score_and_named_in_moodles_feedback_comment(course, tmp_path):
    root = course(tmp_path / "course")
    collect(FIXTURES / "moodle_folders.zip", A1, root, roster=FIXTURES / "moodle_roster.csv")
    record_scores(root, {"s001": 9.0, "s002": 1.0}, penalties={"s001": 2.0, "s002": 3.0})
    rows = by_platform_id("moodle", read_rows(main(root=root, assignment=A1).grades))
    ana, ben = rows["Participant 1234567"][0], rows["Participant 1234568"][0]
    assert (ana["Grade"], ben["Grade"]) == ("7", "0")  # as nbgrader's score: never below zero
    assert "2 points" in ana["Feedback comments"] and rows["Participant 1234569"][0]["Feedback comments"] == ""


def test_points_read_back_as_the_score_to_two_decimals():
    for value in [i / 997 for i in range(0, 200_000, 13)] + [1e6 / 3, 0.005, 2.675, 10.0]:
        written = points(value)
        assert abs(float(written) - value) <= 0.005 + 1e-9 and not written.endswith((".", "0.0"))


def feedback_pages(root: Path, students) -> None:
    for student in students:
        page = root / "feedback" / student / A1 / f"{A1}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<p>feedback for {student}</p>")


def moodle_reads(path: str) -> str | None:
    """The participant id Moodle's feedback zip import reads from a zip entry's path
    (importziplib.php, is_valid_filename_for_import), or None if it would skip the file."""
    for part in path.split("/"):
        info = part.split("_", 4)
        if len(info) >= 4 and info[1].isdigit() and (info[2], info[3]) == ("assignsubmission", "file"):
            return info[1]
    return None


def test_moodle_feedback_is_one_zip_in_the_folders_the_download_used(course, tmp_path):
    root, scores = collected(course, "moodle", tmp_path)
    feedback_pages(root, scores)
    exported = main(root=root, assignment=A1)
    with zipfile.ZipFile(exported.feedback) as archive:
        names = archive.namelist()
        assert "Ana Maria Lopez_1234567_assignsubmission_file_/forward_propagation.html" in names
        assert sorted(moodle_reads(n) for n in names) == ["1234567", "1234568"]
        assert all(archive.read(n).decode() == f"<p>feedback for {s}</p>"
                   for n, s in zip(sorted(names), sorted(scores)))


@pytest.mark.parametrize("platform", ["canvas", "blackboard", "brightspace", "gradescope"])
def test_other_platforms_get_one_feedback_zip_per_student_named_by_their_platform_id(platform, course, tmp_path):
    root, scores = collected(course, platform, tmp_path)
    feedback_pages(root, scores)
    exported = main(root=root, assignment=A1)
    ids = ROUND_TRIPS[platform][2]
    assert sorted(p.name for p in exported.feedback.iterdir()) == sorted(f"{ids[s]}_{s}.zip" for s in scores)
    with zipfile.ZipFile(exported.feedback / f"{ids['s001']}_s001.zip") as archive:
        assert archive.namelist() == [f"{A1}.html"]


def test_students_without_feedback_pages_yet_are_listed(course, tmp_path):
    root, scores = collected(course, "canvas", tmp_path)
    feedback_pages(root, ["s001"])
    exported = main(root=root, assignment=A1)
    assert exported.without_feedback == sorted(set(scores) - {"s001"})


# Bad input: a clear message, and nothing written, not even half a file.

def test_a_graded_student_not_on_the_roster_stops_the_export(course, tmp_path):
    root, scores = collected(course, "canvas", tmp_path)
    record_scores(root, {**scores, "u999": 4.0})
    with pytest.raises(ExportError, match="not on the roster.*u999"):
        main(root=root, assignment=A1)
    assert not (root / "exports").exists()


def test_a_roster_without_the_platforms_id_column_stops_the_export(course, tmp_path):
    root = course(tmp_path / "course")
    collect(FIXTURES / "brightspace.zip", A1, root, roster=FIXTURES / "brightspace_roster.csv")
    record_scores(root, {"s001": 5.0, "s002": 6.0})
    with pytest.raises(ExportError, match="has no `org_defined_id` or `username` column"):
        main(root=root, assignment=A1)
    assert not (root / "exports").exists()


def test_a_roster_student_without_an_id_stops_the_export_naming_them(course, tmp_path):
    root = course(tmp_path / "course")
    roster = tmp_path / "roster.csv"
    roster.write_text((FIXTURES / "canvas_roster.csv").read_text().replace(",48217", ","))
    placed = collect(FIXTURES / "canvas.zip", A1, root, roster=roster).placed
    record_scores(root, dict.fromkeys(placed, 5.0))
    with pytest.raises(ExportError, match="Canvas user id.*s005 has none"):
        main(root=root, assignment=A1)


def test_an_assignment_not_graded_yet_stops_the_export(course, tmp_path):
    root = course(tmp_path / "course")
    collect(FIXTURES / "canvas.zip", A1, root, roster=FIXTURES / "canvas_roster.csv")
    with pytest.raises(ExportError, match="not been graded yet"):
        main(root=root, assignment=A1)
    record_scores(root, {"s001": 5.0})  # one graded, the others collected since
    with pytest.raises(ExportError, match="s002, s003, s004 handed in forward_propagation but are not graded"):
        main(root=root, assignment=A1)
    assert not (root / "exports").exists()


def test_a_failed_export_leaves_the_earlier_file_as_it_was(course, tmp_path):
    root, scores = collected(course, "canvas", tmp_path)
    before = main(root=root, assignment=A1).grades.read_bytes()
    record_scores(root, {**scores, "u999": 4.0})
    with pytest.raises(ExportError):
        main(root=root, assignment=A1)
    assert (root / "exports" / A1 / "canvas.csv").read_bytes() == before
    assert [p.name for p in (root / "exports" / A1).iterdir()] == ["canvas.csv"]


def test_a_plain_folder_needs_the_platform_named(course, tmp_path):
    root = course(tmp_path / "course")
    collect(FIXTURES / "plain_folders.zip", A1, root)
    record_scores(root, {"u101": 1.0, "u102": 2.0, "u103": 3.0})
    with pytest.raises(ExportError, match="plain layout; give --platform"):
        main(root=root, assignment=A1)
    with pytest.raises(ExportError, match="collect ran without a roster"):
        main(root=root, assignment=A1, platform="moodle")


def test_the_command_line_exports_for_a_platform_and_says_why_it_cannot(course, tmp_path, capsys):
    from autograder import cli

    root, _ = collected(course, "blackboard", tmp_path)
    (root / "source" / A1).mkdir(parents=True)
    shutil.copy(Path(__file__).parents[3] / "source" / A1 / f"{A1}.ipynb", root / "source" / A1)
    cli.main(["export", A1, "--missing", "zero"], root=root)
    assert "blackboard:" in capsys.readouterr().out
    with pytest.raises(SystemExit) as stop:
        cli.main(["export", A1, "--platform", "brightspace"], root=root)
    assert stop.value.code == 2 and "org_defined_id" in capsys.readouterr().err


def test_without_an_assignment_export_writes_nbgraders_grades_csv(course, tmp_path):
    root = course(tmp_path / "course")
    record_scores(root, {"s001": 4.0}, penalties={"s001": 1.0})
    (row,) = read_rows(main(root=root))
    assert (row["student_id"], row["raw_score"], row["score"]) == ("s001", "4.0", "3.0")
