"""The class list: which platform id, e-mail or name is which student id.

The roster is a CSV file whose first line names its columns: the file nbgrader's
`nbgrader db student import` reads (columns `id`, `first_name`, `last_name`, `email`,
`lms_user_id`, all but `id` optional; see nbgrader's `apps/dbapp.py`, which ignores other
columns), so one file serves both. The platform's id for each student goes in `lms_user_id`
(nbgrader keeps it in the gradebook and `nbgrader export` writes it back out), or in one of
`lms_id`, `username` (Blackboard), `sid` (Gradescope), `login_id`, `sis_id`. `id` becomes the
folder under submitted/ and the student id in the gradebook.

A submitter is found by one of the platform's ids, then by e-mail, then by name (first and
last in either order, compared on letters and digits only, so "Lopez, Ana Maria",
"Ana Maria Lopez" and Canvas's "lopezanamaria" are one person); a name two students share is
never used to match.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from .export import CollectError
from .submission import Who, is_safe_id, name_key

PLATFORM_ID_COLUMNS = ("lms_user_id", "lms_id", "username", "sid", "login_id", "sis_id")


@dataclass
class Roster:
    ids: list[str] = field(default_factory=list)          # in the file's order
    by_platform_id: dict[str, str] = field(default_factory=dict)
    by_email: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, str | None] = field(default_factory=dict)  # None: two students share it

    def find(self, who: Who) -> str | None:
        """The student id of `who`, or None if the roster does not list them."""
        found = self.match(who)
        return found[0] if found else None

    def match(self, who: Who) -> tuple[str, str] | None:
        """(the student id of `who`, how the roster matched them), or None if it does not list them."""
        for platform_id in who.ids:
            if platform_id in self.by_platform_id:
                return self.by_platform_id[platform_id], f"the roster, by the platform's id {platform_id!r}"
        if who.email and who.email.casefold() in self.by_email:
            return self.by_email[who.email.casefold()], f"the roster, by the e-mail {who.email!r}"
        if who.name and self.by_name.get(name_key(who.name)):
            return self.by_name[name_key(who.name)], f"the roster, by the name {who.name!r}"
        return None


def read_roster(path: Path) -> Roster:
    """Read the roster CSV at `path`. Raises CollectError, in words, if it cannot be used."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # Excel writes a byte-order mark
    except FileNotFoundError:
        raise CollectError(f"no roster at {path}") from None
    except UnicodeDecodeError:
        raise CollectError(f"the roster {path} is not a text (UTF-8) CSV file; "
                           "save it from your spreadsheet as \"CSV UTF-8\"") from None
    rows = csv.DictReader(text.splitlines())
    columns = [c.strip().lower() for c in rows.fieldnames or []]
    if "id" not in columns:
        raise CollectError(
            f"the roster {path} has no `id` column (its columns: {', '.join(columns) or 'none'}). "
            "Its first line must name the columns, as nbgrader's student import does: "
            "id,first_name,last_name,email, plus optional lms_user_id, username or sid columns.")
    roster = Roster()
    for line, raw in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        student = row["id"]
        if not student:
            continue
        if not is_safe_id(student):
            raise CollectError(f"the roster {path}, line {line}: id {student!r} cannot be a folder "
                               "name; use letters, digits and . _ @ + - only")
        if student in roster.ids:
            raise CollectError(f"the roster {path}, line {line}: id {student!r} is listed twice")
        roster.ids.append(student)
        roster.by_platform_id[student] = student
        for column in PLATFORM_ID_COLUMNS:
            if row.get(column):
                roster.by_platform_id[row[column]] = student
        if row.get("email"):
            roster.by_email[row["email"].casefold()] = student
        first, last = row.get("first_name", ""), row.get("last_name", "")
        for name in {name_key(first + last), name_key(last + first)} - {""}:
            roster.by_name[name] = None if roster.by_name.get(name, student) != student else student
    return roster
