"""What grading left behind for each submission, kept between runs in reports/<assignment>/."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Outcome:
    """What happened to one notebook of one student; the report reads these."""
    student: str
    notebook: str
    status: str                     # "graded", "invalid", "failed"
    execution: str = ""             # execute.Result.status
    message: str = ""
    seconds: float = 0.0
    startup: float = 0.0
    flags: list[str] = field(default_factory=list)
    zeroed: list[str] = field(default_factory=list)
    unverified: list[str] = field(default_factory=list)
    mode: str = ""
    repairs: list[str] = field(default_factory=list)    # what intake repaired to read it: not flags
    for_student: list[str] = field(default_factory=list)  # why it lost points, in the student's words


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


def limit_flags(nb) -> list[str]:
    """Cells of an executed notebook that ran into a limit, for the report."""
    flags = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            text = out.get("ename", "") + " " + out.get("text", "")[-2000:]
            if "CellTimeoutError" in text:
                flags.append(f"cell {index + 1} ran past the cell time limit")
            elif "MemoryError" in text:
                flags.append(f"cell {index + 1} hit the memory limit")
            else:
                continue
            break
    return flags


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
