"""Write each student's HTML feedback into feedback/<student>/<assignment>/."""
from __future__ import annotations

from pathlib import Path

from .course import ROOT, nbgrader


def feedback(assignment: str, root: Path = ROOT) -> list[Path]:
    """Generate feedback for every autograded submission; returns the HTML files.

    Hidden tests stay hidden: nbgrader_config.py puts HideHiddenTests in this step.
    """
    # At WARN, nbconvert repeats notices about image alt text on every page: only errors matter.
    nbgrader(root, "generate_feedback", assignment, "--force", log_level="ERROR")
    return sorted((root / "feedback").glob(f"*/{assignment}/*.html"))
