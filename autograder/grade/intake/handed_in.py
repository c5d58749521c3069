"""What a student's folder in submitted/ holds, sorted out before grading: the file graded as each
of the assignment's notebooks, and why each other file is not graded.

`collect` places one notebook per student, under the assignment's notebook name. A file placed
there by hand may be named otherwise ("forward_propagation (1).ipynb", "Copy of ..."), and stock
nbgrader grades only `<notebook>.ipynb`, silently passing over the rest. Here every file ends
either taken, or left with a reason (`Left`) that grading records as a note:

- `<notebook>.ipynb` is taken as it is;
- else the one notebook whose content is clearly that notebook's is taken (renamed to it, as
  collect would have placed it): decided by content, never by name: at least half of the
  release's grade cells are found in it, by nbgrader grade id, cell id or read-only text, and
  more of them than of any other assignment's notebook. Only what tells the assignments apart
  counts: a grade id, cell id or text that another assignment's release also has (`setup`,
  `cell-004`, a provided cell both hand out) says nothing of which one a notebook is;
- anything else is left: another copy beside the one taken, another assignment's notebook, a
  notebook with nothing of this one, several candidates with none named (which to grade is the
  student's word, not a guess), a candidate whose notebook's name a folder or link already holds
  (it cannot be renamed to it, and that entry is never replaced), a file that is not a notebook,
  a folder.

The assignment's folder itself may be no folder: a notebook saved by hand as
submitted/<student>/<assignment>, or a link there. It is left whole (`in_place_of_folder`), never
opened or followed.

nbgrader's own files (`timestamp.txt`, which its CourseDirectory reads), what its
`CourseDirectory.ignore` patterns name (checkpoints, caches) and the operating system's files
(`collect.SYSTEM_FILES`: `.DS_Store`, macOS's `._name`) are not handed-in work.
"""
from __future__ import annotations

import fnmatch
import hashlib
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder import cells
from autograder.collect import SYSTEM_FILES
from autograder.course import available, format_path
from autograder.grade.intake import read as intake
from autograder.grade.record.notes import Note

NBGRADER_FILES = ("timestamp.txt",)  # CourseDirectory.get_existing_timestamp reads it; not the student's
CLEARLY = 0.5  # the share of a release notebook's grade cells a notebook must hold to be taken as it

# Why a file was not graded (a "not_graded" note's detail "why").
EXTRA_COPY, OTHER_ASSIGNMENT, NOT_THIS_ASSIGNMENT, AMBIGUOUS, NAME_HELD, NOT_A_NOTEBOOK, FOLDER, NOT_A_FOLDER = (
    "extra_copy", "other_assignment", "not_this_assignment", "ambiguous", "name_held", "not_a_notebook", "folder",
    "not_a_folder")
STUDENT_NOT_UTF8 = "student_not_utf8"  # the student's folder name: no gradebook id, page or CSV can hold it


@dataclass(frozen=True)
class Marks:
    """What identifies one release notebook: per grade cell, its ids (grade id, cell id) and,
    for a cell the student cannot change, its canonical text."""
    cells: tuple[tuple[frozenset, str | None], ...]

    @classmethod
    def of(cls, release) -> "Marks":
        """The marks of a release notebook (nbformat node)."""
        return cls(tuple((frozenset(x for x in (cells.grade_id(c), c.get("id")) if x),
                          None if cells.is_answer(c) else intake.canonical(c.source))
                         for c in release.cells if cells.grade_id(c)))

    def labels(self) -> set:
        """Every grade id, cell id and read-only text these marks hold."""
        return {label for ids, text in self.cells for label in (*ids, text) if label}

    def distinct(self, shared: set) -> "Marks":
        """These marks without the ids and texts in `shared`; a cell left with none is dropped."""
        kept = ((ids - shared, None if text in shared else text) for ids, text in self.cells)
        return Marks(tuple((ids, text) for ids, text in kept if ids or text is not None))

    def share(self, nb) -> float:
        """The share (0 to 1) of these grade cells found in `nb`, by id or by read-only text."""
        if not self.cells:
            return 0.0
        ids, texts = set(), set()
        for c in nb.cells:
            meta = c.get("metadata", {})
            ids.update(x for x in (cells.grade_id(c), c.get("id"), meta.get("id") if isinstance(meta, dict) else None)
                       if isinstance(x, str))
            texts.add(intake.canonical(c.source) if isinstance(c.get("source"), str) else "")
        return sum(bool(marks & ids) or (text is not None and text in texts) for marks, text in self.cells) / len(self.cells)


@dataclass(frozen=True)
class Left:
    """A file not graded: its name in the folder, why (one of the constants above), and facts
    (`notebook`: the one graded or wanted; `assignment`: whose it is; `reason`: intake's words)."""
    file: str
    why: str
    detail: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass
class Sorting:
    """One student's folder, sorted: notebook name -> file graded as it; files left, with why."""
    taken: dict[str, Path] = field(default_factory=dict)
    left: list[Left] = field(default_factory=list)

    def renamed(self, notebook: str) -> bool:
        """Whether the file taken as `notebook` has another name."""
        return notebook in self.taken and self.taken[notebook].name != f"{notebook}.ipynb"


def handed_in(folder: Path, ignore=()) -> list[Path]:
    """Every entry of a student's folder that is the student's (not nbgrader's, not the operating
    system's as collect tells them, not ignored), by name."""
    return sorted(p for p in folder.iterdir()
                  if p.name not in NBGRADER_FILES and not SYSTEM_FILES.search(p.name)
                  and not any(fnmatch.fnmatch(p.name, pat) for pat in ignore))


def sort_out(folder: Path, wanted: dict[str, Marks], others: dict[str, list[Marks]], ignore=()) -> Sorting:
    """Sort out the student's `folder` (submitted/<student>/<assignment>/).

    wanted: the assignment's notebook names -> their release marks; others: every other
    assignment of the course -> its release notebooks' marks. ignore: nbgrader's
    `CourseDirectory.ignore` patterns. Reads every file not named as a notebook of the assignment.
    """
    found = Sorting()
    entries = handed_in(folder, ignore)
    named = {p.stem: p for p in entries if p.suffix == ".ipynb" and p.stem in wanted and p.is_file() and not p.is_symlink()}
    found.taken.update(named)
    # `<notebook>.ipynb` as a folder, a link or a pipe: `take` could not rename a candidate to it.
    held = {p.stem for p in entries if p.suffix == ".ipynb" and p.stem in wanted and p.stem not in named}
    candidates: dict[str, list[Path]] = {}
    for path in entries:
        if path in named.values():
            continue
        if path.is_symlink() or not path.is_file():
            found.left.append(Left(path.name, NOT_A_NOTEBOOK, {"link": True}) if path.is_symlink()
                              else Left(path.name, FOLDER) if path.is_dir()
                              else Left(path.name, NOT_A_NOTEBOOK, {"special": True}))  # a pipe, a socket: never opened
            continue
        if path.suffix.lower() != ".ipynb":
            found.left.append(Left(path.name, NOT_A_NOTEBOOK, {"suffix": path.suffix}))
            continue
        try:
            nb = intake.read_file(path)[0]
        except (intake.NotANotebook, RecursionError, OSError) as err:
            reason = str(err) if isinstance(err, intake.NotANotebook) else "it could not be read as a notebook"
            found.left.append(Left(path.name, NOT_A_NOTEBOOK, {"reason": reason}))
            continue
        ours = {name: marks.share(nb) for name, marks in wanted.items()}
        theirs = {a: max((m.share(nb) for m in marks), default=0.0) for a, marks in others.items()}
        best = max(ours, key=ours.get)
        rival = max(theirs, key=theirs.get, default=None)
        if ours[best] >= CLEARLY and (rival is None or ours[best] > theirs[rival]):
            if best in named:
                found.left.append(Left(path.name, EXTRA_COPY, {"notebook": best}))
            else:
                candidates.setdefault(best, []).append(path)
        elif rival is not None and theirs[rival] >= CLEARLY:
            found.left.append(Left(path.name, OTHER_ASSIGNMENT, {"assignment": rival}))
        else:
            found.left.append(Left(path.name, NOT_THIS_ASSIGNMENT, {"notebook": best}))
    for notebook, paths in candidates.items():
        if notebook in held:
            found.left += [Left(p.name, NAME_HELD, {"notebook": notebook}) for p in paths]
        elif len(paths) == 1:
            found.taken[notebook] = paths[0]
        else:
            found.left += [Left(p.name, AMBIGUOUS, {"notebook": notebook, "count": len(paths)}) for p in paths]
    found.left.sort(key=lambda left: left.file)
    return found


def in_place_of_folder(path: Path) -> Sorting:
    """The sorting of an assignment "folder" `path` that is a file or a link: nothing taken, and
    the entry itself left (`link`: whether it is a link)."""
    return Sorting(left=[Left(path.name, NOT_A_FOLDER, {"link": path.is_symlink()})])


def take(sorting: Sorting, notebook: str, earlier=()) -> tuple[Path, list[Note]]:
    """The file taken as `notebook`, renamed to `<notebook>.ipynb` if it was not (nbgrader grades
    only that name), and the "renamed" note: made now, or kept from the `earlier` outcome's notes
    (dicts) while the file is the same."""
    taken = sorting.taken[notebook]
    path = taken.with_name(f"{notebook}.ipynb")
    if taken != path:
        os.link(taken, path)  # never over a file of that name
        taken.unlink()
    data = hashlib.sha256(path.read_bytes()).hexdigest()
    if taken != path:
        return path, [Note("renamed", detail={"file": shown(taken.name), "digest": data})]
    return path, [Note.from_dict(n) for n in earlier if n["kind"] == "renamed" and n["detail"].get("digest") == data]


def notes_for(sorting: Sorting, notebook: str, first: bool) -> list[Note]:
    """The notes on `notebook`'s outcome of what was left: each file left that names it, and
    (`first`: the assignment's first notebook) each left file that names none of the assignment's."""
    return [Note("not_graded", detail={"file": shown(left.file), "why": left.why, **left.detail})
            for left in sorting.left
            if left.detail.get("notebook") == notebook or (first and "notebook" not in left.detail)]


def shown(name: str) -> str:
    """A file name as notes keep it: bytes of it that are not UTF-8 (which Linux allows, and Python
    holds as lone surrogates no UTF-8 page or JSON file can write) become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def release_marks(root: Path, assignment: str, notebooks) -> tuple[dict[str, Marks], dict[str, list[Marks]]]:
    """The marks of `assignment`'s `notebooks` (names; no marks where release/ lacks one), and of
    every other assignment's released notebooks (by assignment), from release/ of the course at `root`."""
    def released(name: str) -> dict[str, Marks]:
        folder = format_path("release", name, root=root)
        return {p.stem: Marks.of(nbformat.read(p, as_version=4)) for p in sorted(folder.glob("*.ipynb"))}

    marks = {a: released(a) for a in available(root)}
    # An id or a text found in the releases of two assignments or more tells neither apart.
    counts = Counter(label for nbs in marks.values() for label in set().union(*(m.labels() for m in nbs.values())))
    shared = {label for label, count in counts.items() if count > 1}
    ours = {name: m.distinct(shared) for name, m in marks.pop(assignment, {}).items()}
    return ({n: ours.get(n, Marks(())) for n in notebooks},
            {a: [m.distinct(shared) for m in nbs.values()] for a, nbs in marks.items()})
