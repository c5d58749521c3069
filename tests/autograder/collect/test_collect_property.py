"""No silent loss, as a property: over generated exports of every platform layout, mixing good
notebooks, damaged zip members, links, jupytext forms, non-notebooks, duplicates and names from
any alphabet, every file handed in is placed or listed with a reason, each placed notebook is its
own submitter's, two submitters never share an id, and a link never brings in the solution."""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograder.collect import PLATFORMS, collect

from .hostile import NESTED_JSON, Entry, label_of, laid_out, notebook, zipped

A1 = "forward_propagation"
SOLUTION = "the instructor's solution"
WORDS = ["Ana", "ana", "José", "Núñez", "王", "力", "Дмитрий", "محمد", "दीपक", "Lopez", "O'Neil", "Zoë"]
# Names that one rule of making ids could merge: case, space or hyphen, punctuation, nothing left.
CLOSE_NAMES = ["Ana Lopez", "Ana-Lopez", "ana lopez", "王力", "王 力", "O'Neil", "O Neil", "José Núñez", "Jose Nunez", "'"]
KINDS = ["good", "good", "broken json", "pdf", "jupytext", "nested", "bad crc", "month 0", "link", "duplicate"]
STEMS = [A1, f"Copy of {A1}", f"{A1} (1)", "scratch", "名前", "my work"]


@dataclass
class Submitter:
    key: str      # what the platform names them by: an id, or (Brightspace) the name
    name: str
    files: list[tuple[str, str]]  # (kind, stem)


def names():
    return st.sampled_from(CLOSE_NAMES) | st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).flatmap(
        lambda words: st.sampled_from([" ", "-"]).map(lambda sep: sep.join(words)))


@st.composite
def submitters(draw):
    people = draw(st.lists(st.tuples(names(), st.lists(st.tuples(st.sampled_from(KINDS), st.sampled_from(STEMS)),
                                                       min_size=1, max_size=3)),
                           min_size=2, max_size=5, unique_by=lambda p: p[0]))
    return [Submitter(str(1000 + i), name, files) for i, (name, files) in enumerate(people)]


def layout(platform: str, who: Submitter, index: int, n: int, filename: str) -> str:
    """Where `who`'s n-th file lies in the platform's export (see autograder/collect/<platform>.py)."""
    if platform == "moodle":
        return f"{who.name}_{who.key}_assignsubmission_file_/{filename}"
    if platform == "canvas":
        return f"student{index}_{who.key}_{900000 + n}_{filename}"
    if platform == "blackboard":
        return f"A1_u{who.key}_attempt_2026-11-{10 + n:02d}-10-00-00_{filename}"
    if platform == "brightspace":
        return f"{1000 + index}-{2000 + n} - {who.name} - Nov {1 + n}, 2026 1022 PM/{filename}"
    if platform == "gradescope":
        return f"submission_{5000 + index}/{filename}"
    return f"u{who.key}/{filename}"


def identity(platform: str, who: Submitter) -> str:
    return who.name if platform == "brightspace" else who.key


def export_of(platform: str, people: list[Submitter], secret: Path) -> tuple[list[Entry], dict[str, tuple]]:
    """The export's entries, and for each path (kind, submitter identity, label)."""
    entries, truth = [], {}
    for index, who in enumerate(people):
        previous = None
        for n, (kind, stem) in enumerate(who.files):
            suffix = {"pdf": ".pdf", "jupytext": ".py"}.get(kind, ".ipynb")
            path = layout(platform, who, index, n, f"{stem}{f'-{n}' if n else ''}{suffix}")
            label = f"{identity(platform, who)} file {n}"
            data = {"broken json": b"{not json " + label.encode(), "pdf": b"%PDF " + label.encode(),
                    "jupytext": f"# %%\nlabel = {label!r}\n".encode(), "nested": NESTED_JSON,
                    "duplicate": previous}.get(kind) or notebook(label)
            damage = kind if kind in ("bad crc", "month 0", "link") else ""
            entries.append(Entry(path, data, damage, str(secret)))
            truth[path] = (kind, identity(platform, who), label if kind in ("good", "jupytext", "month 0") else None)
            previous = data
    if platform == "gradescope":
        metadata = {f"submission_{5000 + i}": {":submitters": [{":sid": who.key, ":name": who.name}],
                                                ":created_at": "2026-11-29 10:00:00"} for i, who in enumerate(people)}
        entries.append(Entry("submission_metadata.yml", yaml.safe_dump(metadata, allow_unicode=True).encode()))
    return entries, truth


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=submitters(), as_zip=st.booleans())
def test_every_file_handed_in_is_placed_or_listed_and_no_submitter_gains_or_merges(platform, people, as_zip):
    work = Path(tempfile.mkdtemp(prefix="collect-property-"))
    try:
        secret = work / "course" / "source" / f"{A1}.ipynb"
        secret.parent.mkdir(parents=True)
        secret.write_bytes(notebook(SOLUTION))
        entries, truth = export_of(platform, people, secret)
        if as_zip:
            source = work / "export.zip"
            source.write_bytes(zipped(entries))
            origin = {f"{source}!{e.path}": e.path for e in entries}
        else:
            source = laid_out([e if e.damage in ("", "link") else Entry(e.path, e.data) for e in entries], work / "inbox")
            origin = {str(source / e.path): e.path for e in entries}
        result = collect(source, A1, work / "course", platform=platform)

        recorded = {r["file"] for r in result.files}
        assert set(origin) - {o for o, p in origin.items() if p == "submission_metadata.yml"} <= recorded
        assert all(r["why"] for r in result.files if r["outcome"] != "placed")
        owner: dict[str, str] = {}
        for student, source_file in result.placed.items():
            kind, who, label = truth[origin[source_file]]
            placed = (work / "course" / "submitted" / student / A1 / f"{A1}.ipynb").read_bytes()
            assert SOLUTION.encode() not in placed
            if label and student not in result.invalid:
                assert label_of(placed) == label
            assert owner.setdefault(who, student) == student  # one submitter, one id
        assert len(set(owner.values())) == len(owner)       # two submitters, two ids
        readable = {who for path, (kind, who, _) in truth.items() if who != "'"  # no id can be made from "'"
                    if kind in ("good", "jupytext", "broken json", "nested", "duplicate", "month 0")
                    or kind == "bad crc" and not as_zip}
        assert readable <= set(owner), "a submitter with a readable notebook was not placed"
    finally:
        shutil.rmtree(work, ignore_errors=True)
