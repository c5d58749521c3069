"""No silent loss in a student's folder, as a property: over generated placements of files in
submitted/<student>/<assignment>/ (the notebook as named, renamed copies, another assignment's
notebook, scratch notebooks, damaged files, scripts, folders), `handed_in.sort_out` takes the
assignment's notebook only when it is clearly that notebook (by content) and leaves every other
file with its reason; nbgrader's own files and ignored folders are not the student's. No kernel
runs here: `tests/properties/test_graded.py` grades such folders for real."""
from __future__ import annotations

import copy
import functools
import json
import os
from pathlib import Path

import nbformat
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from autograder.collect.export import MAX_READ
from autograder.course import ROOT, available
from autograder.grade.intake import handed_in
from autograder.grade.intake.admit import admit
from autograder.grade.intake.read import NotANotebook
from autograder.grade.record.notes import Note
from autograder.reasons import for_student
from autograder.grade.intake.handed_in import (AMBIGUOUS, EXTRA_COPY, FOLDER, NAME_HELD, NOT_A_NOTEBOOK,
                                               NOT_THIS_ASSIGNMENT, OTHER_ASSIGNMENT, Marks)
from tests.autograder import tiny_course as tiny

A = tiny.ASSIGNMENT
IGNORE = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]  # nbgrader's CourseDirectory.ignore default


def other_notebook():
    """Another assignment's notebook: its own grade cells, the same setup cell as the tiny one."""
    nb = tiny.source_notebook()
    nb.cells = [nb.cells[1], tiny._cell("def triple(x):\n    return 3 * x", "triple", solution=True),
                tiny._cell("# Check that triple triples\nassert triple(1) == 3", "test_triple", grade=True, points=1)]
    return nb


def answered():
    """The tiny assignment's notebook with honest answers in its solution cells."""
    nb = tiny.source_notebook()
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in ("square", "double"):
            cell.source = {"square": "def square(x):\n    return np.asarray(x) ** 2", "double": tiny.HONEST_DOUBLE}[gid]
    return nb


def vscode_2020(nb):
    """Metadata and ids dropped, as the 2020 VS Code extension saved: known by read-only text only."""
    nb = copy.deepcopy(nb)
    for i, cell in enumerate(nb.cells):
        cell.metadata, cell.id = {}, f"vscode-{i}"
    return nb


# What each kind of file is, written under a name of its kind.
KINDS = {
    "named": lambda: (f"{A}.ipynb", nbformat.writes(answered())),
    "renamed": lambda: (f"Copy of {A}.ipynb", nbformat.writes(answered())),
    "renamed-by-platform": lambda: (f"{A} (1).ipynb", nbformat.writes(answered())),
    "renamed-no-metadata": lambda: ("my work.ipynb", nbformat.writes(vscode_2020(answered()))),
    "other-assignment": lambda: ("other.ipynb", nbformat.writes(other_notebook())),
    "other-assignment-as-copy": lambda: (f"Copy of {A} (2).ipynb", nbformat.writes(other_notebook())),
    "scratch": lambda: ("scratch.ipynb", nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]))),
    "damaged": lambda: (f"{A} (3).ipynb", '{"cells": [ '),
    "script": lambda: (f"{A}.py", "# %%\nimport numpy as np\n"),
    "folder": lambda: ("figures", None),
    "folder-as-named": lambda: (f"{A}.ipynb", None),  # a folder under the notebook's own name
    "link-as-named": lambda: (f"{A}.ipynb", LINK),  # a link under it, to another notebook
    "pipe": lambda: (f"Copy of {A} (4).ipynb", PIPE),  # a named pipe: opening it would wait forever
    "nbgrader-timestamp": lambda: ("timestamp.txt", "2026-12-01 10:00:00.000000 UTC"),
    "checkpoints": lambda: (".ipynb_checkpoints", None),
    # macOS writes these beside a file copied to a share or a FAT drive (AppleDouble) and in folders.
    "apple-double": lambda: (f"._{A}.ipynb", "\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X"),
    "ds-store": lambda: (".DS_Store", "\x00\x00\x00\x01Bud1"),
}
LINK = object()  # written as a symbolic link to a notebook outside the folder
PIPE = object()  # made as a named pipe
IS_OURS = {"named", "renamed", "renamed-by-platform", "renamed-no-metadata"}
NOT_THE_STUDENTS = {"nbgrader-timestamp", "checkpoints", "apple-double", "ds-store"}


@functools.cache
def _written(kind: str) -> tuple[str, str | None]:
    return KINDS[kind]()


def place(folder: Path, kinds) -> dict[str, str]:
    """Write one file of each kind in `kinds` (a kind at most once); file name -> kind."""
    folder.mkdir(parents=True)
    placed = {}
    for kind in dict.fromkeys(kinds):
        name, text = _written(kind)
        if name in placed:  # one name, one entry
            continue
        if text is PIPE:
            os.mkfifo(folder / name)
        elif text is LINK:
            (folder.parent / "elsewhere.ipynb").write_text(nbformat.writes(answered()))
            (folder / name).symlink_to(folder.parent / "elsewhere.ipynb")
        elif text is None:
            (folder / name).mkdir()
            (folder / name / "inside.ipynb").write_text(nbformat.writes(answered()))
        else:
            (folder / name).write_text(text)
        placed[name] = kind
    return placed


def expected(placed: dict[str, str]) -> tuple[str | None, dict[str, str]]:
    """The file that should be graded, and why each other file of the student's is not."""
    ours = sorted(name for name, kind in placed.items() if kind in IS_OURS)
    named = f"{A}.ipynb" if f"{A}.ipynb" in ours else None
    held = placed.get(f"{A}.ipynb") in ("folder-as-named", "link-as-named")
    taken = named or (ours[0] if len(ours) == 1 and not held else None)
    why = {"other-assignment": OTHER_ASSIGNMENT, "other-assignment-as-copy": OTHER_ASSIGNMENT,
           "scratch": NOT_THIS_ASSIGNMENT, "damaged": NOT_A_NOTEBOOK, "script": NOT_A_NOTEBOOK, "folder": FOLDER,
           "folder-as-named": FOLDER, "link-as-named": NOT_A_NOTEBOOK, "pipe": NOT_A_NOTEBOOK}
    left = {name: why[kind] for name, kind in placed.items() if kind in why}
    left.update({name: EXTRA_COPY if named else NAME_HELD if held else AMBIGUOUS for name in ours if name != taken})
    return taken, left


MARKS = ({A: Marks.of(tiny.source_notebook())}, {"other": [Marks.of(other_notebook())]})


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(st.sampled_from(sorted(KINDS)), min_size=1, max_size=5))
@example(kinds=["renamed"])
@example(kinds=["named", "renamed"])
@example(kinds=["other-assignment"])
@example(kinds=["renamed", "renamed-by-platform"])
@example(kinds=["folder-as-named", "renamed"])
@example(kinds=["link-as-named", "renamed-by-platform"])
@example(kinds=["pipe", "named"])
@example(kinds=["apple-double", "ds-store", "renamed"])
def test_every_file_handed_in_is_taken_or_left_with_its_reason_and_the_taken_one_graded_by_its_name(tmp_path_factory, kinds):
    folder = tmp_path_factory.mktemp("submitted") / "ana" / A
    placed = place(folder, kinds)
    sorting = handed_in.sort_out(folder, *MARKS, ignore=IGNORE)
    taken, left = expected(placed)
    assert {n: p.name for n, p in sorting.taken.items()} == ({A: taken} if taken else {})
    assert {x.file: x.why for x in sorting.left} == left
    students = {name for name, kind in placed.items() if kind not in NOT_THE_STUDENTS}
    assert {p.name for p in sorting.taken.values()} | {x.file for x in sorting.left} == students
    if taken:  # renamed to the notebook's name, as nbgrader grades it; a folder or link under that name made this raise
        assert handed_in.take(sorting, A)[0].read_text() == _written(placed[taken])[1]


def test_a_renamed_notebook_is_taken_under_the_assignments_name_and_the_note_kept_while_it_is_unchanged(tmp_path):
    folder = tmp_path / "ana" / A
    place(folder, ["renamed-by-platform"])
    path, notes = handed_in.take(handed_in.sort_out(folder, *MARKS), A)
    assert [p.name for p in folder.iterdir()] == [f"{A}.ipynb"] and path == folder / f"{A}.ipynb"
    assert [(n.kind, n.detail["file"]) for n in notes] == [("renamed", f"{A} (1).ipynb")]
    earlier = [n.to_dict() for n in notes]
    assert handed_in.take(handed_in.sort_out(folder, *MARKS), A, earlier)[1] == notes
    path.write_text(json.dumps(json.loads(path.read_text()) | {"nbformat_minor": 4}))  # handed in again
    assert handed_in.take(handed_in.sort_out(folder, *MARKS), A, earlier)[1] == []


def test_a_file_name_that_is_not_utf8_is_noted_in_characters_a_page_can_hold(tmp_path):
    # Linux names may hold any bytes; a notebook named b"\xff..." was graded, and then writing the
    # report (UTF-8) raised UnicodeEncodeError on the note that named it.
    folder = tmp_path / "ana" / A
    folder.mkdir(parents=True)
    (folder / os.fsdecode(b"\xffmine.ipynb")).write_text(nbformat.writes(answered()))
    (folder / os.fsdecode(b"notes \xfe.txt")).write_text("x")
    sorting = handed_in.sort_out(folder, *MARKS)
    notes = handed_in.take(sorting, A)[1] + handed_in.notes_for(sorting, A, first=True)
    assert [n.detail["file"] for n in notes] == ["\ufffdmine.ipynb", "notes \ufffd.txt"]
    json.dumps([n.to_dict() for n in notes], ensure_ascii=False).encode("utf-8")


def test_a_file_larger_than_a_notebook_may_be_is_left_unread_saying_its_size(tmp_path):
    # Read and parsed whole, a 3 GB file dropped in a student's folder took the grading process
    # about ten times that, and with it every other student's grade.
    folder = tmp_path / "ana" / A
    folder.mkdir(parents=True)
    with open(folder / f"Copy of {A}.ipynb", "wb") as f:
        f.truncate(MAX_READ + 1)  # sparse: no disk used
    sorting = handed_in.sort_out(folder, *MARKS)
    assert sorting.taken == {} and [x.why for x in sorting.left] == [NOT_A_NOTEBOOK]
    assert sorting.left[0].detail["reason"].startswith(f"{MAX_READ // 2**20 + 1} MiB, larger than the {MAX_READ // 2**20} MiB")
    with pytest.raises(NotANotebook, match="larger than"):  # the notebook as named, when grading takes it in
        admit(folder / f"Copy of {A}.ipynb", tmp_path / "release.ipynb", tmp_path / "source.ipynb")


@pytest.mark.parametrize("kinds", [["renamed", "renamed-by-platform"], ["folder-as-named", "renamed"]],
                         ids=["two-copies", "name-held-by-a-folder"])
def test_a_student_whose_own_notebook_was_left_is_not_told_none_of_their_files_is_this_notebook(tmp_path, kinds):
    # The feedback said "None of the files you handed in is this assignment's notebook" right
    # above "it is one of several copies of this notebook".
    folder = tmp_path / "ana" / A
    place(folder, kinds)
    left = handed_in.notes_for(handed_in.sort_out(folder, *MARKS), A, first=True)
    said = " ".join(for_student([Note("no_notebook", detail={"files": len(left)}), *left]))
    assert "looks like this assignment's notebook" in said or "several copies of this notebook" in said
    assert "is this assignment's notebook" not in said.replace("looks like this assignment's notebook", "")


@pytest.mark.parametrize("assignment", available(), ids=str)
def test_each_course_notebook_is_told_from_every_other_though_they_share_cell_ids_and_setup_cells(assignment):
    # The releases number their cells alike (cell-001, ...) and share the setup, imports and
    # provided cells: those marks tell no assignment apart, so they must not count.
    for metadata_dropped in (False, True):  # an editor that drops metadata leaves ids and text
        nb = nbformat.read(ROOT / "release" / assignment / f"{assignment}.ipynb", as_version=4)
        if metadata_dropped:
            for cell in nb.cells:
                cell.metadata = {}
        wanted, others = handed_in.release_marks(ROOT, assignment, [assignment])
        assert wanted[assignment].share(nb) >= handed_in.CLEARLY
        assert {a: m.share(nb) for a, ms in others.items() for m in ms if m.share(nb) >= handed_in.CLEARLY} == {}
