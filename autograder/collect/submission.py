"""What every platform layout reads out of an export: who handed in which file, when.

Each platform module turns the export's files into `Candidate`s; the orchestration in
`__init__` decides, per student, which one is placed. This module also holds the few rules
every layout shares: safe student ids, and how a renamed notebook is recognised.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

from .export import Member

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$")


@dataclass(frozen=True)
class Who:
    """A submitter as the platform names them.

    ids: the platform's own ids for the student, most specific first (Canvas user id, Moodle
    participant id, Blackboard username, Gradescope SID); name and email when the export has them.
    """
    ids: tuple[str, ...] = ()
    name: str | None = None
    email: str | None = None

    def __str__(self) -> str:
        details = ", ".join(x for x in (*self.ids, self.email) if x)
        return f"{self.name} ({details})" if self.name and details else self.name or details

    def default_id(self) -> str | None:
        """A student id made from the platform's id (failing that the e-mail, then the name), with
        any character a folder name should not have replaced by "-"; None if nothing is left."""
        for candidate in (*self.ids, self.email, self.name):
            if candidate:
                safe = safe_id(candidate)
                if safe:
                    return safe
        return None


@dataclass
class Candidate:
    """One file of one submitter, with what the platform says about it.

    filename: the name the student gave the file (the platform's prefix removed).
    when: the platform's submission time; attempt: any other "this one is newer" number the
    platform gives (Canvas file id and resubmission suffix), compared after `when`.
    """
    member: Member
    who: Who
    filename: str
    when: datetime | None = None
    attempt: tuple[int, ...] = ()
    late: str | None = None  # how the platform marked it late, if it did


def first_match(path: PurePosixPath, pattern: re.Pattern) -> tuple[int, re.Match] | None:
    """The first component of `path` that `pattern` matches, with its index: the layout's
    prefix may be a folder or the file name, and the export may sit in a folder of its own."""
    for index, part in enumerate(path.parts):
        found = pattern.match(part)
        if found:
            return index, found
    return None


def parse_time(text: str, form: str) -> datetime | None:
    """`text` read with strptime's `form`, or None if it is not a real time (a hand-renamed file)."""
    try:
        return datetime.strptime(text, form)
    except ValueError:
        return None


def safe_id(text: str) -> str | None:
    """`text` as a student id usable as a folder name: other characters become "-"; None if empty."""
    cleaned = re.sub(r"[^A-Za-z0-9._@+-]+", "-", text.strip()).strip("-._@+")[:100]
    return cleaned if cleaned and SAFE_ID.match(cleaned) else None


def name_key(name: str) -> str:
    """A person's name reduced to lower-case letters and digits, to compare names across platforms."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def _canon(stem: str) -> str:
    return re.sub(r"[\s-]+", "_", stem.strip().lower())


def names_notebook(filename: str, notebook: str) -> int:
    """How surely `filename` is the assignment's `notebook`: 2 as named, 1 renamed on the way
    ("Copy of forward_propagation", "forward_propagation (1)", "forward_propagation-2"), else 0."""
    stem, wanted = _canon(filename.rsplit(".", 1)[0]), _canon(notebook)
    return 2 if stem == wanted else 1 if wanted in stem else 0


def notebook_problem(data: bytes) -> str | None:
    """Why `data` is not a notebook Jupyter can open (as grading reads it, intake.py), or None."""
    from autograder.grade.intake.read import NotANotebook, read

    try:
        read(data)
    except NotANotebook as err:
        return str(err)
    return None
