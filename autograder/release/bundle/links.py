"""'Open in Colab' links, one per assignment and lab, for the bundle's and the course's README."""
from __future__ import annotations

import re
from pathlib import Path

from .config import CourseBundle

BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
START, END = "<!-- colab-links:start -->", "<!-- colab-links:end -->"


def colab_table(bundle: CourseBundle, notebooks: list[str]) -> str:
    """A Markdown table linking each notebook (a path inside the bundle) to Colab.

    Without a GitHub location (`c.CourseBundle.github`, or a GitHub branch zip as the URL) it
    says how to get one instead.
    """
    base = bundle.colab_base()
    if base is None:
        return ("Colab links appear here once `c.CourseBundle.github` (or a GitHub branch zip as "
                "`c.CourseBundle.url`) says where the bundle's files are published.")
    rows = [f"| `{path}` | [![Open in Colab]({BADGE})]({base}/{path}) |" for path in notebooks]
    return "\n".join(["| notebook | |", "| --- | --- |", *rows])


def update_readme(readme: Path, table: str) -> bool:
    """Replace what lies between the colab-links markers in `readme`; False if it has none."""
    if not readme.is_file():
        return False
    text = readme.read_text()
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        return False
    readme.write_text(pattern.sub(lambda _: f"{START}\n{table}\n{END}", text, count=1))
    return True
