"""Write each student's HTML feedback into feedback/<student>/<assignment>/."""
from __future__ import annotations

import html
import json
from pathlib import Path

from autograder.course import ROOT, nbgrader
from autograder.reasons import for_student
from autograder.feedback.preprocessors.about_your_grade import HEADING


def feedback(assignment: str, root: Path = ROOT) -> list[Path]:
    """Generate feedback for every graded submission; returns the HTML files.

    Hidden tests stay hidden: nbgrader_config.py puts HideHiddenTests in this step, and
    AboutYourGrade, which opens the page with why the grading process cost points, if it did.
    A submission with no autograded notebook (not a notebook at all) gets a page of its own
    saying why it scored 0.
    """
    # At WARN, nbconvert repeats notices about image alt text on every page: only errors matter.
    nbgrader(root, "generate_feedback", assignment, "--force", log_level="ERROR")
    _ungraded_pages(assignment, Path(root))
    return sorted((root / "feedback").glob(f"*/{assignment}/*.html"))


def _ungraded_pages(assignment: str, root: Path) -> None:
    try:
        outcomes = json.loads((root / "reports" / assignment / "outcomes.json").read_text())
    except (OSError, ValueError):
        return
    for outcome in outcomes.values():
        student, notebook = outcome["student"], outcome["notebook"]
        if (root / "autograded" / student / assignment / f"{notebook}.ipynb").is_file():
            continue
        notes = for_student(outcome.get("notes", [])) or ["Your submission could not be graded, so it scored 0."]
        page = root / "feedback" / student / assignment / f"{notebook}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            f"<!doctype html><meta charset='utf-8'><title>{html.escape(notebook)}: feedback</title>"
            f"<h1>{html.escape(assignment)}: {html.escape(notebook)}</h1><p>Score: 0</p>"
            f"<h2>{html.escape(HEADING.lstrip('# '))}</h2><ul>"
            + "".join(f"<li>{html.escape(note)}</li>" for note in notes) + "</ul>\n")
