"""Read a submitted file as a notebook the way Jupyter would open it: leniently, noting each repair.

Editors and converters write notebooks that nbformat's schema rejects but that Jupyter,
JupyterLab, Colab and VS Code open with at most a warning, and that stock nbgrader grades: cell
ids in an `nbformat_minor` < 5 notebook (papermill, jupytext, snakemake), code cells without
`outputs` or `execution_count` (Colab exports, PyCharm, Azure Data Studio), markdown cells with
`outputs`, unknown keys such as `transient`, `metadata.widgets` without `state`, widget outputs
without a valid model id, cells without `metadata`, duplicated or missing cell ids, nbformat 3.

`read(data)` repairs each of these the way nbformat's own upgrade and validation repair do
(`nbformat.v4.upgrade`, `validator.normalize(..., strip_invalid_metadata=True)`, duplicate ids
renamed) and returns the notebook with one plain-words note per kind of repair. Outputs are
cleared before grading anyway, so an output that cannot be repaired is dropped. Only input that
is not a notebook at all (not UTF-8, not JSON, no cells) raises `NotANotebook`.
"""
from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import Counter

import nbformat
from nbconvert.exporters import NotebookExporter
from nbformat.corpus.words import generate_corpus_id
from nbformat.validator import iter_validate, normalize

from autograder.collect.forms import too_large
from autograder.grade.record.notes import Note

CELL_KEYS = {"code": {"id", "cell_type", "metadata", "source", "outputs", "execution_count"},
             "markdown": {"id", "cell_type", "metadata", "source", "attachments"},
             "raw": {"id", "cell_type", "metadata", "source", "attachments"}}
NOTEBOOK_KEYS = {"cells", "metadata", "nbformat", "nbformat_minor"}
CELL_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
CURRENT_MINOR = 5  # the first with cell ids, which role recovery matches against the release
LINE_END = re.compile(r"\r*\n|\r")  # LF, CRLF, CR, and CRCRLF (a CRLF converted twice)
LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # what json.loads leaves of an unpaired \ud83d escape
HALF_CHARACTERS = "half characters (lone UTF-16 surrogates) no file can hold were replaced by \ufffd"


class NotANotebook(ValueError):
    """A submitted file that no notebook editor could open: the message says why, in plain words."""


def read(data: bytes) -> tuple[nbformat.NotebookNode, list[Note]]:
    """The notebook in `data` (nbformat 4.5), and what had to be repaired to read it (format_repair notes).

    Raises NotANotebook when `data` is not UTF-8 text, not JSON, or not a notebook of any
    nbformat version.
    """
    repairs: Counter = Counter()
    nb = _parse(data, repairs)
    minor = nb.get("nbformat_minor")
    older = nb.get("nbformat") == 4 and isinstance(minor, int) and minor < CURRENT_MINOR
    nb = _upgrade(nb, repairs)
    _repair_structure(nb, repairs)
    _repair_ids(nb, repairs, older)
    changes, nb = normalize(nb, 4, CURRENT_MINOR, strip_invalid_metadata=True)
    if changes:
        repairs["metadata that broke the notebook schema was removed"] += changes
    _drop_invalid_outputs(nb, repairs)
    node = nbformat.from_dict(nb)
    try:
        nbformat.validate(node)
    except nbformat.ValidationError as err:
        raise NotANotebook(f"not a notebook Jupyter can open ({_first_line(err)})") from None
    return node, [Note("format_repair", detail={"what": what, "count": count}) for what, count in repairs.items()]


def read_file(path) -> tuple[nbformat.NotebookNode, list[Note]]:
    """`read` of the file at `path`; NotANotebook, without reading it, for a file larger than
    collect reads at all (`collect.forms.too_large`)."""
    why = too_large(os.stat(path).st_size)
    if why:
        raise NotANotebook(why)
    with open(path, "rb") as f:
        return read(f.read())


def canonical(text: str) -> str:
    """A cell's text as the reader sees it: what editors change without the student's doing
    (line endings: CRLF from VS Code on Windows, CR, CRLF converted twice; Unicode normalisation; trailing white space
    on a line; blank lines at either end) set aside. Compare test cells' texts with this."""
    text = unicodedata.normalize("NFC", LINE_END.sub("\n", text))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def same_text(a: str, b: str) -> bool:
    """Whether two cells' texts differ only in what `canonical` sets aside."""
    return a == b or canonical(a) == canonical(b)


class LenientExporter(NotebookExporter):
    """nbconvert's NotebookExporter reading its input with `read`, for nbgrader's converters.

    nbgrader's Autograde reads the submitted file itself before its sanitizing steps; nbformat's
    reader fails on some notebooks Jupyter opens (a byte-order mark, no `metadata` on a cell,
    a string `nbformat`), and the student would score 0 for their editor.
    """

    def from_filename(self, filename, resources=None, **kw):
        with open(filename, "rb") as f:
            return self.from_notebook_node(read(f.read())[0], resources=resources, **kw)


def _first_line(err: Exception) -> str:
    return str(err).splitlines()[0][:150] if str(err) else type(err).__name__


def _parse(data: bytes, repairs: Counter) -> dict:
    if data.startswith(b"\xef\xbb\xbf"):  # Windows editors write a byte-order mark; Jupyter skips it
        data = data[3:]
        repairs["a byte-order mark before the JSON was skipped"] += 1
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotANotebook("not text (not UTF-8): not a notebook file") from None
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as err:
        raise NotANotebook(f"not valid JSON ({err.msg} at line {err.lineno}): "
                           "the file is damaged or is not a notebook") from None
    if not isinstance(nb, dict) or not any(isinstance(nb.get(key), list) for key in ("cells", "worksheets")):
        raise NotANotebook("not a notebook (valid JSON, but it has no list of cells)")
    _replace_lone_surrogates(nb, repairs)
    return nb


def _replace_lone_surrogates(nb: dict, repairs: Counter) -> None:
    """Put U+FFFD in place of each half of a UTF-16 pair (JSON may escape one: JupyterLab writes
    half an emoji so), which no UTF-8 file can hold: the prepared notebook could not be written."""
    stack: list = [nb]
    while stack:  # by hand, not recursively: JSON may nest as deep as Python's own limit
        node = stack.pop()
        if isinstance(node, dict):
            for key in [k for k in node if LONE_SURROGATE.search(k)]:
                node[LONE_SURROGATE.sub("\ufffd", key)] = node.pop(key)
                repairs[HALF_CHARACTERS] += 1
        for key, value in (node.items() if isinstance(node, dict) else enumerate(node)):
            if isinstance(value, str) and LONE_SURROGATE.search(value):
                node[key] = LONE_SURROGATE.sub("\ufffd", value)
                repairs[HALF_CHARACTERS] += 1
            elif isinstance(value, (dict, list)):
                stack.append(value)


def _upgrade(nb: dict, repairs: Counter) -> dict:
    """nbformat 1-3 converted to 4 by nbformat itself; a missing or wrong version inferred."""
    major = nb.get("nbformat")
    if isinstance(nb.get("worksheets"), list):
        if major not in (1, 2, 3):
            nb["nbformat"], nb["nbformat_minor"] = 3, 0
            repairs["its nbformat version was missing or wrong; read as nbformat 3 (it has worksheets)"] += 1
        try:
            nb = json.loads(json.dumps(nbformat.convert(nbformat.from_dict(nb), 4)))
        except Exception as err:  # nbformat's converter found something it cannot convert
            raise NotANotebook(f"an nbformat {major} notebook that nbformat cannot convert "
                               f"({_first_line(err)})") from None
        repairs[f"converted from nbformat {major} to 4"] += 1
        return nb
    if major != 4:
        repairs[f"its nbformat version was {major!r}; read as nbformat 4 (it has a list of cells)"] += 1
    minor = nb.get("nbformat_minor")
    if not isinstance(minor, int) or minor < 0:
        repairs[f"its nbformat_minor was {minor!r}; read as 4.{CURRENT_MINOR}"] += 1
    elif minor != CURRENT_MINOR:
        uses_ids = any(isinstance(c, dict) and "id" in c for c in nb["cells"])
        if minor < CURRENT_MINOR and uses_ids:
            repairs[f"nbformat_minor {nb.get('nbformat_minor')} disagreed with its cell ids; "
                    f"read as 4.{CURRENT_MINOR}"] += 1
        elif minor > CURRENT_MINOR:
            repairs[f"nbformat 4.{minor} is newer than this grader knows; read as 4.{CURRENT_MINOR}"] += 1
    nb["nbformat"], nb["nbformat_minor"] = 4, CURRENT_MINOR
    return nb


def _repair_structure(nb: dict, repairs: Counter) -> None:
    """Fill in what the schema requires and drop what it does not allow, cell by cell."""
    for key in set(nb) - NOTEBOOK_KEYS:
        del nb[key]
        repairs[f"unknown top-level key {key!r} was removed"] += 1
    if not isinstance(nb.get("metadata"), dict):
        nb["metadata"] = {}
        repairs["missing notebook metadata was added"] += 1
    meta = nb["metadata"]
    widgets = meta.get("widgets")
    if widgets is not None and not (isinstance(widgets, dict) and all(
            isinstance(w, dict) and "state" in w for w in widgets.values())):
        del meta["widgets"]  # Colab saves widget metadata without `state`
        repairs["widget metadata without a state was removed"] += 1
    kernelspec = meta.get("kernelspec")
    if kernelspec is not None and not (isinstance(kernelspec, dict) and isinstance(kernelspec.get("name"), str)
                                       and isinstance(kernelspec.get("display_name"), str)):
        del meta["kernelspec"]  # the grader sets the course's kernel anyway
        repairs["an incomplete kernelspec was removed"] += 1
    cells = []
    for cell in nb["cells"]:
        if not isinstance(cell, dict):
            repairs["an entry of the cell list that was not a cell was dropped"] += 1
            continue
        _repair_cell(cell, repairs)
        cells.append(cell)
    nb["cells"] = cells


def _repair_cell(cell: dict, repairs: Counter) -> None:
    kind = cell.get("cell_type")
    if not isinstance(kind, str) or kind not in CELL_KEYS:  # any JSON value, a list or an object too
        cell["cell_type"] = kind = "code" if "outputs" in cell or "execution_count" in cell else "raw"
        repairs[f"a cell without a known cell_type was read as a {kind} cell"] += 1
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(s, str) for s in source):
        source = "".join(source)
    if not isinstance(source, str):
        source = ""
        repairs["a cell's source that was not text was emptied"] += 1
    elif "source" not in cell:
        repairs["a missing cell source was added (empty)"] += 1
    cell["source"] = source
    if not isinstance(cell.get("metadata"), dict):
        cell["metadata"] = {}
        repairs["missing cell metadata was added"] += 1
    for key in set(cell) - CELL_KEYS[kind]:
        del cell[key]
        repairs[f"the key {key!r}, which {kind} cells may not have, was removed"] += 1
    if kind == "code":
        if not isinstance(cell.get("outputs"), list):
            cell["outputs"] = []
            repairs["a code cell without outputs got an empty list"] += 1
        count = cell.get("execution_count", "missing")
        if not (count is None or isinstance(count, int) and count >= 0):
            cell["execution_count"] = None
            repairs["a code cell's missing or invalid execution_count was set to null"] += 1


def _repair_ids(nb: dict, repairs: Counter, older: bool) -> None:
    """Every cell an id, valid and unique (what nbformat's repair_duplicate_cell_ids does).

    A notebook older than 4.5 gets ids as `nbformat.v4.upgrade` gives them: an upgrade, not a repair.
    """
    seen = set()
    for cell in nb["cells"]:
        cell_id = cell.get("id")
        valid = isinstance(cell_id, str) and CELL_ID.match(cell_id)
        if not valid or cell_id in seen:
            what = "a missing" if cell_id is None else "an invalid" if not valid else "a duplicated"
            cell_id = generate_corpus_id()
            while cell_id in seen:
                cell_id = generate_corpus_id()
            cell["id"] = cell_id
            if what == "a missing" and older:
                repairs[f"upgraded to nbformat 4.{CURRENT_MINOR} (cell ids added)"] = 1
            else:
                repairs[f"{what} cell id was replaced"] += 1
        seen.add(cell_id)


def _drop_invalid_outputs(nb: dict, repairs: Counter) -> None:
    """Outputs and attachments (images pasted into Markdown) the schema rejects: grading uses neither."""
    bad, attachments = set(), set()
    for error in iter_validate(nb):
        path = list(error.absolute_path)
        if len(path) >= 4 and path[0] == "cells" and path[2] == "outputs":
            bad.add((path[1], path[3]))
        elif len(path) >= 3 and path[0] == "cells" and path[2] == "attachments":
            attachments.add(path[1])
    for index, out in sorted(bad, reverse=True):
        del nb["cells"][index]["outputs"][out]
        repairs["an output that broke the notebook schema was dropped (outputs are cleared for grading)"] += 1
    for index in attachments:
        del nb["cells"][index]["attachments"]
        repairs["attachments that broke the notebook schema were dropped"] += 1
