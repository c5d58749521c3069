"""collect -> grade -> export, really grading: a Moodle download of the tiny course, back as Moodle's worksheet."""
from __future__ import annotations

import csv
import io
import zipfile

import nbformat
import pytest

from autograder.grade.batch import grade_batch
from autograder.collect import collect
from autograder.export import main

from tests.autograder import tiny_course as tiny
from tests.autograder.tiny_course import WRONG_DOUBLE


@pytest.mark.notebook
def test_a_moodle_download_graded_goes_back_as_moodles_worksheet_with_the_gradebooks_scores(tmp_path):
    root = tiny.make_course(tmp_path / "course")
    download = tmp_path / "download.zip"
    with zipfile.ZipFile(download, "w") as archive:  # "Download all submissions", in folders
        for folder, nb in [("Ana Lopez_2001_assignsubmission_file_", tiny.submission(root)),
                           ("Ben Okafor_2002_assignsubmission_file_", tiny.submission(root, double=WRONG_DOUBLE))]:
            archive.writestr(f"{folder}/{tiny.ASSIGNMENT}.ipynb", nbformat.writes(nb))
    roster = tmp_path / "roster.csv"
    roster.write_text("id,first_name,last_name,email,lms_id\ns1,Ana,Lopez,ana@example.edu,2001\n"
                      "s2,Ben,Okafor,ben@example.edu,2002\ns3,Chen,Wei,chen@example.edu,2003\n")
    assert sorted(collect(download, tiny.ASSIGNMENT, root, roster=roster).placed) == ["s1", "s2"]
    grade_batch(tiny.ASSIGNMENT, root, workers=1, progress=False)

    exported = main(root=root, assignment=tiny.ASSIGNMENT, missing="zero")
    rows = list(csv.DictReader(io.StringIO(exported.grades.read_text(encoding="utf-8-sig"))))
    assert exported.platform == "moodle"
    assert {r["Identifier"]: r["Grade"] for r in rows} == {
        "Participant 2001": "3", "Participant 2002": "2", "Participant 2003": "0"}
