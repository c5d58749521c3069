"""What every platform layout reads out of an export: who handed in which file, when.

Each platform module turns the export's files into `Candidate`s; the orchestration in
`__init__` decides, per student, which one is placed. This module also holds the few rules
every layout shares: safe student ids, and how a renamed notebook is recognised.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

from .export import Member

ID_PUNCTUATION = "._@+-"  # kept in ids besides letters, marks and digits of any alphabet
MAX_ID = 100


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

    def id_source(self) -> tuple[str, str] | None:
        """What a student id is made from, as (what it is, its text): the platform's id, failing
        that the e-mail, then the name; None if none of them leaves an id (see `safe_id`)."""
        for what, text in [*(("id", i) for i in self.ids), ("e-mail", self.email),
                           ("name", self.name)]:
            if text and safe_id(text):
                return what, text
        return None

    def default_id(self) -> str | None:
        """The student id made from `id_source()`; None if there is none."""
        source = self.id_source()
        return safe_id(source[1]) if source else None


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


def _id_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LMN" or ch in ID_PUNCTUATION


def is_safe_id(text: str) -> bool:
    """Whether `text` can be a student id and a folder name on every system: letters, marks and
    digits of any alphabet and . _ @ + -, NFC-normalised, starting with a letter or digit, at most 100."""
    return (0 < len(text) <= MAX_ID and unicodedata.normalize("NFC", text) == text
            and all(map(_id_char, text)) and unicodedata.category(text[0])[0] in "LN")


def safe_id(text: str) -> str | None:
    """`text` as a student id usable as a folder name: letters of any alphabet kept ("王力",
    "José"), runs of other characters become "-"; None if nothing is left."""
    text = unicodedata.normalize("NFC", text.strip())
    cleaned = re.sub("-+", "-", "".join(ch if _id_char(ch) else "-" for ch in text))
    cleaned = cleaned.strip("-._@+")[:MAX_ID].rstrip("-._@+")
    return cleaned if cleaned and is_safe_id(cleaned) else None


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
    except RecursionError:
        return NESTED
    return None


NESTED = "not a notebook: its JSON is nested deeper than any notebook's (Python cannot read it)"
