"""What is placed for a file a student handed in: the notebook itself, a notebook made from its
jupytext text form, or the notebook without its outputs when it is over the size limit.

Limits (stated in autograder/README.md): a notebook of at most `MAX_BYTES` is placed as it is.
A larger one is read (up to `MAX_READ`) and placed without its outputs and attachments, which
grading clears anyway (nbgrader's ClearOutput); a notebook still over `MAX_BYTES` without them,
or one that is larger than `MAX_READ` or cannot be read as JSON, is not placed and the reason
says what to ask of the student. A `.py` or `.md` file (jupytext's text forms of a notebook, as
VS Code, PyCharm or `jupytext --to py` save it) is converted with jupytext, the tool that wrote
it, and placed as a notebook; the conversion is recorded.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PurePosixPath

from .export import MAX_READ, Member, Unreadable

MiB = 1024**2
MAX_BYTES = 50 * MiB        # one notebook, as placed
TEXT_FORMS = {".py": "py:percent", ".md": "md"}  # jupytext's format for each suffix it reads
NOTEBOOK = ".ipynb"


@dataclass
class Placeable:
    """The bytes to place for one file, and what was done to them (None: placed as handed in)."""
    data: bytes
    change: str | None = None


def kind(filename: str) -> str | None:
    """"notebook", "text form" (a jupytext `.py`/`.md`), or None for any other file."""
    suffix = PurePosixPath(filename).suffix.lower()
    return "notebook" if suffix == NOTEBOOK else "text form" if suffix in TEXT_FORMS else None


def placeable(member: Member, filename: str) -> Placeable:
    """What to place for `member` (named `filename` by the student). Raises Unreadable, saying
    why and what to do, for a file that cannot be placed."""
    if too_large(member.size):
        raise Unreadable(too_large(member.size))
    data = member.read()
    if kind(filename) == "text form":
        return _from_text(data, PurePosixPath(filename).suffix.lower())
    if len(data) > MAX_BYTES:
        return _without_outputs(data)
    return Placeable(data)


def too_large(size: int) -> str | None:
    """Why a file of `size` bytes is never read (over `MAX_READ`: parsed, a notebook takes about ten
    times its size), and what to ask of the student; None when it may be read."""
    if size <= MAX_READ:
        return None
    # Rounded up: 512 MiB and a byte is "513 MiB, larger than the 512 MiB", never "512, larger than 512".
    return (f"{-(-size // MiB)} MiB, larger than the {MAX_READ // MiB} MiB a notebook may be: ask the student "
            "to clear its outputs (Kernel > Restart Kernel and Clear Outputs) and hand it in again")


def _mb(size: int) -> str:
    return f"{size / MiB:.0f} MB"


def _from_text(data: bytes, suffix: str) -> Placeable:
    import jupytext
    import nbformat

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable(f"a {suffix} file that is not text (UTF-8): not a notebook in any form") from None
    try:
        nb = jupytext.reads(text, fmt=TEXT_FORMS[suffix] if "# %%" in text or suffix == ".md" else "py:light")
    except Exception as err:  # jupytext's own parsers raise many kinds
        raise Unreadable(f"a {suffix} file jupytext cannot read as a notebook ({type(err).__name__}: {err})") from None
    return Placeable(nbformat.writes(nb).encode(),
                     f"handed in as a {suffix} file (a notebook's jupytext text form); converted to a notebook")


def _without_outputs(data: bytes) -> Placeable:
    over = f"{_mb(len(data))}, over the {_mb(MAX_BYTES)} limit"
    try:
        nb = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise Unreadable(f"{over}, and not a notebook (not JSON): ask the student to hand in the notebook "
                         "file itself") from None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        raise Unreadable(f"{over}, and not a notebook (no list of cells): ask the student to hand in the "
                         "notebook file itself")
    for cell in cells:
        if isinstance(cell, dict):
            if "outputs" in cell:
                cell["outputs"] = []
            cell.pop("attachments", None)
    reduced = json.dumps(nb, indent=1, ensure_ascii=False).encode()
    if len(reduced) > MAX_BYTES:
        raise Unreadable(f"{over} even without its outputs: ask the student for a smaller notebook "
                         "(large data belongs in files, not cells)")
    return Placeable(reduced, f"{over}; placed without its outputs and attachments ({_mb(len(reduced))}; "
                              "grading clears outputs anyway)")
