"""A plain folder or zip of submissions, as a course gathers them itself (e-mail, a shared drive).

- a folder per student (`u123/anything.ipynb`): the folder name is the id; a folder all of them
  sit in (`submissions/u123/...`) is passed over;
- one file or zip per student, the id at the start of the file name (`u123.ipynb`,
  `u123_forward_propagation.ipynb`, `u123_week1.zip`): by default everything before the first
  "_", without the extension.
`--pattern REGEX` (a regular expression with a `student` group) replaces both rules: it is
searched for in the whole path inside the export (`Ana Lopez_1234567_assignsubmission_file/x.ipynb`,
`group3/u123/x.ipynb`), and, where it is not found there, matched at the start of the file name.
Of two files the one with the later modification time is the newer.
"""
from __future__ import annotations

import re
from pathlib import PurePosixPath

from .export import Member
from .submission import Candidate, Who, is_safe_id

NAME = "plain"
DEFAULT_PATTERN = r"(?P<student>[^_]+)"  # the file name up to the first "_", without extension


def recognises(path: PurePosixPath) -> bool:
    return False  # the layout taken when no platform's is recognised


def _safe(text: str | None) -> str | None:
    return text if text and is_safe_id(text) else None


def _student(path: PurePosixPath, pattern: re.Pattern, custom: bool) -> str | None:
    if custom:
        found = pattern.search(path.as_posix())
        if found and found.group("student"):
            return _safe(found.group("student"))
    else:
        first = path.parts[0]
        if len(path.parts) > 1 and not first.lower().endswith(".zip") and _safe(first):
            return first
        if len(path.parts) > 1 and first.lower().endswith(".zip"):
            path = PurePosixPath(first)  # one zip per student: its name says who
    found = pattern.match(path.stem)
    return _safe(found.group("student")) if found else None


def _wrapper_depth(paths: list[PurePosixPath]) -> int:
    """How many folders all the export sits in (`submissions/u1/x.ipynb`, `submissions/u2/...`):
    without dropping them every student would be called "submissions"."""
    depth = 0
    while (paths and all(len(p.parts) > depth + 2 for p in paths)
           and len({p.parts[depth] for p in paths}) == 1 and len({p.parts[depth + 1] for p in paths}) > 1):
        depth += 1
    return depth


def candidates(members: list[Member], pattern: str = DEFAULT_PATTERN) -> tuple[list[Candidate], dict[str, str]]:
    regex = re.compile(pattern)
    depth = 0 if pattern != DEFAULT_PATTERN else _wrapper_depth([m.path for m in members])
    found, unread = [], {}
    for member in members:
        student = _student(PurePosixPath(*member.path.parts[depth:]), regex, pattern != DEFAULT_PATTERN)
        if student is None:
            unread[member.origin] = "no student id in its name"
        else:
            found.append(Candidate(member, Who((student,)), member.path.name))
    return found, unread
