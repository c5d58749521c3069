"""The whole instructor pipeline on sample submissions: release and bundle, submit, grade, export, feedback, report."""
from __future__ import annotations

from pathlib import Path

from .course import ROOT, available
from .export import export
from . import feedback, report
from .grade import grade
from .release import publish, release
from .samples import load_samples, write_submissions
from .scores import cell_scores, format_table, grade_ids, manual_grade_ids


def demo(assignments: list[str] | None = None, root: Path = ROOT) -> None:
    assignments = assignments or available(root)
    print(f"1/6 release: generating {', '.join(assignments)} into release/")
    release(assignments, root)
    folder, archive = publish(root)
    print(f"1/6 release: the student bundle in {folder.relative_to(root)} and {archive.relative_to(root)}")
    for assignment in assignments:
        samples = load_samples(assignment, root)
        write_submissions(assignment, samples, root)
        print(f"2/6 submit: {len(samples)} sample submissions of {assignment} in submitted/")
    for assignment in assignments:
        print(f"3/6 grade: autograding {assignment}")
        grade(assignment, root)
    for assignment in assignments:
        table = format_table(assignment, cell_scores(assignment, root), grade_ids(assignment, root),
                             manual_grade_ids(assignment, root))
        print("\n" + table + "\n")
    csv = export(root)
    print(f"4/6 export: grades in {csv.relative_to(root)}")
    for assignment in assignments:
        pages = feedback.main(assignment=assignment, root=root)
        print(f"5/6 feedback: {len(pages)} HTML pages for {assignment}, e.g. {pages[0].relative_to(root)}")
    for assignment in assignments:
        page = report.main(assignment=assignment, root=root)
        print(f"6/6 report: what the class got wrong, similar submissions and flagged ones in {page.relative_to(root)}")
