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
attempt or resubmission number, then the file's own time). Every file not placed is listed
with the reason, never dropped silently: older or other notebooks, files that are not
notebooks, students not on the roster. A placed file that is not valid JSON or not a notebook
is listed as invalid (grading gives it 0 and says why); late marks the platform gives are listed.
Zip members are read into memory, never extracted by name, so a member called
`../../gradebook.db` cannot land outside submitted/.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from . import blackboard, brightspace, canvas, gradescope, moodle, plain
from .export import CollectError, Member, read_export
from .plain import DEFAULT_PATTERN
from .roster import Roster, read_roster
from .submission import Candidate, names_notebook, notebook_problem

__all__ = ["DEFAULT_PATTERN", "CollectError", "Collected", "PLATFORMS", "collect", "detect",
           "notebook_problem"]

# Most specific first: on a tie, the earlier one is taken.
PLATFORMS = {m.NAME: m for m in (gradescope, brightspace, moodle, blackboard, canvas, plain)}
MAX_BYTES = 50 * 1024**2     # one notebook, uncompressed
CHECKPOINTS = re.compile(r"(^|/)\.ipynb_checkpoints/")
SYSTEM_FILES = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)")
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

    def __str__(self) -> str:
        lines = [f"{self.platform} export: {_count(self.placed, 'submission')} placed, "
                 f"{len(self.invalid)} of them not valid notebooks, {_count(self.replaced, 'other file')} "
                 f"of placed students not used, {_count(self.not_placed, 'file')} not placed, "
                 f"{len(self.late)} late"]
        if self.roster:
            lines.append(f"roster {self.roster}: {_count(self.not_on_roster, 'submitter')} not on it "
                         f"(not placed), {_count(self.missing, 'student')} on it with nothing handed in")
        lines += [f"  placed: {s} <- {origin}" for s, origin in sorted(self.placed.items())]
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


def _choose(candidates: list[Candidate], notebook: str) -> tuple[Candidate, list[tuple[Candidate, str]]]:
    """The candidate to place, and every other one with why it was not placed."""
    named = [c for c in candidates if names_notebook(c.filename, notebook)]
    pool = named or candidates
    winner = max(pool, key=lambda c: (c.when or _OLDEST, c.attempt, c.member.mtime or _OLDEST,
                                      names_notebook(c.filename, notebook), c.member.origin))
    others = [(c, "older than the one placed" if any(c is p for p in pool)
               else f"another notebook, not named like {notebook}.ipynb") for c in candidates if c is not winner]
    return winner, others


def _place(result: Collected, student: str, candidate: Candidate, target: Path) -> None:
    data = candidate.member.read()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    result.placed[student] = candidate.member.origin
    result.who[student] = asdict(candidate.who)
    problem = notebook_problem(data)
    if problem:
        result.invalid[student] = problem
    if candidate.late:
        result.late[student] = f"{candidate.late}: {candidate.filename}"


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
    result = Collected(roster=str(roster) if roster else None, not_placed=dict(problems))
    kept = []
    for member in members:
        if CHECKPOINTS.search(member.path.as_posix()):
            result.not_placed[member.origin] = "a Jupyter checkpoint copy, not the submission"
        elif SYSTEM_FILES.search(member.path.as_posix()):
            result.not_placed[member.origin] = "written by the operating system, not by the student"
        else:
            kept.append(member)
    result.platform = _layout(kept, platform, pattern)
    module = PLATFORMS[result.platform]
    found, unread = module.candidates(kept, pattern) if module is plain else module.candidates(kept)
    result.not_placed.update(unread)

    by_student: dict[str, list[Candidate]] = {}
    for candidate in found:
        origin, suffix = candidate.member.origin, PurePosixPath(candidate.filename).suffix.lower()
        if suffix != ".ipynb":
            result.not_placed[origin] = f"not a notebook file ({suffix or 'no extension'})"
        elif candidate.member.size > MAX_BYTES:
            result.not_placed[origin] = "larger than 50 MB"
        elif class_list is not None:
            student = class_list.find(candidate.who)
            if student is None:
                files = result.not_on_roster.get(str(candidate.who))
                result.not_on_roster[str(candidate.who)] = f"{files}, {origin}" if files else origin
            else:
                by_student.setdefault(student, []).append(candidate)
        elif candidate.who.default_id() is None:
            result.not_placed[origin] = "no student id in its name"
        else:
            by_student.setdefault(candidate.who.default_id(), []).append(candidate)

    for student, candidates in sorted(by_student.items()):
        winner, others = _choose(candidates, notebook)
        _place(result, student, winner, root / "submitted" / student / assignment / f"{notebook}.ipynb")
        result.replaced += [f"{student}: {c.member.origin}: {why} ({winner.member.origin})"
                            for c, why in others]
    if class_list is not None:
        result.missing = [s for s in class_list.ids if s not in result.placed]
    log = root / "reports" / assignment / "collect.json"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(json.dumps(asdict(result), indent=1, sort_keys=True))
    return result
