"""What grading left behind for each submission, kept between runs in reports/<assignment>/."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from autograder.grade.record.notes import Note


@dataclass
class Outcome:
    """What happened to one notebook of one student; the report and the feedback read these."""
    student: str
    notebook: str
    status: str                     # "graded", "invalid", "failed"
    execution: str = ""             # execute.Result.status
    seconds: float = 0.0
    startup: float = 0.0
    notes: list[dict] = field(default_factory=list)     # Note.to_dict() of every note, in order
    zeroed: list[str] = field(default_factory=list)     # grade ids failed for tampering
    unverified: list[str] = field(default_factory=list)
    mistakes: dict[str, list[str]] = field(default_factory=dict)  # grade id -> likely mistakes named
    mode: str = ""

    def add(self, *notes: Note) -> None:
        self.notes += [note.to_dict() for note in notes]


def state_dir(root: Path, assignment: str) -> Path:
    path = root / "reports" / assignment
    path.mkdir(parents=True, exist_ok=True)
    return path


def read_json(path: Path, default):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return default


def write_json(path: Path, data) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
    os.replace(tmp, path)  # atomic: a killed grader leaves the old file or the new one


def load_outcomes(root: Path, assignment: str) -> dict[str, dict]:
    return read_json(state_dir(root, assignment) / "outcomes.json", {})


def digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def limit_notes(nb, limits) -> list[Note]:
    """The first cell of an executed notebook that ran into the cell time or memory limit
    (`limits`: the sandbox.Limits that applied, whose values the note keeps).

    Matched on the exception's *type* (ename), which nbclient and Python set, not on its message.
    """
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") != "error":
                continue
            if out.get("ename") == "CellTimeoutError":
                return [Note("cell_time_limit", str(index + 1), {"seconds": limits.cell_timeout})]
            if out.get("ename") == "MemoryError":
                return [Note("memory_limit", str(index + 1), {"bytes": limits.memory})]
    return []


@dataclass
class Summary:
    graded: int = 0
    skipped: int = 0
    invalid: int = 0
    failed: int = 0
    flagged: int = 0
    seconds: float = 0.0
    startup: list[float] = field(default_factory=list)

    def __str__(self) -> str:
        parts = [f"{self.graded} graded", f"{self.skipped} unchanged", f"{self.invalid} not notebooks",
                 f"{self.failed} failed", f"{self.flagged} flagged"]
        return ", ".join(parts) + f" in {self.seconds:.1f} s"
