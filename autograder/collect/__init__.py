"""Import submissions from a folder or a learning platform's export into submitted/<student>/<assignment>/.

The export's layout says who handed in what; one module per layout reads it (each module's
docstring describes its layout and where that description comes from):
`moodle`, `canvas`, `blackboard`, `brightspace`, `gradescope`, and `plain` (a folder or file
per student, or `--pattern`). The layout is recognised from the export's names; `platform`
forces one. A roster (`roster.py`) maps the platform's ids, e-mails or names to the course's
student ids; without one, the id is made from the platform's id.

For each student one notebook is placed, as `<assignment notebook>.ipynb`: a file named like the
assignment's notebook, even renamed on the way ("Copy of forward_propagation.ipynb",
"forward_propagation (1).ipynb", "forward_propagation-2.ipynb"), before any other; the only
notebook whatever its name; and of several, the newest (by the platform's time, then its
attempt or resubmission number, then the file's own time); a jupytext `.py`/`.md` form only when
the student handed in no notebook (`forms.py` converts it, and the notebook over the size limit).
A file that cannot be read (a damaged zip member, a link) is listed and the student's next file
is tried. Every file not placed is listed with the reason, never dropped silently: older or
other notebooks, files that are not notebooks, students not on the roster; `files` records
what became of each file handed in. A placed file that is not valid JSON or not a notebook is
listed as invalid (grading gives it 0 and says why); late marks the platform gives are listed.
Zip members are read into memory, never extracted by name, so a member called
`../../gradebook.db` cannot land outside submitted/.

Student ids keep the letters of any alphabet ("王力", "José-Núñez"); two submitters whose names
or ids give the same id (compared without case) get "-2", "-3"... rather than one folder, and
`ids` records how each id was made (which roster column matched, or which text of the export).
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from . import blackboard, brightspace, canvas, gradescope, moodle, plain
from .export import CollectError, Member, Unreadable, read_export
from .forms import MAX_BYTES, MAX_READ, kind, placeable
from .plain import DEFAULT_PATTERN
from .roster import Roster, read_roster
from .submission import Candidate, names_notebook, notebook_problem, safe_id

__all__ = ["DEFAULT_PATTERN", "MAX_BYTES", "MAX_READ", "CollectError", "Collected", "PLATFORMS", "collect",
           "detect", "notebook_problem"]

# Most specific first: on a tie, the earlier one is taken.
PLATFORMS = {m.NAME: m for m in (gradescope, brightspace, moodle, blackboard, canvas, plain)}
CHECKPOINTS = re.compile(r"(^|/)\.ipynb_checkpoints/")
# Written by the operating system, not the student: macOS's zip folder, its AppleDouble `._name`
# beside a file copied to a share or FAT drive, and folder settings of macOS and Windows.
SYSTEM_FILES = re.compile(r"(^|/)(__MACOSX/|\._[^/]*$|\.DS_Store$|Thumbs\.db$|desktop\.ini$)")
_OLDEST = datetime.min


@dataclass
class Collected:
    """What collect did with an export; printed as the summary, kept as reports/<assignment>/collect.json."""
    platform: str = plain.NAME
    roster: str | None = None                                   # the roster file, if one was used
    placed: dict[str, str] = field(default_factory=dict)        # student -> where it came from
    invalid: dict[str, str] = field(default_factory=dict)       # student -> why it is not a notebook
    replaced: list[str] = field(default_factory=list)           # other files of a placed student
    not_placed: dict[str, str] = field(default_factory=dict)    # file -> why
    not_on_roster: dict[str, str] = field(default_factory=dict)  # submitter -> their files
    missing: list[str] = field(default_factory=list)            # on the roster, nothing handed in
    late: dict[str, str] = field(default_factory=dict)          # student -> the platform's late mark
    # student -> how the platform named them (Who: ids, name, email), for export to answer in its ids
    who: dict[str, dict] = field(default_factory=dict)
    converted: dict[str, str] = field(default_factory=dict)     # student -> how the placed file was made
    ids: dict[str, str] = field(default_factory=dict)           # student -> how the id was derived
    # Every file handed in, once per student it concerns: {file, outcome, student, why}, outcome one of
    # "placed", "not used", "not placed", "not on the roster".
    files: list[dict] = field(default_factory=list)

    def file(self, origin: str, outcome: str, why: str = "", student: str | None = None) -> None:
        self.files.append({"file": origin, "outcome": outcome, "student": student, "why": why})
        if outcome == "not placed":
            self.not_placed[origin] = why

    def __str__(self) -> str:
        lines = [f"{self.platform} export: {_count(self.placed, 'submission')} placed, "
                 f"{len(self.invalid)} of them not valid notebooks, {_count(self.replaced, 'other file')} "
                 f"of placed students not used, {_count(self.not_placed, 'file')} not placed, "
                 f"{len(self.late)} late"]
        if self.roster:
            lines.append(f"roster {self.roster}: {_count(self.not_on_roster, 'submitter')} not on it "
                         f"(not placed), {_count(self.missing, 'student')} on it with nothing handed in")
        lines += [f"  placed: {s} <- {origin}" for s, origin in sorted(self.placed.items())]
        lines += [f"  converted: {s}: {how}" for s, how in sorted(self.converted.items())]
        lines += [f"  invalid: {s}: {why}" for s, why in sorted(self.invalid.items())]
        lines += [f"  late: {s}: {why}" for s, why in sorted(self.late.items())]
        lines += [f"  not used: {what}" for what in self.replaced]
        lines += [f"  not placed: {f}: {why}" for f, why in sorted(self.not_placed.items())]
        lines += [f"  not on the roster: {who}: {files}" for who, files in sorted(self.not_on_roster.items())]
        if self.not_on_roster:
            lines.append("  (add them to the roster, with the platform's id in lms_user_id, username "
                         "or sid, their e-mail, or their first and last name, and collect again)")
        if self.missing:
            lines.append(f"  on the roster, nothing handed in: {', '.join(self.missing)}")
        return "\n".join(lines)


def _count(items, word: str) -> str:
    return f"{len(items)} {word}{'' if len(items) == 1 else 's'}"


def detect(members: list[Member]) -> str:
    """The platform whose layout names the most files of the export; `plain` if none does."""
    counts = {name: sum(module.recognises(m.path) for m in members) for name, module in PLATFORMS.items()}
    best = max(counts, key=counts.get)
    return best if counts[best] else plain.NAME


def _layout(members: list[Member], platform: str | None, pattern: str) -> str:
    if platform is not None and platform not in PLATFORMS:
        raise CollectError(f"unknown platform {platform!r}; collect reads: {', '.join(PLATFORMS)}")
    if pattern != DEFAULT_PATTERN:
        try:
            has_group = "student" in re.compile(pattern).groupindex
        except re.error as err:
            raise CollectError(f"--pattern {pattern!r} is not a regular expression ({err})") from None
        if not has_group:
            raise CollectError(f"--pattern {pattern!r} has no (?P<student>...) group to read the id from")
        if platform not in (None, plain.NAME):
            raise CollectError("--pattern reads the plain layout; leave out --platform, or give --platform plain")
        return plain.NAME
    return platform or detect(members)


def _preference(candidate: Candidate, notebook: str) -> tuple:
    """Higher is placed first: a notebook before a text form, named like the assignment's before
    any other, then the newest."""
    named = names_notebook(candidate.filename, notebook)
    return (kind(candidate.filename) == "notebook", named > 0, candidate.when or _OLDEST, candidate.attempt,
            candidate.member.mtime or _OLDEST, named, candidate.member.origin)


def _why_not_used(other: Candidate, winner: Candidate, notebook: str) -> str:
    if kind(other.filename) != kind(winner.filename):
        return "a text form of a notebook, not used: a notebook (.ipynb) was placed"
    if (names_notebook(other.filename, notebook) > 0) != (names_notebook(winner.filename, notebook) > 0):
        return f"another notebook, not named like {notebook}.ipynb"
    return "older than the one placed"


def _place(result: Collected, student: str, candidates: list[Candidate], notebook: str, target: Path) -> None:
    """Place the student's best readable file; list every other one with why it was not."""
    winner = None
    for candidate in sorted(candidates, key=lambda c: _preference(c, notebook), reverse=True):
        origin = candidate.member.origin
        if winner is not None:
            why = _why_not_used(candidate, winner, notebook)
            result.replaced.append(f"{student}: {origin}: {why} ({winner.member.origin})")
            result.file(origin, "not used", why, student)
            continue
        try:
            placed = placeable(candidate.member, candidate.filename)
        except Unreadable as err:
            result.file(origin, "not placed", str(err), student)
            continue
        winner = candidate
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(placed.data)
        result.placed[student] = origin
        result.who[student] = asdict(candidate.who)
        result.file(origin, "placed", placed.change or "", student)
        if placed.change:
            result.converted[student] = placed.change
        problem = notebook_problem(placed.data)
        if problem:
            result.invalid[student] = problem
        if candidate.late:
            result.late[student] = f"{candidate.late}: {candidate.filename}"


def _students(found: list[Candidate], class_list: Roster | None, result: Collected) -> dict[str, list[Candidate]]:
    """Each student's candidates, ids derived as `Collected.ids` records; the rest listed."""
    by_student: dict[str, list[Candidate]] = {}
    by_source: dict[tuple[str, str], list[Candidate]] = {}
    for candidate in found:
        origin, suffix = candidate.member.origin, PurePosixPath(candidate.filename).suffix.lower()
        if kind(candidate.filename) is None:
            result.file(origin, "not placed", f"not a notebook file ({suffix or 'no extension'})")
        elif class_list is not None:
            match = class_list.match(candidate.who)
            if match is None:
                files = result.not_on_roster.get(str(candidate.who))
                result.not_on_roster[str(candidate.who)] = f"{files}, {origin}" if files else origin
                result.file(origin, "not on the roster", str(candidate.who))
            else:
                by_student.setdefault(match[0], []).append(candidate)
                result.ids.setdefault(match[0], match[1])
        elif candidate.who.id_source() is None:
            result.file(origin, "not placed", "no student id in its name")
        else:
            by_source.setdefault(candidate.who.id_source(), []).append(candidate)
    taken: set[str] = set()
    for (what, text), candidates in sorted(by_source.items(), key=lambda item: item[0][1]):
        base = student = safe_id(text)
        number = 1
        while student.casefold() in taken:  # two submitters never share a folder (nor on macOS)
            number += 1
            student = f"{base}-{number}"
        taken.add(student.casefold())
        by_student[student] = candidates
        result.ids[student] = f"from the {result.platform} export's {what} {text!r}" + (
            f", with -{number} added: another submitter's id is {base!r} too" if number > 1 else "")
    return by_student


def collect(source: Path, assignment: str, root: Path, *, pattern: str = DEFAULT_PATTERN,
            notebook: str | None = None, roster: Path | None = None,
            platform: str | None = None) -> Collected:
    """Place every submission found in `source` (a folder or a zip) under root/submitted/.

    pattern: for the plain layout, a regular expression with a `student` group (see plain.py).
    roster: a CSV file (see roster.py); students are then named by its `id` column.
    platform: one of PLATFORMS, to skip recognising the layout.
    Returns what was placed and everything else, also written to reports/<assignment>/collect.json.
    Raises CollectError, in words, for an export or roster that cannot be read at all.
    """
    notebook = notebook or assignment
    members, problems = read_export(Path(source))
    class_list: Roster | None = read_roster(roster) if roster else None
    result = Collected(roster=str(roster) if roster else None)
    kept = []
    for member in members:
        if CHECKPOINTS.search(member.path.as_posix()):
            result.file(member.origin, "not placed", "a Jupyter checkpoint copy, not the submission")
        elif SYSTEM_FILES.search(member.path.as_posix()):
            result.file(member.origin, "not placed", "written by the operating system, not by the student")
        else:
            kept.append(member)
    result.platform = _layout(kept, platform, pattern)
    module = PLATFORMS[result.platform]
    found, unread = module.candidates(kept, pattern) if module is plain else module.candidates(kept)

    for origin, why in {**problems, **unread}.items():
        result.file(origin, "not placed", why)
    for student, candidates in sorted(_students(found, class_list, result).items()):
        _place(result, student, candidates, notebook, root / "submitted" / student / assignment / f"{notebook}.ipynb")
    if class_list is not None:
        result.missing = [s for s in class_list.ids if s not in result.placed]
    log = root / "reports" / assignment / "collect.json"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(json.dumps(asdict(result), indent=1, sort_keys=True))
    return result
