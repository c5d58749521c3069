"""Command line of the instructor pipeline: it parses arguments and calls one step each.

A command run out of order, or on a missing assignment or folder, exits with status 1 and a
sentence saying what is missing and which command makes it (preflight.py), not a traceback.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from . import preflight
from .collect import DEFAULT_PATTERN, PLATFORMS, CollectError, collect
from .course import ROOT, available, check_assignment
from .demo import demo
from .export import MISSING, ExportError, PLATFORMS as EXPORT_PLATFORMS, main as export_main
from . import feedback, report
from .grade import grade
from . import release
from .reasons import for_instructor
from .scores import cell_scores, format_table, grade_ids, manual_grade_ids


def main(argv: list[str] | None = None, root: Path = ROOT) -> None:
    """Run one command on the course at `root`; SystemExit with the reason if it cannot run."""
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in [("release", "generate release/ from source/"),
                       ("grade", "autograde submitted/ into the gradebook"),
                       ("scores", "print the student x question score table"),
                       ("feedback", "write HTML feedback per student"),
                       ("report", "write reports/<assignment>.html: what the class got wrong, similar submissions, flags"),
                       ("demo", "release, grade sample submissions, print scores, export, feedback")]:
        command = commands.add_parser(name, help=text)
        command.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                             help="default: every assignment of the course")
        if name == "grade":
            command.add_argument("--force", action="store_true",
                                 help="regrade every submission, not only new or changed ones")
            command.add_argument("--workers", type=int, help="local worker processes (default: cores + 1)")
            command.add_argument("--scheduler", metavar="ADDRESS",
                                 help="run on a Dask distributed cluster, e.g. tcp://host:8786")
    out = commands.add_parser("export", help="write grades.csv, or an assignment's grades and feedback for a platform")
    out.add_argument("assignment", nargs="?", metavar="ASSIGNMENT",
                     help="with it: exports/ASSIGNMENT/<platform>.csv and its feedback; without: grades.csv")
    out.add_argument("--platform", choices=list(EXPORT_PLATFORMS),
                     help="the platform to import into (default: the one collect read the submissions from)")
    out.add_argument("--roster", type=Path, metavar="CSV", help="the class list (default: the one collect used)")
    out.add_argument("--missing", choices=MISSING, default="empty",
                     help="the cell of a roster student with nothing handed in (default: empty)")
    out.add_argument("--column", metavar="HEADER",
                     help="the grade column's header as the platform's own gradebook download writes it")
    commands.add_parser("bundle", help="write the student bundle from release/ as it is (release does it too)")
    gather = commands.add_parser("collect", help="import submissions from a folder or an LMS zip into submitted/")
    gather.add_argument("source", type=Path, help="a folder or a zip file")
    gather.add_argument("assignment", metavar="ASSIGNMENT")
    gather.add_argument("--pattern", default=DEFAULT_PATTERN,
                        help="regular expression with a `student` group, searched for in each file's path "
                             "inside the export, else matched at the start of its name")
    gather.add_argument("--roster", type=Path, metavar="CSV",
                        help="class list: id,first_name,last_name,email,lms_user_id (nbgrader's student "
                             "import) and optional username, sid columns")
    gather.add_argument("--platform", choices=list(PLATFORMS),
                        help="the export's layout (default: recognised from its file names)")
    args = parser.parse_args(argv)
    try:
        _run(args, root)
    except subprocess.CalledProcessError as err:  # nbgrader printed its own reason above
        raise SystemExit(f"`{' '.join(map(str, err.cmd[1:4]))}` failed (exit status {err.returncode}); "
                         "its messages are above.") from None


def _run(args, root: Path) -> None:
    if args.command == "export":
        preflight.require_gradebook(root)
        if args.assignment:
            check_assignment(args.assignment, root)
        try:
            print(export_main(root=root, assignment=args.assignment, platform=args.platform, roster=args.roster,
                              missing=args.missing, column=args.column))
        except ExportError as err:
            print(f"export: {err}", file=sys.stderr)
            raise SystemExit(2) from None
        return
    if args.command == "bundle":
        release.bundle_main(root=root)
        return
    if args.command == "collect":
        check_assignment(args.assignment, root)
        preflight.require_source(args.source)
        try:
            print(collect(args.source, args.assignment, root, pattern=args.pattern,
                          roster=args.roster, platform=args.platform))
        except CollectError as err:
            print(f"collect: {err}", file=sys.stderr)
            raise SystemExit(2) from None
        return
    assignments = args.assignments
    for assignment in assignments:
        check_assignment(assignment, root)
        preflight.require(args.command, root, assignment)
    if not assignments:  # every assignment the command can run on; if none, why not for the first
        assignments = [a for a in available(root) if preflight.ready(args.command, root, a)]
        if not assignments and available(root):
            preflight.require(args.command, root, available(root)[0])
    if args.command == "release":
        release.main(assignments=assignments, root=root)
    elif args.command == "grade":
        for assignment in assignments:
            summary = grade(assignment, root, force=args.force, workers=args.workers,
                            scheduler=args.scheduler, progress=True)
            print(f"{assignment}: {summary}")
            for student, note in summary.not_graded:  # every file handed in and not graded, with why
                print(f"  {student}: {for_instructor(note)}")
    elif args.command == "scores":
        for assignment in assignments:
            print(format_table(assignment, cell_scores(assignment, root), grade_ids(assignment, root),
                               manual_grade_ids(assignment, root)))
    elif args.command == "feedback":
        for assignment in assignments:
            feedback.main(assignment=assignment, root=root)
    elif args.command == "report":
        for assignment in assignments:
            print(report.main(assignment=assignment, root=root))
    elif args.command == "demo":
        demo(assignments, root)
