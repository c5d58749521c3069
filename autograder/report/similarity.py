"""Submissions whose own code is unusually alike, for a person to review; never a score.

copydetect (pinned in requirements.txt) fingerprints code as MOSS does: tokens with names
replaced by one letter each (so renaming variables changes nothing), k-grams of them hashed,
and a winnowed subset kept (so reordering functions or adding comments keeps the matches).
Each submission's code is what the student wrote: its code cells that are not read-only,
in order; the release notebook's code is the template, and its lines are blanked before
fingerprinting, so the stubs and provided code everyone has do not count.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np
from copydetect import CodeFingerprint, compare_files

# copydetect's own defaults: matches shorter than 25 tokens are noise; any match of 30 tokens
# or more is found (the winnowing window is their difference plus one).
NOISE = 25
GUARANTEE = 30
# A pair is listed when each holds at least this share of the other's own code. Either share
# alone is not enough: a short correct function the assignment dictates (a formula written as
# the notebook states it) is mostly found in a longer independent submission.
THRESHOLD = 0.5


@dataclass(frozen=True)
class Pair:
    """Two submissions and how much of each one's own code the other holds."""
    first: str
    second: str
    share: tuple[float, float]                          # of first's code, of second's code
    lines: tuple[list[tuple[int, int]], list[tuple[int, int]]]  # matching 1-based line ranges in each

    @property
    def similarity(self) -> float:
        """The smaller share: how much of each one's code, at least, the other holds."""
        return min(self.share)


def own_code(nb) -> str:
    """The code a student wrote: every code cell that is not read-only, in order."""
    return "\n\n".join(cell.source for cell in nb.cells if cell.cell_type == "code"
                       and not cell.metadata.get("nbgrader", {}).get("locked", False))


def template(nb) -> str:
    """Everything the release gives: all its code cells."""
    return "\n\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")


def without_template(code: str, template_lines: set[str]) -> str:
    """`code` with every line the template also has blanked (line numbers kept).

    copydetect's own `boilerplate` filter misses template k-grams that occur more than once in
    a file (it drops one occurrence of each), so the template goes by line before fingerprinting.
    """
    return "\n".join("" if line.strip() in template_lines else line for line in code.split("\n"))


def _fingerprint(name: str, code: str) -> CodeFingerprint:
    return CodeFingerprint(f"{name}.py", NOISE, GUARANTEE - NOISE + 1, fp=io.StringIO(code))


def _line_ranges(code: str, slices) -> list[tuple[int, int]]:
    starts = np.cumsum([0] + [len(line) + 1 for line in code.split("\n")])
    return [(int(np.searchsorted(starts, a, "right")), int(np.searchsorted(starts, max(b - 1, a), "right")))
            for a, b in zip(*slices)]


def similar_pairs(codes: dict[str, str], template_code: str = "", threshold: float = THRESHOLD) -> list[Pair]:
    """Pairs of `codes` (name -> own code) above `threshold`, most similar first.

    A submission with no code of its own beyond the template is compared with nothing.
    """
    template_lines = {line.strip() for line in template_code.split("\n")} - {""}
    prints = {name: _fingerprint(name, without_template(code, template_lines)) for name, code in sorted(codes.items())}
    prints = {name: fp for name, fp in prints.items() if fp.token_coverage > 0}
    names = list(prints)
    pairs = []
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            _, share, slices = compare_files(prints[first], prints[second])
            if min(share) < threshold:
                continue
            pairs.append(Pair(first, second, (float(share[0]), float(share[1])),
                              (_line_ranges(prints[first].raw_code, slices[0]),
                               _line_ranges(prints[second].raw_code, slices[1]))))
    return sorted(pairs, key=lambda p: (-p.similarity, p.first, p.second))


def clusters(pairs: list[Pair]) -> list[list[str]]:
    """Groups of submissions linked by listed pairs (connected components), largest first."""
    group: dict[str, set[str]] = {}
    for pair in pairs:
        merged = group.get(pair.first, {pair.first}) | group.get(pair.second, {pair.second})
        for name in merged:
            group[name] = merged
    unique = {id(g): sorted(g) for g in group.values()}
    return sorted(unique.values(), key=lambda g: (-len(g), g))


def submissions(root: Path, assignment: str) -> tuple[dict[str, str], str]:
    """({student: own code} from autograded/, the release's template code)."""
    release = root / "release" / assignment / f"{assignment}.ipynb"
    base = template(nbformat.read(release, as_version=4)) if release.is_file() else ""
    codes = {}
    for path in sorted((root / "autograded").glob(f"*/{assignment}/{assignment}.ipynb")):
        try:
            codes[path.parts[-3]] = own_code(nbformat.read(path, as_version=4))
        except Exception:  # a notebook grading kept but nbformat cannot read again: nothing to compare
            continue
    return codes, base
