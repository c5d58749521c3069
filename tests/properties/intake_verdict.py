"""What grading's intake makes of a submission, without running a kernel: notes, and the program.

`Intake(root, assignment).take(data)` runs the grade command's step 2 (read, recover, admit,
prepare: `batch._Batch.prepare_all`) on one file and returns what it would record and execute.
`program(nb)` is what a kernel would run, as a comparable sequence: each grade cell by its grade
id and text, each other code cell's top-level statements as IPython would run them (magics
turned into calls) and as Python parses them (so line endings, trailing space, also in a
docstring, Unicode normalisation and cell boundaries do not count). Two notebooks with the same program run the
same code in the same order around the same tests: with the reference's solutions, full marks.
"""
from __future__ import annotations

import ast
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from IPython.core.inputtransformer2 import TransformerManager

from autograder.grade import batch
from tests.properties.course import submit

# Magics that change nothing a test sees (plot backends, reloading, figure format).
HARMLESS_MAGICS = {"matplotlib", "load_ext", "autoreload", "config"}
# Note kinds that are true of noise: a format repaired, roles an editor dropped recognised, a
# shell line skipped. Any other kind (edited, deleted, restored, moved, undone...) would be false.
TRUE_OF_NOISE = {"format_repair", "recovered", "shell_line"}


class _Bar:
    def update(self, n: int) -> None:
        pass


@dataclass
class Taken:
    """Step 2's result for one file: why it was `rejected` (the notes), or its notes and prepared notebook."""
    rejected: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    prepared: object = None

    def false_claims(self) -> list:
        """Notes of a kind noise cannot make true."""
        return [n for n in self.notes if n.kind not in TRUE_OF_NOISE]


class Intake:
    def __init__(self, root: Path, assignment: str):
        self.root, self.assignment = root, assignment
        self.batch = batch._Batch(assignment, root, force=True, mode=None, limits=None, scratch_base=None)

    def take(self, data: bytes, student: str = "generated") -> Taken:
        path = submit(self.root, student, self.assignment, data)
        b, name = self.batch, self.assignment
        list(b.prepare_all([(student, name, path, "digest", [])], _Bar()))
        taken = b.submissions.pop((student, name), None)
        if taken is None:
            return Taken(rejected=b.outcomes[f"{student}/{name}"]["notes"])
        return Taken(notes=list(taken.notes), prepared=taken.prepared)


def program(nb) -> list:
    """The code `nb` runs, cell boundaries aside: ("test", grade id, text) and statement dumps."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        text = unicodedata.normalize("NFC", cell.source.replace("\r\n", "\n").replace("\r", "\n"))
        if meta.get("grade") and not meta.get("solution"):
            found.append(("test", meta["grade_id"], _canonical(text)))
            continue
        python = TransformerManager().transform_cell(_canonical(text))
        found += [ast.dump(s) for s in ast.parse(python).body if not _neutral(s)]
    return found


def _canonical(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


def _neutral(statement) -> bool:
    """`pass`, or a magic from HARMLESS_MAGICS (`get_ipython().run_line_magic("matplotlib", ...)`)."""
    if isinstance(statement, ast.Pass):
        return True
    call = statement.value if isinstance(statement, ast.Expr) else None
    return (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and call.func.attr == "run_line_magic" and call.args and isinstance(call.args[0], ast.Constant)
            and call.args[0].value in HARMLESS_MAGICS)
