"""Which assignments the student bundle holds: `c.CourseRelease` in nbgrader_config.py.

An assignment is *open* (students work on it), *closed* (its deadline has passed; students keep
it) or *not open yet* (left out of the bundle). The bundle holds the open and closed ones. A
notebook's provided cells may hold another assignment's graded code only once that one is
closed: otherwise the bundle would hand out its answers (the course contract's staged release).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from traitlets import Dict, List, Unicode
from traitlets.config import Configurable

from ..course import ROOT, available, load_config
from ..provided import fill_provided
from .names import definitions, graded_names, is_provided, read


class CourseRelease(Configurable):
    """The release schedule: which assignments are open and closed, optionally by date."""

    open = List(Unicode(), help=(
        "Assignments open to students now: in the bundle, their graded code nowhere else in it.")).tag(config=True)
    closed = List(Unicode(), help=(
        "Assignments whose deadline has passed: still in the bundle, and later assignments' provided "
        "cells may hold their answers.")).tag(config=True)
    dates = Dict(help=(
        'Optional, per assignment: {"opens": "YYYY-MM-DD", "closes": "YYYY-MM-DD"} (either or both). '
        "From `opens` on it counts as open, from `closes` on as closed, as if listed above.")).tag(config=True)


@dataclass(frozen=True)
class LeftOut:
    """An assignment the bundle does not hold because it is not open yet (and when it opens, if set)."""

    assignment: str
    opens: dt.date | None


@dataclass(frozen=True)
class Blocker:
    """Provided cell `cell` of `assignment` defines `names`, graded in `owner`, which is not closed."""

    assignment: str
    cell: str
    owner: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """What one release ships: open and closed assignments (course order), and what it leaves out."""

    open: tuple[str, ...]
    closed: tuple[str, ...]
    left_out: tuple[LeftOut, ...]
    shipped: tuple[str, ...]  # open and closed, in course order


class ReleaseRefused(Exception):
    """The schedule would ship another assignment's answers; `blockers` says which cells and names."""

    def __init__(self, blockers: list[Blocker]):
        super().__init__(blockers)
        self.blockers = tuple(blockers)


def _date(value: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise SystemExit(f"{where} is {value!r}; write dates as YYYY-MM-DD.") from None


def plan(root: Path = ROOT, today: dt.date | None = None, schedule: CourseRelease | None = None) -> Plan:
    """The plan of `schedule` (default: `root`'s c.CourseRelease) on `today` (default: today).

    SystemExit naming the setting if it names an assignment the course does not have, lists one
    as both open and closed, or writes a date another way than YYYY-MM-DD.
    """
    schedule = schedule or CourseRelease(config=load_config(root))
    today = today or dt.date.today()
    course = available(root)
    for setting, names in (("open", schedule.open), ("closed", schedule.closed), ("dates", list(schedule.dates))):
        unknown = [a for a in names if a not in course]
        if unknown:
            raise SystemExit(f"c.CourseRelease.{setting} names {', '.join(map(repr, unknown))}; "
                             f"this course has: {', '.join(course)}")
    opens, closes = {}, {}
    for assignment, when in schedule.dates.items():
        if not isinstance(when, dict) or set(when) - {"opens", "closes"}:
            raise SystemExit(f'c.CourseRelease.dates[{assignment!r}] is {when!r}; write it as '
                             '{"opens": "YYYY-MM-DD", "closes": "YYYY-MM-DD"} (either or both).')
        if "opens" in when:
            opens[assignment] = _date(when["opens"], f"c.CourseRelease.dates[{assignment!r}]['opens']")
        if "closes" in when:
            closes[assignment] = _date(when["closes"], f"c.CourseRelease.dates[{assignment!r}]['closes']")
    both = set(schedule.open) & set(schedule.closed)
    if both:
        raise SystemExit(f"c.CourseRelease lists {', '.join(sorted(both))} as both open and closed.")
    closed = [a for a in course if a in schedule.closed or (a in closes and closes[a] <= today)]
    open_ = [a for a in course if a not in closed and (a in schedule.open or (a in opens and opens[a] <= today))]
    left = [LeftOut(a, opens.get(a)) for a in course if a not in open_ and a not in closed]
    return Plan(tuple(open_), tuple(closed), tuple(left), tuple(a for a in course if a in open_ or a in closed))


def blockers(root: Path, plan_: Plan) -> list[Blocker]:
    """Provided cells of shipped assignments that hold graded names of an assignment not closed,
    as release writes them (provided code filled in). ProvidedCodeError for a marker it cannot fill."""
    graded = {a: graded_names(root, a) for a in available(root)}
    found = []
    for assignment in plan_.shipped:
        nb = read(root / "source" / assignment / f"{assignment}.ipynb")
        fill_provided(nb, root, where=f"source/{assignment}")
        for cell in nb.cells:
            if not is_provided(cell):
                continue
            names = {d.name for d in definitions(cell.source)}
            for owner, owned in graded.items():
                if owner != assignment and owner not in plan_.closed and names & owned:
                    found.append(Blocker(assignment, cell.metadata["nbgrader"]["grade_id"], owner,
                                         tuple(sorted(names & owned))))
    return found


def check_provided(root: Path, plan_: Plan) -> None:
    """ReleaseRefused if a shipped notebook's provided cells hold an unclosed assignment's graded code."""
    found = blockers(root, plan_)
    if found:
        raise ReleaseRefused(found)
