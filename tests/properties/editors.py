"""What editors, platforms and habits do to a notebook that change nothing a grader should count.

Each `Edit` is one real change, named and with its arguments, so that a shrunk failure reads as
the list of what was done (and is pasted as is into a named regression test):

- line endings: VS Code on Windows saves cell sources with CRLF; old Mac tools with CR;
- a byte-order mark (Notepad, PowerShell's `Set-Content -Encoding UTF8`);
- trailing white space on lines, and final newlines added or removed (editors' "trim" settings);
- Unicode normalisation (NFC/NFD: macOS tools, copy and paste from a PDF);
- cell metadata dropped (the 2020 VS Code extension: vscode-jupyter#2325) or its keys reordered;
- cell ids removed, replaced (VS Code writes its own), or added to an nbformat < 4.5 notebook;
- nbformat minor versions 4.0 to 4.5 (Colab writes 4.0, VS Code 4.2, JupyterLab 4.5);
- cells split at a blank line between top-level statements, or merged with a neighbour
  (JupyterLab's Ctrl-Shift-- and Shift-M; both copy the first cell's metadata);
- outputs added (ran it: streams, pictures, results, even errors) and images pasted into
  Markdown as attachments;
- magics and shell lines left from Colab or a tutorial (`%pip install`, `!pip install`,
  `%matplotlib inline`, `%load_ext autoreload`), in a cell of their own or atop a solution;
- an empty scratch cell added;
- the file as saved: key order, indentation, ASCII escapes, and the jupytext `.py`/`.md`
  round trip (a student who worked on the script form and converted back).

`apply(nb, edits)` returns the edited notebook as JSON data; `save(nb, form)` its file's bytes.
The strategies `edits_for(nb)` and `forms()` draw them for hypothesis.
"""
from __future__ import annotations

import copy
import json
import re
import unicodedata
from dataclasses import dataclass

from hypothesis import strategies as st

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
# Lines students leave in their notebooks (from Colab, tutorials, their own setup).
MAGICS = ("%matplotlib inline", "%load_ext autoreload", "%autoreload 2", "%config InlineBackend.figure_format = 'retina'")
SHELL_LINES = ("!pip install numpy", "%pip install numpy matplotlib", "!pip install -q h5py", "!nvidia-smi",
               "%pip install --quiet tqdm", "!ls -la")
OUTPUTS = (
    {"output_type": "stream", "name": "stdout", "text": "\u2713 sigmoid(0) = 0.5\n"},
    {"output_type": "stream", "name": "stderr", "text": "RuntimeWarning: overflow encountered in exp\n"},
    {"output_type": "display_data", "metadata": {}, "data": {"image/png": PNG, "text/plain": "<Figure size 640x480 with 1 Axes>"}},
    {"output_type": "execute_result", "execution_count": 3, "metadata": {}, "data": {"text/plain": "array([0.5])"}},
    {"output_type": "error", "ename": "NotImplementedError", "evalue": "", "traceback": ["NotImplementedError"]},
)


@dataclass(frozen=True)
class Edit:
    """One change: `kind` names it, `cell` is an index into the notebook's cells as it is then
    (taken modulo their number), `arg` a choice within the kind."""
    kind: str
    cell: int = 0
    arg: int = 0

    def __repr__(self) -> str:
        return f"Edit({self.kind!r}, {self.cell}, {self.arg})"


@dataclass(frozen=True)
class Form:
    """How the edited notebook is written to disk."""
    minor: int = 5                # nbformat_minor written
    ids: str = "keep"             # "keep", "drop", "colab" (ids only in metadata.id)
    indent: int | None = 1
    sort_keys: bool = True
    ascii: bool = False
    bom: bool = False
    jupytext: str = ""            # "", "py:percent", "py:light", "md": round-tripped through it


def _text(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _role(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def _locked(cell) -> bool:
    """Read-only as released (marked by `apply` before any edit drops the metadata that says so):
    no editor splits, merges or changes such a cell for the student."""
    return cell.get(READ_ONLY, False)


READ_ONLY = "__read_only__"  # a marker `apply` sets on each cell, removed before saving


def _top_level_blank_lines(text: str) -> list[int]:
    """Line indices of blank lines after which a top-level statement starts (safe split points)."""
    lines = text.split("\n")
    return [i for i in range(1, len(lines) - 1)
            if not lines[i].strip() and lines[i + 1][:1] not in ("", " ", "\t", ")", "]", "}")
            and not lines[i + 1].startswith(("#", "else", "elif", "except", "finally"))
            and _balanced("\n".join(lines[:i]))]


def _balanced(code: str) -> bool:
    try:
        compile(code, "<split>", "exec")
    except SyntaxError:
        return False
    return True


def _code_cells(nb, movable: bool = False) -> list[int]:
    return [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code" and not (movable and _locked(c))]


def _sources(nb, change) -> None:
    for cell in nb["cells"]:
        cell["source"] = change(_text(cell))


def _pick(indices: list[int], n: int) -> int | None:
    return indices[n % len(indices)] if indices else None


def _split(nb, cell: int, arg: int) -> None:
    """Split a solution or plain code cell at a top-level blank line; both parts keep the metadata."""
    index = _pick([i for i in _code_cells(nb, movable=True) if _top_level_blank_lines(_text(nb["cells"][i]))], cell)
    if index is None:
        return
    old = nb["cells"][index]
    lines = _text(old).split("\n")
    at = _pick(_top_level_blank_lines(_text(old)), arg)
    second = copy.deepcopy(old)
    second.pop("id", None)
    old["source"], second["source"] = "\n".join(lines[:at]), "\n".join(lines[at + 1:])
    nb["cells"].insert(index + 1, second)


def _merge(nb, cell: int, arg: int) -> None:
    """Merge a code cell with the next one, neither locked: the first cell's metadata and id stay."""
    pairs = [i for i in _code_cells(nb, movable=True)
             if i + 1 < len(nb["cells"]) and nb["cells"][i + 1]["cell_type"] == "code" and not _locked(nb["cells"][i + 1])]
    index = _pick(pairs, cell)
    if index is None:
        return
    first, second = nb["cells"][index], nb["cells"].pop(index + 1)
    first["source"] = _text(first).rstrip("\n") + "\n\n" + _text(second)


def _insert_lines(nb, cell: int, arg: int, lines) -> None:
    """A line at the top of a solution cell (arg even) or in a new cell after the setup (arg odd)."""
    line = lines[arg % len(lines)]
    solutions = [i for i, c in enumerate(nb["cells"]) if _role(c).get("solution") and c["cell_type"] == "code"]
    if arg % 2 == 0 and solutions:
        target = nb["cells"][_pick(solutions, cell)]
        target["source"] = line + "\n" + _text(target)
    else:
        setup = next((i for i, c in enumerate(nb["cells"]) if _role(c).get("grade_id") == "setup"), 0)
        nb["cells"].insert(setup + 1, {"cell_type": "code", "metadata": {}, "source": line,
                                       "outputs": [], "execution_count": None})


def _drop_metadata(nb, cell: int, arg: int) -> None:
    """arg 0: every cell's metadata; 1: one cell's; 2: only the nbgrader key of every cell."""
    cells = nb["cells"] if arg % 3 != 1 else [nb["cells"][cell % len(nb["cells"])]]
    for c in cells:
        if arg % 3 == 2:
            c.get("metadata", {}).pop("nbgrader", None)
        else:
            c["metadata"] = {}


def _reorder_metadata(nb, cell: int, arg: int) -> None:
    for c in nb["cells"]:
        c["metadata"] = dict(reversed(list(c.get("metadata", {}).items())))
        if "nbgrader" in c["metadata"]:
            c["metadata"]["nbgrader"] = dict(reversed(list(c["metadata"]["nbgrader"].items())))


def _ids(nb, cell: int, arg: int) -> None:
    """arg 0: remove every id; 1: replace every id with a fresh one (VS Code); 2: remove one."""
    for i, c in enumerate(nb["cells"]):
        if arg % 3 == 0 or (arg % 3 == 2 and i == cell % len(nb["cells"])):
            c.pop("id", None)
        elif arg % 3 == 1:
            c["id"] = f"vscode-{cell}-{i}"


def _outputs(nb, cell: int, arg: int) -> None:
    code = _code_cells(nb)
    index = _pick(code, cell)
    if index is not None:
        nb["cells"][index]["outputs"] = [copy.deepcopy(OUTPUTS[arg % len(OUTPUTS)])]
        nb["cells"][index]["execution_count"] = cell % 50 + 1


def _attachment(nb, cell: int, arg: int) -> None:
    markdown = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown" and not _locked(c)]
    index = _pick(markdown, cell)
    if index is not None:
        target = nb["cells"][index]
        target["attachments"] = {"image.png": {"image/png": PNG}}
        target["source"] = _text(target) + "\n\n![image.png](attachment:image.png)"


def _scratch(nb, cell: int, arg: int) -> None:
    at = cell % (len(nb["cells"]) + 1)
    kind = ("code", "markdown")[arg % 2]
    new = {"cell_type": kind, "metadata": {}, "source": ""}
    if kind == "code":
        new.update(outputs=[], execution_count=None)
    nb["cells"].insert(at, new)



EDITS = {
    # An editor set to CRLF (CR) writes every line ending so, whatever it read. (CR CR LF, a CRLF
    # converted twice, is no noise in code: Python reads two line breaks, which can end a
    # backslash continuation; test cells compare equal with it, `read.same_text`.)
    "crlf": lambda nb, cell, arg: _sources(nb, lambda s: re.sub(r"\r*\n|\r", "\r\n", s)),
    "cr": lambda nb, cell, arg: _sources(nb, lambda s: re.sub(r"\r*\n|\r", "\r", s)),
    # Before each line's ending, whichever it is (`(?m)$` put them between a CR and its LF).
    "trailing_spaces": lambda nb, cell, arg: _sources(nb, lambda s: re.sub(r"(\r\n|\r|\n|\Z)", " " * (arg % 3 + 1) + r"\1", s)),
    "final_newline": lambda nb, cell, arg: _sources(nb, lambda s: s + "\n" * (arg % 2 + 1)),
    "no_final_newline": lambda nb, cell, arg: _sources(nb, lambda s: s.rstrip("\n")),
    "nfd": lambda nb, cell, arg: _sources(nb, lambda s: unicodedata.normalize("NFD", s)),
    "nfc": lambda nb, cell, arg: _sources(nb, lambda s: unicodedata.normalize("NFC", s)),
    "drop_metadata": _drop_metadata,
    "reorder_metadata": _reorder_metadata,
    "ids": _ids,
    "split": _split,
    "merge": _merge,
    "outputs": _outputs,
    "attachment": _attachment,
    "magic": lambda nb, cell, arg: _insert_lines(nb, cell, arg, MAGICS),
    "shell": lambda nb, cell, arg: _insert_lines(nb, cell, arg, SHELL_LINES),
    "scratch_cell": _scratch,
}


def apply(nb: dict, edits) -> dict:
    """`nb` (notebook JSON data) with `edits` made in order; `nb` itself is left unchanged."""
    nb = copy.deepcopy(nb)
    for cell in nb["cells"]:
        cell["source"] = _text(cell)
        cell[READ_ONLY] = bool(_role(cell).get("locked") or _role(cell).get("grade") and not _role(cell).get("solution"))
    for edit in edits:
        EDITS[edit.kind](nb, edit.cell, edit.arg)
    for cell in nb["cells"]:
        cell.pop(READ_ONLY, None)
    return nb


def save(nb: dict, form: Form = Form()) -> bytes:
    """The `.ipynb` file an editor writes for `nb` in `form`."""
    nb = copy.deepcopy(nb)
    if form.jupytext:
        import jupytext
        import nbformat

        text = jupytext.writes(nbformat.from_dict(nb), fmt=form.jupytext)
        nb = json.loads(nbformat.writes(jupytext.reads(text, fmt=form.jupytext)))
    nb["nbformat"], nb["nbformat_minor"] = 4, form.minor
    for cell in nb["cells"]:
        if form.ids == "drop" or (form.ids == "colab" and "id" in cell):
            cell_id = cell.pop("id", None)
            if form.ids == "colab" and cell_id:
                cell.setdefault("metadata", {})["id"] = cell_id
    text = json.dumps(nb, indent=form.indent, sort_keys=form.sort_keys, ensure_ascii=form.ascii)
    data = text.encode() + (b"\n" if form.indent else b"")
    return b"\xef\xbb\xbf" + data if form.bom else data


def edits_for(max_edits: int = 6):
    """A hypothesis strategy: lists of up to `max_edits` edits, any kind, any cell."""
    one = st.builds(Edit, st.sampled_from(sorted(EDITS)), st.integers(0, 60), st.integers(0, 11))
    return st.lists(one, max_size=max_edits)


def forms():
    """A hypothesis strategy for how the file is saved."""
    return st.builds(Form, minor=st.integers(0, 5), ids=st.sampled_from(["keep", "drop", "colab"]),
                     indent=st.sampled_from([None, 1, 2, 4]), sort_keys=st.booleans(), ascii=st.booleans(),
                     bom=st.booleans(), jupytext=st.sampled_from(["", "", "", "py:percent", "py:light", "md"]))


def drawn(seed: int, always=(), count: int = 4) -> list[Edit]:
    """A fixed list of edits for the graded examples: `always`, then `count` drawn with `seed`."""
    import random

    rng = random.Random(seed)
    return [*always, *(Edit(rng.choice(sorted(EDITS)), rng.randrange(60), rng.randrange(12)) for _ in range(count))]
