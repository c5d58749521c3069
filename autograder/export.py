"""Export the gradebook to a CSV file, one row per student and assignment."""
from __future__ import annotations

from pathlib import Path

from .course import ROOT, nbgrader


def export(root: Path = ROOT, to: str = "grades.csv") -> Path:
    nbgrader(root, "export", f"--to={to}")
    return root / to
