"""The README's table of assignments, generated from the source notebooks as the Colab links are.

Each row comes from an assignment's own notebook (its folder, and the "builds" of its metadata
"course"), in the teaching order it declares: adding an assignment adds its row.
Run `python -m autograder.readme` to rewrite the table in README.md; a test checks it is current.
"""
from __future__ import annotations

import re
from pathlib import Path

from .course import ROOT, assignments

START, END = "<!-- assignments:start -->", "<!-- assignments:end -->"


def assignment_table(root: Path = ROOT) -> str:
    """A Markdown table: number in the teaching order, folder, what students build."""
    rows = [f"| {i} | `{a.name}` | {a.builds} |" for i, a in enumerate(assignments(root), start=1)]
    return "\n".join(["| # | assignment (folder) | students build |", "| --- | --- | --- |", *rows])


def replace_between(text: str, content: str, start: str = START, end: str = END) -> str:
    """`text` with what lies between the markers `start` and `end` replaced by `content`.

    ValueError when `text` does not hold both markers, in that order.
    """
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"the text has no {start} ... {end} markers to write between")
    return pattern.sub(lambda _: f"{start}\n{content}\n{end}", text, count=1)


def update_readme(readme: Path = ROOT / "README.md", root: Path = ROOT) -> bool:
    """Rewrite the assignment table in `readme`; True if it changed."""
    text = readme.read_text()
    new = replace_between(text, assignment_table(root))
    if new != text:
        readme.write_text(new)
    return new != text


if __name__ == "__main__":
    print("README.md: assignment table " + ("rewritten" if update_readme() else "already current"))
