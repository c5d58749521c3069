"""What grading did or found about one submission, as records: every step returns `Note`s.

A note is data (a kind, the cell it is about, facts), never a sentence. Only the steps that speak
to people turn notes into words (`autograder/reasons.py`, for the report and the student's
feedback), so a rewording changes no behaviour, and no module parses another's text.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

# How each kind of note counts. "flag": the report lists the submission as flagged (tampering,
# a limit, a failure, a mended test cell); "repair": the report notes it, nothing was wrong with
# the student's work (format repairs, recovered metadata, an earlier release's test cell);
# "review": a person may want to look, scores do not depend on it.
SEVERITY = {
    "not_a_notebook": "flag",          # detail: reason (intake's words for what is wrong with the file)
    "could_not_prepare": "flag",       # detail: error
    "grading_failed": "flag",          # detail: error, cause ("worker_lost", "cluster", "error")
    "execution": "flag",               # detail: status ("time limit", "kernel died", "error"), message
    "cell_time_limit": "flag",         # cell: 1-based cell number; detail: seconds (the limit)
    "memory_limit": "flag",            # cell: 1-based cell number; detail: bytes (the limit), kernel_stopped
                                       # (the sandbox killed the kernel, not a MemoryError in the cell)
    "output_cut": "flag",              # detail: bytes
    "grade_cell_deleted": "flag",      # cell: grade id
    "grade_cell_repeated": "flag",     # cell: grade id; detail: count
    "grade_cell_edited": "flag",       # cell: grade id
    "restored": "flag",                # cell: grade id; detail: role ("grade cell" or "read-only cell")
    "moved_back": "flag",              # cell: grade id; detail: above (grade ids), last
    "metadata_undone": "flag",         # cell: grade id; detail: changes (["points 1 -> 5", ...])
    "foreign_metadata": "flag",        # cell: the grade id a cell claimed that the assignment does not have
    "solutions_not_found": "flag",     # detail: cells (grade ids)
    "unasked_answers": "flag",         # cell: grade id; detail: questions
    "malformed_answer": "flag",        # cell: grade id; detail: question, error
    "answer_rewritten": "flag",        # cell: grade id; detail: questions (answers sent again or updated)
    "answers_outside": "flag",         # cell: 1-based cell number; detail: count
    "recovered": "flag",               # detail: by ({"id"|"text"|"names": [grade ids]})
    "no_notebook": "flag",             # detail: files (how many were handed in, none of them this notebook)
    "not_graded": "review",            # detail: file, why (handed_in's), notebook, assignment, reason, suffix, link, count
    "renamed": "repair",               # detail: file (the name it was handed in under), digest (of its bytes)
    "earlier_release": "repair",       # detail: cells (grade ids)
    "format_repair": "repair",         # detail: what, count
    "shell_line": "repair",            # cell: grade id or cell number; detail: lines
    "newer_python": "flag",            # cell: grade id or cell number; detail: grading (version), accepts (version)
    "review": "review",                # cell: 1-based cell number; detail: does ("imports", "rebinds", ...), what
}


@dataclass(frozen=True)
class Note:
    """One fact about one submission. `cell` is a grade id or a 1-based cell number, or ""."""

    kind: str
    cell: str = ""
    detail: dict = field(default_factory=dict, hash=False, compare=False)

    def __post_init__(self):
        if self.kind not in SEVERITY:
            raise ValueError(f"unknown note kind {self.kind!r}; known: {', '.join(SEVERITY)}")

    @property
    def severity(self) -> str:
        return SEVERITY[self.kind]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Note":
        return cls(data["kind"], data.get("cell", ""), dict(data.get("detail", {})))


def flagged(notes) -> bool:
    """Whether any of `notes` (Notes or their dicts) puts the submission among the flagged ones."""
    return any(SEVERITY[_kind(n)] in ("flag", "review") for n in notes)


def _kind(note) -> str:
    return note.kind if isinstance(note, Note) else note["kind"]
