"""Moodle's "Download all submissions" (Assignment activity).

Layout, from Moodle's `mod/assign/locallib.php` (`download_submissions`): each file is prefixed
with the student's full name (underscores in it replaced by spaces, a group name and "-" before
it for group submissions, "Participant" instead of the name under blind marking), "_", the
participant id (`get_uniqueid_for_user`), "_", the plugin (`assignsubmission`), "_", its type
(`file`, `onlinetext`), "_":
- "download submissions in folders" (the default since Moodle 3.1): one folder per student,
  `Ana Maria Lopez_1234567_assignsubmission_file_/forward_propagation.ipynb`, the original
  file names (and subfolders) kept inside; seen with and without the final "_";
- otherwise one flat folder: `Ana Maria Lopez_1234567_assignsubmission_file_forward_propagation.ipynb`.
The zip has no submission times and no late marks: the newest of two files is the later zip
entry. The participant id is Moodle's, not the student's id number: match it with the roster's
`lms_user_id` column, or let the name match.
"""
from __future__ import annotations

import re
from pathlib import PurePosixPath

from .export import Member
from .submission import Candidate, Who, first_match

NAME = "moodle"
_PREFIX = re.compile(r"^(?P<name>[^_]+)_(?P<id>[^_\s]+)_assignsubmission_(?P<type>[a-z]+)(?:_(?P<rest>.*))?$")


def recognises(path: PurePosixPath) -> bool:
    return first_match(path, _PREFIX) is not None


def candidates(members: list[Member]) -> tuple[list[Candidate], dict[str, str]]:
    found, unread = [], {}
    for member in members:
        match = first_match(member.path, _PREFIX)
        if match is None:
            unread[member.origin] = "not in Moodle's layout (no `<name>_<id>_assignsubmission_` prefix)"
            continue
        index, prefix = match
        if prefix["type"] == "onlinetext":
            unread[member.origin] = "an online text answer, not a notebook"
            continue
        last = index == len(member.path.parts) - 1
        filename = prefix["rest"] if last else member.path.name
        if not filename:
            unread[member.origin] = "no file name after Moodle's prefix"
            continue
        found.append(Candidate(member, Who((prefix["id"],), prefix["name"].strip()), filename))
    return found, unread
