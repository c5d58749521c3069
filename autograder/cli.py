"""Command line of the instructor pipeline: it parses arguments and calls one step each."""
from __future__ import annotations

import argparse

from .course import available, check_assignment
from .demo import demo
from .export import export
from .feedback import feedback
from .grade import grade
from .release import release
from .scores import cell_scores, format_table, grade_ids


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in [("release", "generate release/ from source/"),
                       ("grade", "autograde submitted/ into the gradebook"),
                       ("scores", "print the student x question score table"),
                       ("feedback", "write HTML feedback per student"),
                       ("demo", "release, grade sample submissions, print scores, export, feedback")]:
        command = commands.add_parser(name, help=text)
        command.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                             help="default: every assignment of the course")
    commands.add_parser("export", help="write the gradebook to grades.csv")
    args = parser.parse_args(argv)

    if args.command == "export":
        print(export())
        return
    assignments = args.assignments or available()
    for assignment in assignments:
        check_assignment(assignment)
    if args.command == "release":
        release(assignments)
    elif args.command == "grade":
        for assignment in assignments:
            grade(assignment)
    elif args.command == "scores":
        for assignment in assignments:
            print(format_table(assignment, cell_scores(assignment), grade_ids(assignment)))
    elif args.command == "feedback":
        for assignment in assignments:
            feedback(assignment)
    elif args.command == "demo":
        demo(assignments)
