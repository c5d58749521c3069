"""collect on each learning platform's export: the field case and the invented fixtures.

The fixtures (tests/autograder/fixtures/collect/, written by make_exports.py there) follow the
layouts described in autograder/collect/<platform>.py. Each notebook in them holds one cell,
`label = "..."`, naming whose file it is, so the tests check which file was placed.
"""
from __future__ import annotations

import json
import os
import time
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.collect import CollectError, collect, detect
from autograder.collect.export import read_export

FIXTURES = Path(__file__).parents[1] / "fixtures" / "collect"
# A copy of ../shared/field-cases/collect_moodle_download_all.zip, the export that once made
# three students into one called "forward".
FIELD_CASE = FIXTURES / "field_case_moodle_download_all.zip"
A1 = "forward_propagation"


def labels(root: Path) -> dict[str, str]:
    """student -> the label of the notebook placed for them."""
    found = {}
    for path in sorted((root / "submitted").glob(f"*/{A1}/{A1}.ipynb")):
        source = nbformat.read(path, as_version=4).cells[0].source
        found[path.parts[-3]] = source.split("=", 1)[1].strip().strip("'\"")
    return found


def test_moodle_download_all_field_case_gives_three_students_each_with_their_notebook(tmp_path):
    result = collect(FIELD_CASE, A1, tmp_path)
    assert result.platform == "moodle"
    assert sorted(result.placed) == ["1234567", "1234568", "1234569"]
    assert result.placed["1234569"].endswith("Chen Wei_1234569_assignsubmission_file/Copy of forward_propagation.ipynb")
    assert not result.replaced and not result.not_placed and not result.invalid
    with zipfile.ZipFile(FIELD_CASE) as export:
        for student, origin in result.placed.items():
            handed_in = export.read(origin.split("!", 1)[1])
            assert (tmp_path / "submitted" / student / A1 / f"{A1}.ipynb").read_bytes() == handed_in


def test_pattern_may_match_the_whole_path_inside_the_export(tmp_path):
    result = collect(FIELD_CASE, A1, tmp_path, pattern=r"_(?P<student>\d+)_assignsubmission")
    assert result.platform == "plain"
    assert sorted(result.placed) == ["1234567", "1234568", "1234569"]


@pytest.mark.parametrize("export, platform", [
    ("moodle_folders.zip", "moodle"), ("moodle_flat.zip", "moodle"), ("canvas.zip", "canvas"),
    ("blackboard.zip", "blackboard"), ("brightspace.zip", "brightspace"),
    ("gradescope.zip", "gradescope"), ("plain_folders.zip", "plain")])
def test_the_platform_is_recognised_from_the_export_layout(export, platform):
    members, problems = read_export(FIXTURES / export)
    assert detect(members) == platform and not problems


def test_moodle_folders_newest_of_two_renamed_copies_wins_and_the_only_notebook_is_taken(tmp_path):
    result = collect(FIXTURES / "moodle_folders.zip", A1, tmp_path)
    assert labels(tmp_path) == {"1234567": "ana", "1234568": "ben new", "1234570": "dana"}
    assert len(result.replaced) == 1 and "Copy of forward_propagation.ipynb" in result.replaced[0]
    reasons = {origin.rsplit("/", 1)[-1]: why for origin, why in result.not_placed.items()}
    assert reasons == {"onlinetext.html": "an online text answer, not a notebook",
                       "notes.pdf": "not a notebook file (.pdf)"}


def test_moodle_roster_maps_participant_ids_and_names_and_lists_both_missing_sides(tmp_path):
    result = collect(FIXTURES / "moodle_folders.zip", A1, tmp_path, roster=FIXTURES / "moodle_roster.csv")
    assert labels(tmp_path) == {"s001": "ana", "s002": "ben new"}  # s002 by name: no lms_id
    assert list(result.not_on_roster) == ["Dana Ito (1234570)"]
    assert result.missing == ["s003", "s004"]
    assert "on the roster, nothing handed in: s003, s004" in str(result)


def test_moodle_flat_layout_with_the_prefix_on_each_file(tmp_path):
    collect(FIXTURES / "moodle_flat.zip", A1, tmp_path)
    assert labels(tmp_path) == {"1234567": "ana", "1234568": "ben"}


def test_canvas_resubmission_wins_late_is_listed_and_a_students_zip_is_read(tmp_path):
    result = collect(FIXTURES / "canvas.zip", A1, tmp_path, roster=FIXTURES / "canvas_roster.csv")
    assert labels(tmp_path) == {"s001": "ana resubmitted", "s002": "ben", "s003": "chen", "s004": "dana"}
    assert result.late == {"s002": "marked LATE by Canvas: Copy of forward_propagation.ipynb"}
    assert len(result.replaced) == 1 and "9310455_forward_propagation.ipynb" in result.replaced[0]
    assert result.missing == ["s005"]
    assert "an online text or URL submission, not a notebook" in result.not_placed.values()


def test_canvas_without_roster_names_students_by_canvas_user_id(tmp_path):
    collect(FIXTURES / "canvas.zip", A1, tmp_path)
    assert sorted(labels(tmp_path)) == ["48213", "48214", "48215", "48216"]


def test_blackboard_later_attempt_wins_and_username_or_receipt_name_finds_the_student(tmp_path):
    result = collect(FIXTURES / "blackboard.zip", A1, tmp_path, roster=FIXTURES / "blackboard_roster.csv")
    # s003 has no username on the roster: the receipt's "Name: Chen Wei (cwei7)" finds him
    assert labels(tmp_path) == {"s001": "ana attempt 2", "s002": "ben", "s003": "chen"}
    assert len(result.replaced) == 1 and "attempt_2026-11-28-10-00-00" in result.replaced[0]
    assert result.missing == ["s004"] and not result.not_placed


def test_brightspace_later_submission_folder_wins_over_a_later_zip_entry(tmp_path):
    result = collect(FIXTURES / "brightspace.zip", A1, tmp_path, roster=FIXTURES / "brightspace_roster.csv")
    assert labels(tmp_path) == {"s001": "ana second", "s002": "ben"}
    assert "Nov 28, 2026 1022 PM" in result.replaced[0]
    assert list(result.not_on_roster) == ["Dana Ito"] and result.missing == ["s003"]
    assert not result.not_placed  # index.html is Brightspace's own list, not a lost file


def test_brightspace_without_roster_derives_ids_from_names(tmp_path):
    collect(FIXTURES / "brightspace.zip", A1, tmp_path)
    assert labels(tmp_path) == {"Ana-Maria-Lopez": "ana second", "Ben-Okafor": "ben", "Dana-Ito": "dana"}


def test_gradescope_metadata_names_submitters_and_a_group_notebook_goes_to_each(tmp_path):
    result = collect(FIXTURES / "gradescope.zip", A1, tmp_path, roster=FIXTURES / "gradescope_roster.csv")
    # Chen has no SID in Gradescope: the e-mail finds him
    assert labels(tmp_path) == {"s001": "ana", "s002": "ben and chen", "s003": "ben and chen"}
    assert list(result.not_on_roster) == ["Dana Ito (1234570, dana.ito@example.edu)"]
    assert result.missing == ["s004"]


def test_gradescope_without_roster_uses_the_sid(tmp_path):
    collect(FIXTURES / "gradescope.zip", A1, tmp_path)
    assert {"1234567", "1234568", "1234570"} <= set(labels(tmp_path))


def test_plain_folders_newest_renamed_copy_wins_and_checkpoints_are_not_placed(tmp_path):
    result = collect(FIXTURES / "plain_folders.zip", A1, tmp_path)
    assert labels(tmp_path) == {"u101": "u101", "u102": "u102", "u103": "u103 new"}
    assert list(result.not_placed.values()) == ["a Jupyter checkpoint copy, not the submission"]


def test_forcing_another_platform_places_nothing_and_says_why(tmp_path):
    result = collect(FIXTURES / "moodle_flat.zip", A1, tmp_path, platform="canvas")
    assert not result.placed
    assert all("not in Canvas's layout" in why for why in result.not_placed.values())


def test_summary_is_kept_in_reports_collect_json(tmp_path):
    collect(FIXTURES / "canvas.zip", A1, tmp_path, roster=FIXTURES / "canvas_roster.csv")
    kept = json.loads((tmp_path / "reports" / A1 / "collect.json").read_text())
    assert kept["platform"] == "canvas" and kept["late"] and kept["missing"] == ["s005"]
    assert set(kept) >= {"placed", "replaced", "not_placed", "invalid", "not_on_roster", "missing", "late"}


def test_an_unknown_platform_is_refused_in_words(tmp_path):
    with pytest.raises(CollectError, match="unknown platform 'moodel'; collect reads: gradescope"):
        collect(FIXTURES / "canvas.zip", A1, tmp_path, platform="moodel")


def test_plain_folders_inside_one_common_folder_are_still_one_student_each(tmp_path):
    inbox = tmp_path / "inbox" / "submissions"
    for student in ("u1", "u2"):
        (inbox / student).mkdir(parents=True)
        (inbox / student / f"{A1}.ipynb").write_bytes(b"{}")
    result = collect(tmp_path / "inbox", A1, tmp_path)
    assert sorted(result.placed) == ["u1", "u2"] and not result.replaced


def test_the_assignment_notebook_wins_over_a_newer_other_notebook_which_is_listed(tmp_path):
    inbox = tmp_path / "inbox" / "u1"
    inbox.mkdir(parents=True)
    (inbox / f"Copy of {A1}.ipynb").write_bytes(b"{}")
    (inbox / "scratch.ipynb").write_bytes(b"{}")
    result = collect(tmp_path / "inbox", A1, tmp_path)
    assert result.placed["u1"].endswith(f"Copy of {A1}.ipynb")
    assert result.replaced[0].startswith("u1:") and f"another notebook, not named like {A1}.ipynb" in result.replaced[0]


def test_a_platform_time_that_is_not_a_date_is_ignored_not_fatal(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / f"A1_alopez_attempt_2026-13-45-99-00-00_{A1}.ipynb").write_bytes(b"{}")
    result = collect(inbox, A1, tmp_path, platform="blackboard")
    assert list(result.placed) == ["alopez"]


def test_canvas_older_lower_case_late_and_anonymous_grading_names_are_read(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / f"lopez--ana-maria-late_48213_9310455_{A1}.ipynb").write_bytes(b"{}")
    (inbox / f"anon_xK3f9_9310456_{A1}.ipynb").write_bytes(b"{}")
    result = collect(inbox, A1, tmp_path)
    assert result.platform == "canvas" and sorted(result.placed) == ["48213", "anon_xK3f9"]
    assert list(result.late) == ["48213"]


@pytest.mark.parametrize("export", ["moodle_folders.zip", "canvas.zip", "blackboard.zip",
                                    "brightspace.zip", "gradescope.zip", "plain_folders.zip"])
def test_an_unzipped_export_places_the_same_notebooks_as_the_zip(tmp_path, export):
    collect(FIXTURES / export, A1, tmp_path / "from_zip")
    with zipfile.ZipFile(FIXTURES / export) as archive:
        archive.extractall(tmp_path / "unzipped")
        for info in archive.infolist():  # as unzip does, and Python's extractall does not
            when = time.mktime(info.date_time + (0, 0, -1))
            os.utime(tmp_path / "unzipped" / info.filename, (when, when))
    folder = tmp_path / "unzipped"
    if export == "gradescope.zip":  # the folder Gradescope's zip holds, as an instructor opens it
        folder = folder / "assignment_4815162_export"
    collect(folder, A1, tmp_path / "from_folder")
    assert labels(tmp_path / "from_folder") == labels(tmp_path / "from_zip") != {}
