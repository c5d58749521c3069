"""Command line of the instructor pipeline: it parses arguments and calls one step each."""
from __future__ import annotations

import argparse
from pathlib import Path

from .collect import DEFAULT_PATTERN, PLATFORMS, CollectError, collect
from .course import ROOT, available, check_assignment
from .demo import demo
from .export import export
from .feedback import feedback
from .grade import grade
from .release import publish, release
from .report import report
from .scores import cell_scores, format_table, grade_ids, manual_grade_ids


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in [("release", "generate release/ from source/"),
                       ("grade", "autograde submitted/ into the gradebook"),
                       ("scores", "print the student x question score table"),
                       ("feedback", "write HTML feedback per student"),
                       ("report", "write reports/<assignment>.html: pass rates, histograms, flags"),
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
    commands.add_parser("export", help="write the gradebook to grades.csv")
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

    if args.command == "export":
        print(export())
        return
    if args.command == "bundle":
        print("student bundle: {} and {}".format(*publish()))
        return
    if args.command == "collect":
        check_assignment(args.assignment)
        try:
            print(collect(args.source, args.assignment, ROOT, pattern=args.pattern,
                          roster=args.roster, platform=args.platform))
        except CollectError as err:
            parser.exit(2, f"collect: {err}\n")
        return
    assignments = args.assignments or available()
    for assignment in assignments:
        check_assignment(assignment)
    if args.command == "release":
        release(assignments)
        print("student bundle: {} and {}".format(*publish()))
    elif args.command == "grade":
        for assignment in assignments:
            summary = grade(assignment, force=args.force, workers=args.workers,
                            scheduler=args.scheduler, progress=True)
            print(f"{assignment}: {summary}")
    elif args.command == "scores":
        for assignment in assignments:
            print(format_table(assignment, cell_scores(assignment), grade_ids(assignment), manual_grade_ids(assignment)))
    elif args.command == "feedback":
        for assignment in assignments:
            feedback(assignment)
    elif args.command == "report":
        for assignment in assignments:
            print(report(assignment, ROOT))
    elif args.command == "demo":
        demo(assignments)
