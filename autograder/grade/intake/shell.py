"""Shell lines and package-manager magics in a submission: skipped while grading, and said so.

Students leave `!pip install numpy` or `%pip install ...` from Colab or a tutorial, often as
the first line of a solution cell. In the grading sandbox such a line cannot run (IPython
starts it on a pseudo-terminal: "OSError: out of pty devices"; there is no network either), its
error ends the cell, the functions the cell defines are never defined and every test of them
scores 0, while the student's own Run All and stock nbgrader pass. The course's packages are
installed already, so nothing a shell line does can be needed by a graded answer.

`skip_shell_lines(nb)` turns each such line, before execution, into `pass` with the line as a
comment (indentation kept, so a line inside a block still parses), and a whole shell cell
(`%%bash`, `%%sh`, `%%script`, `%%system`, `%%!`) into comments; an assignment from a shell
(`files = !ls`) gets an empty list. It returns a `shell_line` note per cell changed. Only logical
line starts are looked at (IPython's own tokenizer), so a `!` inside a string is text.
"""
from __future__ import annotations

import re

from IPython.core.inputtransformer2 import make_tokens_by_line

from autograder.grade.record.notes import Note

# Line magics that run a shell or a package manager; `!` and `!!` always do.
SHELL_MAGICS = ("pip", "conda", "mamba", "micromamba", "sx", "system", "sc", "uv")
CELL_MAGICS = ("bash", "sh", "script", "system", "!", "sx")
LINE = re.compile(r"^(?P<indent>[ \t]*)(?:(?P<target>[\w.]+(?:\s*,\s*[\w.]+)*)\s*=\s*)?"
                  r"(?:!|%(?:" + "|".join(SHELL_MAGICS) + r")\b)")
CELL = re.compile(r"^\s*%%(?:" + "|".join(map(re.escape, CELL_MAGICS)) + r")(?:\s|$)")
SKIPPED = "not run while grading"


def skip_shell_lines(nb) -> list[Note]:
    """Neutralise shell lines in `nb`'s code cells, in place; one note per cell changed.

    A cell's note names it by grade id if it has one, else by its 1-based number. Read-only
    cells are left alone: nbgrader puts back their text as released before they run.
    """
    notes = []
    for number, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code" or cell.metadata.get("nbgrader", {}).get("locked"):
            continue
        source, lines = _skip(cell.source)
        if lines:
            cell.source = source
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            notes.append(Note("shell_line", gid or str(number), {"lines": lines}))
    return notes


def _skip(source: str) -> tuple[str, list[str]]:
    """`source` with its shell lines neutralised, and those lines as written."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if CELL.match(source):
        return "\n".join(["pass  # " + SKIPPED + ":"] + ["# " + line for line in lines]), [lines[0].strip()]
    starts = _logical_starts(source)
    skipped = []
    for index, line in enumerate(lines):
        found = LINE.match(line)
        if not found or index not in starts:
            continue
        skipped.append(line.strip())
        if found["target"]:
            lines[index] = f"{found['indent']}{found['target']} = []  # {SKIPPED}: {line.strip()}"
        else:
            lines[index] = f"{found['indent']}pass  # {SKIPPED}: {line.strip()}"
    return "\n".join(lines), skipped


def _logical_starts(source: str) -> set[int]:
    """0-based indices of the lines on which a logical line starts (not inside a string or brackets)."""
    try:
        return {tokens[0].start[0] - 1 for tokens in make_tokens_by_line(source.splitlines(keepends=True))
                if tokens and tokens[0].type not in (0,)}  # ENDMARKER
    except Exception:  # IPython's tokenizer gave up: every line counts as a start, as IPython's escapes see it
        return set(range(source.count("\n") + 1))
