"""`python -m autograder release`: the student version of assignments (release/) and the bundle.

Every release also adds its test cells' texts to `release-history/<assignment>.json`, so that a
submission made from an earlier release is told apart from one whose test cells were edited.
The bundle holds the assignments the schedule (`c.CourseRelease`, schedule.py) has opened or
closed; release refuses a schedule whose bundle would hold an open assignment's answers, first
by name in provided cells (schedule.py), then by grading what the bundle holds (leaks.py).
"""
from __future__ import annotations

from pathlib import Path

import nbformat

from ..course import ROOT, nbgrader, notebook_path
from ..provided import ProvidedCodeError, fill_provided
from .bundle import bundle_notebooks, colab_table, course_bundle, update_readme, write_bundle
from .fill_provided_code import FillProvidedCode
from .fill_setup_cell import FillSetupCell
from .history import record_release
from .schedule import Blocker, CourseRelease, Plan, ReleaseRefused, check_provided, plan

__all__ = ["CourseRelease", "FillProvidedCode", "FillSetupCell", "bundle_main", "main", "publish", "release"]


def main(*, assignments: list[str], root: Path = ROOT) -> None:
    """The release command: check the schedule, regenerate release/ for `assignments`, write the bundle.

    Prints what the bundle holds and leaves out; SystemExit with the cells and names in the way
    when the schedule would hand out an open assignment's answers (nothing is written then).
    """
    staged = plan(root)
    try:
        check_provided(root, staged)
    except ReleaseRefused as refused:
        raise SystemExit(refusal_words(refused.blockers)) from None
    except ProvidedCodeError as err:
        raise SystemExit(f"release stopped: {err}") from None
    release(assignments, root)
    bundle_main(root=root, staged=staged)


def bundle_main(*, root: Path = ROOT, staged: Plan | None = None) -> None:
    """Write the bundle from release/ as it is, unless code in it earns points on an open assignment."""
    # Imported here: the leak test grades with autograder.grade, whose modules import this package.
    from .leaks import LeakingBundle, check_bundle

    staged = staged or plan(root)
    try:
        folder, archive = publish(root, staged, check=lambda new: check_bundle(new, staged.open, root))
    except LeakingBundle as leaking:
        raise SystemExit(leak_words(leaking.leaks)) from None
    print(f"student bundle: {folder} and {archive}")
    print(schedule_words(staged))


def schedule_words(staged: Plan) -> str:
    """What the bundle holds and what it leaves out, and why, for the instructor."""
    lines = [f"open: {', '.join(staged.open) or 'none'}; closed: {', '.join(staged.closed) or 'none'}"]
    for left in staged.left_out:
        when = f"opens {left.opens}" if left.opens else "not in c.CourseRelease.open or .closed"
        lines.append(f"left out: {left.assignment} (not open yet: {when}; the bundle has a stand-in that says so)")
    return "\n".join(lines)


def refusal_words(blockers: tuple[Blocker, ...]) -> str:
    """Why release refused a schedule: each provided cell holding a not-yet-closed assignment's names."""
    lines = [f"{b.assignment}, cell {b.cell!r}, provides {', '.join(b.names)} of {b.owner}, which is not closed"
             for b in blockers]
    return ("release refused: the bundle would hand out answers of an assignment still open or not yet "
            "open.\n  " + "\n  ".join(lines) + "\nClose those assignments first (c.CourseRelease.closed "
            "in nbgrader_config.py), or leave the assignments that provide them out of c.CourseRelease.open.")


def leak_words(leaks) -> str:
    """Why release refused to write a bundle: code in it earned points on an open assignment."""
    lines = [f"{leak.where}: `{leak.name}` earned {leak.score:g} points on {leak.assignment}'s {leak.grade_id}"
             for leak in leaks]
    return ("release refused: the bundle holds code that earns points on an open assignment; the old "
            "bundle is kept.\n  " + "\n  ".join(lines))


def release(assignments: list[str], root: Path = ROOT) -> None:
    """Rebuild release/<assignment>/ from source/<assignment>/ and record it in the gradebook.

    nbgrader strips solutions, hidden tests and outputs, writes `c.CourseBundle.url` into the
    setup cell and the provided code into the cells that name it; the gradebook keeps the grade
    cells that autograding restores in every submission. `python -m autograder release` then
    calls `publish`. SystemExit, before nbgrader runs, for a provided-code marker it cannot fill.
    """
    course_bundle(root)  # a missing or malformed setting stops the release before nbgrader runs
    for assignment in assignments:
        path = notebook_path("source", assignment, root=root)
        try:
            fill_provided(nbformat.read(path, as_version=4), root, where=str(path.relative_to(root)))
        except ProvidedCodeError as err:
            raise SystemExit(f"release stopped: {err}") from None
    for assignment in assignments:
        nbgrader(root, "generate_assignment", assignment, "--force")
        record_release(root, assignment)


def publish(root: Path = ROOT, staged: Plan | None = None, check=None) -> tuple[Path, Path]:
    """Write the student bundle (folder and zip) from release/ as it is, and the README's Colab links.

    `staged` says which assignments it ships (default: the schedule today); `check(folder)` may
    refuse the new folder before it replaces the old bundle (see `write_bundle`).
    Returns the bundle's (folder, zip).
    """
    bundle = course_bundle(root)
    update_readme(root / "README.md", colab_table(bundle, bundle_notebooks(root)))
    return write_bundle(bundle, root, staged, check=check)
