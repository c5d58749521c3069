"""Brightspace (D2L)'s "Download" of an assignment's (dropbox folder's) submissions.

Layout, as D2L writes it and as tools reading these downloads parse it (cgmb/d2lmf,
`parse_submission_dirname`: `<id numbers> - <student name> - <timestamp>`, one folder per
submission, several per student who submitted several times; the test fixtures of
cqc_cpcc's `zip_grading_utils`): a zip named like `Assignment 1 Download Oct 11, 2015 803 PM.zip`,
sometimes with one folder named after the assignment, holding
- one folder per submission, `39786-640693 - Lopez, Ana Maria - Nov 29, 2026 1022 PM/`, the
  files under their original names (the name as "First Last" or "Last, First" as the site is
  set; the time without a colon, since Windows forbids it in file names);
- in older downloads, as public scripts for D2L dropboxes read them, the same prefix on each
  file instead: `... - Nov 29, 2026 1022 PM - file.ipynb`;
- an `index.html` listing the submissions.
The numbers are taken as the submission's (d2lmf, too, merges a student's submissions by name,
not by them), so students are matched by name: with
a roster, by first and last name; without one, the id is made from the name ("Ana-Maria-Lopez").
Two students who share a name cannot be told apart in this export: the roster then matches
neither, and lists both as not on it.
Of two submissions the later timestamp is the newer.
"""
from __future__ import annotations

import re
from pathlib import PurePosixPath

from .export import Member
from .submission import Candidate, Who, first_match, parse_time

NAME = "brightspace"
_WHEN = r"(?P<when>[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:?\d{2} [AP]M)"
_FOLDER = re.compile(r"^(?P<numbers>\d+-\d+) - (?P<name>.+?) ?- " + _WHEN + r"(?: - (?P<rest>.+))?$")


def recognises(path: PurePosixPath) -> bool:
    return first_match(path, _FOLDER) is not None


def _name(text: str) -> str:
    last, comma, first = text.partition(",")
    return f"{first.strip()} {last.strip()}" if comma else text.strip()


def candidates(members: list[Member]) -> tuple[list[Candidate], dict[str, str]]:
    found, unread = [], {}
    for member in members:
        match = first_match(member.path, _FOLDER)
        if match is None:
            if member.path.name.lower() != "index.html":  # D2L's own list of the submissions
                unread[member.origin] = "not in Brightspace's layout (no `<n>-<n> - <name> - <date>` folder)"
            continue
        index, parts = match
        last = index == len(member.path.parts) - 1
        filename = parts["rest"] if last else member.path.name
        if not filename:
            unread[member.origin] = "no file name after Brightspace's prefix"
            continue
        when = parse_time(parts["when"].replace(":", ""), "%b %d, %Y %I%M %p")
        found.append(Candidate(member, Who(name=_name(parts["name"])), filename, when=when))
    return found, unread
