"""Gradescope's "Export Submissions" (an assignment's Review Grades page).

Layout, as otter-grader reads it (ucbds-infra/otter-grader, `otter/grade/metadata.py`,
`GradescopeParser`: `submission_metadata.yml` loaded with `yaml.safe_load`, its keys the names
of the submission folders beside it, each with a `:submitters` list, one entry per member of a
group, named by `:name`), with the `:sid`, `:email` and `:created_at` fields other public
readers of these exports use: a zip, often with one top folder
(`assignment_123456_export/`), holding
- one folder per (active) submission, `submission_<id>/`, the files under their uploaded names;
- `submission_metadata.yml`, keyed by those folder names, each with `:submitters:` (a list, more
  than one for a group submission: `:name:`, `:sid:`, `:email:`), `:created_at:` (the
  submission time), `:score:`, `:history:` (earlier submissions, whose files are not exported).
The keys are Ruby symbols written as YAML (`:sid:`). A group's notebook is placed for each of
its members. Students are matched on SID, then e-mail, then name; without a roster the SID (or
else the e-mail) is the id.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import PurePosixPath

import yaml

from .export import Member, Unreadable
from .submission import Candidate, Who

NAME = "gradescope"
METADATA = "submission_metadata.yml"


def recognises(path: PurePosixPath) -> bool:
    return path.name == METADATA or any(p.startswith("submission_") and p[11:].isdigit()
                                        for p in path.parts[:-1])


def _time(value) -> datetime | None:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, datetime) and value.tzinfo:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    return value if isinstance(value, datetime) else None


def _submitters(record: dict) -> list[Who]:
    people = []
    for person in record.get(":submitters") or []:
        sid = str(person.get(":sid") or "").strip()
        people.append(Who((sid,) if sid else (), person.get(":name"), person.get(":email")))
    return people


def candidates(members: list[Member]) -> tuple[list[Candidate], dict[str, str]]:
    found, unread = [], {}
    metadata = [m for m in members if m.path.name == METADATA]
    if not metadata:
        return [], {m.origin: f"a Gradescope export without its {METADATA}" for m in members}
    try:
        records = yaml.safe_load(metadata[0].read()) or {}
    except (yaml.YAMLError, Unreadable, RecursionError) as err:
        return [], {m.origin: f"Gradescope's {METADATA} cannot be read ({err}), so no file can be tied to a "
                              "student: export the submissions again" for m in members}
    if not isinstance(records, dict):
        return [], {metadata[0].origin: f"Gradescope's {METADATA} does not list submissions by folder"}
    root = metadata[0].path.parent
    for member in members:
        if member.path.name == METADATA:
            continue
        inside = member.path.relative_to(root).parts if member.path.is_relative_to(root) else ()
        record = records.get(inside[0]) if len(inside) > 1 else None
        if not isinstance(record, dict):
            unread[member.origin] = f"not in a submission folder that {METADATA} lists"
            continue
        people = _submitters(record)
        if not people:
            unread[member.origin] = f"{METADATA} names no submitter for {inside[0]}"
        for who in people:
            found.append(Candidate(member, who, member.path.name, when=_time(record.get(":created_at"))))
    return found, unread
