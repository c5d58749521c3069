"""The notebooks' setup cell: one template (`setup_cell.py` beside this file), the URL filled in.

Every source notebook and lab opens with it (grade id `setup`), with the template's placeholder
URL; `release` writes the configured bundle URL into the students' copies.
"""
from __future__ import annotations

import re
from pathlib import Path

TEMPLATE = (Path(__file__).parent / "setup_cell.py").read_text().rstrip("\n")
PLACEHOLDER = "https://example.invalid/course/student.zip"
SETUP_ID = "setup"

NOT_OPEN = 'NOT_OPEN = ""'

if f'COURSE_BUNDLE = "{PLACEHOLDER}"' not in TEMPLATE or NOT_OPEN not in TEMPLATE:
    raise RuntimeError("setup_cell.py no longer assigns the placeholder URL to COURSE_BUNDLE and '' to NOT_OPEN")


def setup_cell_source(url: str = PLACEHOLDER, not_open: str = "") -> str:
    """The setup cell's code with `url` as the bundle to download in Colab.

    A non-empty `not_open` (the words a student reads) makes the cell stop with it at once: the
    cell of an assignment's stand-in notebook while that assignment is not open.
    """
    if '"' in url or "\\" in url or "\n" in url:
        raise ValueError(f"the bundle URL {url!r} holds a quote, backslash or newline")
    filled = TEMPLATE.replace(f'"{PLACEHOLDER}"', f'"{url}"', 1)
    return filled.replace(NOT_OPEN, f"NOT_OPEN = {not_open!r}", 1) if not_open else filled


def setup_cell(nb):
    """The notebook's setup cell: the code cell with grade id `setup`, or else its first code cell."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [c for c in code if c.metadata.get("nbgrader", {}).get("grade_id") == SETUP_ID]
    cell = (tagged or code or [None])[0]
    if cell is None or not cell.source.startswith(TEMPLATE.split("\n", 1)[0]):
        raise LookupError("the notebook has no setup cell (its first code cell does not start like "
                          "autograder/release/bundle/setup_cell.py)")
    return cell


def fill_setup_cell(nb, url: str, where: str = "the notebook") -> None:
    """Write `url` into `nb`'s setup cell, which must be the template (any URL); in place."""
    cell = setup_cell(nb)
    current = re.search(r'^COURSE_BUNDLE = "([^"\\\n]*)"', cell.source, re.MULTILINE)
    if current is None or cell.source != setup_cell_source(current.group(1)):
        raise ValueError(f"{where}: its setup cell differs from autograder/release/bundle/setup_cell.py; "
                         "copy the template into it (only the URL may differ)")
    cell.source = setup_cell_source(url)
