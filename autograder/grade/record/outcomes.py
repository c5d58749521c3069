"""What grading left behind for each submission, kept between runs in reports/<assignment>/."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from autograder import cells
from autograder.course import OUTCOMES, record_path, reports_dir

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
    path = reports_dir(assignment, root)
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
    return read_json(record_path(assignment, OUTCOMES, root), {})


def digest(*parts: bytes | Path) -> str:
    """One hex digest of `parts`: bytes, or files read a MiB at a time (a file of any size handed
    in is hashed without being held in memory); a file and its bytes give the same digest."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            with open(part, "rb") as f:
                one = hashlib.sha256()
                for chunk in iter(lambda: f.read(2**20), b""):
                    one.update(chunk)
            h.update(one.digest())
        else:
            h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def limit_notes(nb, limits, timed_out=(), memory_stopped: int | None = None) -> list[Note]:
    """The first cell of an executed notebook stopped at the cell time limit (`timed_out`: 0-based
    cells, as the executor saw them), else the cell the sandbox's memory limit stopped the kernel
    in (`memory_stopped`, 0-based), else the first whose error is a MemoryError.

    `limits` is the sandbox.Limits that applied, whose values the notes keep. A time limit comes
    from the executor and a memory kill from the sandbox, never from the kernel; a MemoryError
    is the kernel's word, and only words.
    """
    if timed_out:
        return [Note("cell_time_limit", str(min(timed_out) + 1), {"seconds": limits.cell_timeout})]
    if memory_stopped is not None:
        return [Note("memory_limit", str(memory_stopped + 1), {"bytes": limits.memory, "kernel_stopped": True})]
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any(out.get("output_type") == "error" and out.get("ename") == "MemoryError"
                                            for out in cell.get("outputs", [])):
            return [Note("memory_limit", str(index + 1), {"bytes": limits.memory})]
    return []


def assemble(student: str, notebook: str, *, result, executed, verdict, limits, notes=(), failure: Note | None = None,
             grade_ids=(), deleted=()) -> Outcome:
    """One notebook's outcome, from what each step returned.

    result: execute.Result, an exception from a worker, or None; executed: the executed notebook
    or None; verdict: the judge's NotebookVerdict; notes: intake's notes; failure: why it scored
    0, if it did; grade_ids: the release's; deleted: grade cells zeroed as deleted.
    """
    outcome = Outcome(student, notebook, "graded" if failure is None else "failed", mode=getattr(result, "mode", ""))
    outcome.add(*notes)
    if result is not None and not isinstance(result, BaseException):
        outcome.execution, outcome.seconds, outcome.startup = result.status, result.seconds, result.startup
        if result.truncated:
            outcome.add(Note("output_cut", detail={"bytes": limits.output}))
        if result.status not in ("ok", "memory limit"):  # a memory kill is told by its limit note
            outcome.add(Note("execution", detail={"status": result.status, "message": result.message}))
        ran = executed.cells if executed is not None else []
        outcome.add(*(Note("answer_rewritten", _grade_id(ran, i) or str(i + 1)) for i in result.rewrites))
    if executed is not None:
        outcome.add(*limit_notes(executed, limits, getattr(result, "timed_out", []),
                                 getattr(result, "memory_stopped", None)))
    if failure is not None:
        outcome.add(failure)
    else:
        rewritten = [n["cell"] for n in outcome.notes if n["kind"] == "answer_rewritten" and n["cell"] in grade_ids]
        outcome.zeroed = list(dict.fromkeys([*verdict.zeroed, *deleted, *rewritten]))
        outcome.unverified, outcome.mistakes = verdict.unverified, verdict.mistakes
    outcome.add(*verdict.notes)
    return outcome


def _grade_id(ran: list, index: int) -> str | None:
    cell = ran[index] if index < len(ran) else None
    return cells.grade_id(cell) if cell is not None and cells.is_test(cell) else None


@dataclass
class Summary:
    graded: int = 0
    skipped: int = 0
    invalid: int = 0
    failed: int = 0
    flagged: int = 0
    seconds: float = 0.0
    startup: list[float] = field(default_factory=list)
    not_graded: list[tuple[str, Note]] = field(default_factory=list)  # (student, "not_graded" note) per file left
    # Where the time goes, per submission: each phase's seconds, from the worker's run
    # (execute.Result.phases) and the grading process's own steps (intake, scoring, recording).
    phases: dict[str, list[float]] = field(default_factory=dict)

    def timed(self, phase: str, seconds: float) -> None:
        self.phases.setdefault(phase, []).append(seconds)

    def __str__(self) -> str:
        parts = [f"{self.graded} graded", f"{self.skipped} unchanged", f"{self.invalid} with no notebook to grade",
                 f"{self.failed} failed", f"{self.flagged} flagged", f"{len(self.not_graded)} other files not graded"]
        return ", ".join(parts) + f" in {self.seconds:.1f} s"
