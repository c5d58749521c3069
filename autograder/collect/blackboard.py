"""Blackboard Learn's "Assignment File Download" (Grade Centre, the column's menu).

Layout, as Blackboard writes it and as the tools that sort these downloads read it (e.g.
vangef/BBGradebookOrganiser, `utils/organiser.py`: the student is the last "_" field before
`_attempt_`, the original name follows the timestamp): one flat zip, per attempt
- `<Assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<original file name>` for each file,
- `<Assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>.txt`, Blackboard's receipt:
  `Name: Ana Maria Lopez (alopez)`, `Assignment: ...`, `Date Submitted: ...`, the student's
  comments and the list of files.
The timestamp in the name is the attempt's: the later attempt is the newer. The receipt gives
the student's full name, used to match the roster when the username is not on it.
"""
from __future__ import annotations

import re
from pathlib import PurePosixPath

from .export import Member, Unreadable
from .submission import Candidate, Who, first_match, parse_time

NAME = "blackboard"
_NAME = re.compile(r"^(?P<assignment>.*)_(?P<user>[^_]+)_attempt_"
                   r"(?P<when>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})(?:_(?P<rest>.+)|(?P<receipt>\.txt))$")
_RECEIPT_NAME = re.compile(r"^Name:\s*(?P<name>.*?)\s*(\((?P<user>[^)]*)\))?\s*$", re.MULTILINE)


def recognises(path: PurePosixPath) -> bool:
    return first_match(path, _NAME) is not None


def _receipt_name(member: Member) -> str | None:
    try:
        text = member.read().decode("utf-8", errors="replace")
    except Unreadable:  # a damaged receipt: the username still names the student
        return None
    found = _RECEIPT_NAME.search(text)
    return found["name"] if found and found["name"] else None


def candidates(members: list[Member]) -> tuple[list[Candidate], dict[str, str]]:
    names: dict[tuple[str, str], str | None] = {}
    files, unread = [], {}
    for member in members:
        match = first_match(member.path, _NAME)
        if match is None:
            unread[member.origin] = "not in Blackboard's layout (no `<username>_attempt_<time>` in its name)"
        elif match[1]["receipt"] and match[0] == len(member.path.parts) - 1:
            names[match[1]["user"], match[1]["when"]] = _receipt_name(member)
        else:
            files.append((member, *match))
    found = []
    for member, index, parts in files:
        when = parse_time(parts["when"], "%Y-%m-%d-%H-%M-%S")
        filename = parts["rest"] if index == len(member.path.parts) - 1 else member.path.name
        name = names.get((parts["user"], parts["when"]))
        found.append(Candidate(member, Who((parts["user"],), name), filename, when=when))
    return found, unread
