"""Canvas's "Download Submissions" (Assignments, or the gradebook's column menu).

Layout, from Canvas's `lib/content_zipper.rb` (`get_filename`, `add_upload_submission`): one
flat zip, each uploaded file named
`<sortable name, lower-case, letters and digits only>[_LATE]_<user id>_<file id>_<display name>`,
e.g. `lopezanamaria_LATE_48213_9310455_forward_propagation.ipynb`; with anonymous grading the
name is left out and the id is `anon_<anonymous id>`. Older versions of the same file wrote the
name with "-" for spaces and a lower-case `-late` (`lopez--ana-maria-late_48213_...`). Text and
URL submissions come as `<name>[_LATE]_<user id>_text.html` and `..._link.html`; a student's own
zip is one such file, its contents inside. (otter-grader's `CanvasParser`,
`otter/grade/metadata.py`, reads the same names: `somestudent_12345_67890_x.ipynb`.)
Each new upload gets a higher file id, and Canvas renames an upload whose name the student
already used with a `-1`, `-2` ... suffix (`forward_propagation-1.ipynb`): of two files the one
with the higher suffix, then the higher file id, is the newer.
"""
from __future__ import annotations

import re
from pathlib import PurePosixPath

from .export import Member
from .submission import Candidate, Who, first_match

NAME = "canvas"
_NAME = re.compile(r"^(?:(?P<name>[\w-]*?)[_-])??(?:(?P<late>LATE|late)_)?(?P<id>\d+|anon_[A-Za-z0-9]+)"
                   r"_(?P<file>\d+)_(?P<rest>.+)$")
_TEXT_OR_URL = re.compile(r"^(?:[\w-]*?[_-])??(?:(?:LATE|late)_)?(?:\d+|anon_[A-Za-z0-9]+)_(?:text|link)\.html$")
_RESUBMITTED = re.compile(r"-(\d+)$")


def recognises(path: PurePosixPath) -> bool:
    return first_match(path, _NAME) is not None


def candidates(members: list[Member]) -> tuple[list[Candidate], dict[str, str]]:
    found, unread = [], {}
    for member in members:
        match = first_match(member.path, _NAME)
        if match is None:
            unread[member.origin] = (
                "an online text or URL submission, not a notebook" if _TEXT_OR_URL.match(member.path.name)
                else "not in Canvas's layout (no `<name>_<user id>_<file id>_` prefix)")
            continue
        index, parts = match
        own_name = parts["rest"]
        filename = own_name if index == len(member.path.parts) - 1 else member.path.name
        suffix = _RESUBMITTED.search(own_name.rsplit(".", 1)[0])
        candidate = Candidate(member, Who((parts["id"],), parts["name"] or None), filename,
                              attempt=(int(suffix[1]) if suffix else 0, int(parts["file"])))
        if parts["late"]:
            candidate.late = "marked LATE by Canvas"
        found.append(candidate)
    return found, unread
