"""Give each submitted cell back its nbgrader role, restore deleted read-only cells, undo tampering.

nbgrader keeps a cell's role (solution, grade cell and its points, read-only) in the cell's
metadata, and grades only what that metadata names. Some editors drop every cell's metadata
(some VS Code versions, vscode-jupyter#2325; nbgrader#424, #1398), students delete read-only test
cells (grader-service#213), and a student can edit the metadata itself. `recover(nb, release,
source)` works on the submission before nbgrader's sanitizing steps, in this order:

1. cells whose nbgrader metadata names a cell of the release get the release's metadata back;
   any change to points, roles or the lock is undone and flagged; metadata naming a cell the
   assignment does not have is dropped;
2. release cells with a role that no submitted cell names are looked for among the cells
   without nbgrader metadata: by nbformat cell id, then by the text of read-only cells (as
   `read.same_text` compares it: an editor's line endings are no change),
   then by the names (functions, classes, else variables) the source's solution cell defines,
   then, for a solution cell (a written answer has no names), by its place: the one new cell
   of its type between the cells that surround it in the release;
3. read-only and grade cells still missing are restored from the release after the cell that
   precedes them there (as nbgrader's `OverwriteCells.add_missing_cells` does, which cannot place
   a cell whose predecessor is missing too); nbgrader's OverwriteCells then puts back their
   hidden tests from the gradebook, and they are graded;
4. a read-only cell moved above a cell that precedes it in the release goes back after it: run
   early, a test or a hidden helper cell would put its names (a correct copy of a step, say)
   within reach of the student's code for that step, before the step's own tests.

Each step leaves a note (record/notes.py); the report and the student's feedback say it in words.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

from autograder.grade.intake.read import same_text
from autograder import cells
from autograder.grade.record.notes import Note

ROLE_KEYS = ("grade", "solution", "locked", "task", "points", "cell_type")
HOW = ("id", "text", "names", "place")  # how a cell whose metadata an editor dropped is recognised, in this order


@dataclass
class Recovery:
    """What `recover` changed, as notes (record/notes.py); `reasons.py` says them in words."""
    notes: list[Note] = field(default_factory=list)
    recovered: dict[str, str] = field(default_factory=dict)   # grade id -> "id" | "text" | "names"
    restored: list[str] = field(default_factory=list)          # grade ids put back from the release


_role = cells.role


def defined_names(source: str) -> set[str]:
    """What a solution cell is recognised by: the top-level functions and classes `source`
    defines, or its assigned variables if it defines none (cells.py reads both)."""
    return cells.defined_names(source) or cells.assigned_names(source)


def recover(nb, release, source=None) -> Recovery:
    """Mend the roles of `nb`'s cells against the `release` notebook, in place.

    `source` is the instructor's notebook, whose solution cells say which names a solution
    defines (the release holds only stubs); without it, step 2 skips matching by names.
    """
    found = Recovery()
    roles = {_role(c)["grade_id"]: c for c in release.cells if _role(c).get("grade_id")}
    _check_metadata(nb, roles, found)
    present = {_role(c).get("grade_id") for c in nb.cells}
    missing = [gid for gid in roles if gid not in present]
    if missing:
        names = {_role(c).get("grade_id"): defined_names(c.source) for c in (source.cells if source else [])
                 if _role(c).get("solution")}
        _match(nb, roles, missing, names, release.cells, found)
    _restore(nb, release, roles, found)
    _keep_in_release_order(nb, release, found)
    _describe(nb, roles, found)
    return found


def _adopt(cell, reference) -> None:
    """Give `cell` the role metadata of the release cell `reference`, keeping its other metadata."""
    cell.metadata["nbgrader"] = copy.deepcopy(reference.metadata["nbgrader"])
    for key in ("deletable", "editable"):
        if key in reference.metadata:
            cell.metadata[key] = reference.metadata[key]


def _check_metadata(nb, roles, found: Recovery) -> None:
    for cell in nb.cells:
        meta = _role(cell)
        if "nbgrader" not in cell.metadata:
            continue
        gid = meta.get("grade_id")
        if gid not in roles:
            del cell.metadata["nbgrader"]
            found.notes.append(Note("foreign_metadata", str(gid)))
            continue
        reference = roles[gid]
        want = reference.metadata["nbgrader"]
        changes = [f"{key} {want.get(key)!r} -> {meta.get(key)!r}" for key in ROLE_KEYS
                   if _differs(want.get(key), meta.get(key), key)]
        if cell.cell_type != reference.cell_type:
            changes.append(f"cell type {reference.cell_type} -> {cell.cell_type}")
        if changes:
            found.notes.append(Note("metadata_undone", gid, {"changes": changes}))
        _adopt(cell, reference)


def _differs(want, got, key: str) -> bool:
    if key == "points":
        try:
            return float(want or 0) != float(got or 0)
        except (TypeError, ValueError):
            return True
    return bool(want) != bool(got) if key != "cell_type" else (got is not None and want != got)


def _match(nb, roles, missing: list[str], names: dict, plain: list, found: Recovery) -> None:
    """Step 2: look for each missing role among the cells without nbgrader metadata."""
    free = [c for c in nb.cells if "nbgrader" not in c.metadata]

    def take(cell, gid, how):
        _adopt(cell, roles[gid])
        free.remove(cell)
        missing.remove(gid)
        found.recovered[gid] = how

    by_id = {c.get("id"): c for c in free}
    for gid in list(missing):
        cell = by_id.get(roles[gid].get("id"))
        if cell is not None and cell in free:
            take(cell, gid, "id")
    for gid in [g for g in missing if roles[g].metadata["nbgrader"].get("locked")]:
        text = roles[gid].source
        cell = next((c for c in free if c.cell_type == roles[gid].cell_type and same_text(c.source, text)), None)
        if cell is not None:
            take(cell, gid, "text")
    for gid in [g for g in missing if names.get(g)]:
        cell = next((c for c in free if c.cell_type == "code" and names[gid] <= defined_names(c.source)), None)
        if cell is not None:
            take(cell, gid, "names")
    _match_by_place(nb, roles, missing, free, plain, take)


def _match_by_place(nb, roles, missing: list[str], free: list, plain: list, take) -> None:
    """A solution cell still missing (a written answer defines no names, and its text is the
    student's) is the one free cell of its type, not empty, between the cells that surround it
    in the release (`plain`: the release's cells in order; those without a role are found by
    their text, those with one by their grade id)."""
    for gid in [g for g in missing if roles[g].metadata["nbgrader"].get("solution")]:
        where, used = [], set()
        for cell in plain:
            cell_gid = _role(cell).get("grade_id")
            at = next((i for i, c in enumerate(nb.cells) if i not in used and (
                _role(c).get("grade_id") == cell_gid if cell_gid else
                c.cell_type == cell.cell_type and same_text(c.source, cell.source))), None)
            if at is not None:
                used.add(at)
            where.append(at)
        mine = next(i for i, cell in enumerate(plain) if _role(cell).get("grade_id") == gid)
        lo = next((w for w in reversed(where[:mine]) if w is not None), -1)
        hi = next((w for w in where[mine + 1:] if w is not None and w > lo), len(nb.cells))
        candidates = [c for i, c in enumerate(nb.cells) if lo < i < hi and i not in used
                      and any(c is f for f in free) and c.cell_type == roles[gid].cell_type and c.source.strip()]
        if len(candidates) == 1:
            take(candidates[0], gid, "place")


def _restore(nb, release, roles, found: Recovery) -> None:
    """Step 3: put back read-only and grade cells that are still missing, where the release has them."""
    present = {_role(c).get("grade_id"): c for c in nb.cells if _role(c).get("grade_id")}
    ids = {c.get("id"): c for c in nb.cells}
    previous = None  # the submitted cell that stands for the release cell before this one
    for reference in release.cells:
        gid = _role(reference).get("grade_id")
        here = present.get(gid) if gid else ids.get(reference.get("id"))
        meta = _role(reference)
        if here is None and gid and (meta.get("locked") or meta.get("grade")):
            here = copy.deepcopy(reference)
            if here.get("id") in ids:
                del here["id"]  # nbformat gives it a fresh one on validation
            if here.cell_type == "code":
                here.outputs, here.execution_count = [], None
            at = next(i for i, c in enumerate(nb.cells) if c is previous) + 1 if previous is not None else 0
            nb.cells.insert(at, here)
            found.restored.append(gid)
        if here is not None:
            previous = here
    if any("id" not in c for c in nb.cells):
        from nbformat.corpus.words import generate_corpus_id

        taken = {c.get("id") for c in nb.cells}
        for cell in nb.cells:
            while "id" not in cell or cell["id"] is None:
                candidate = generate_corpus_id()
                if candidate not in taken:
                    cell["id"] = candidate
                    taken.add(candidate)


def _keep_in_release_order(nb, release, found: Recovery) -> None:
    """Step 4: each read-only cell comes after every cell with a role that precedes it in the
    release (solutions, their checks and tests, earlier read-only cells)."""
    before, earlier = {}, []  # read-only grade id -> the grade ids that must stay above it
    for cell in release.cells:
        meta = _role(cell)
        gid = meta.get("grade_id")
        if gid and meta.get("locked") and not meta.get("solution"):
            before[gid] = list(earlier)
        if gid:
            earlier.append(gid)
    for gid, above in before.items():
        position = {_role(c).get("grade_id"): i for i, c in enumerate(nb.cells) if _role(c).get("grade_id")}
        below = [g for g in above if position.get(g, -1) > position.get(gid, len(nb.cells))]
        if not below:
            continue
        last = max(below, key=position.get)
        nb.cells.insert(position[last], nb.cells.pop(position[gid]))  # right after `last`
        found.notes.append(Note("moved_back", gid, {"above": below, "last": last}))


def _describe(nb, roles, found: Recovery) -> None:
    if found.recovered:
        found.notes.append(Note("recovered", detail={"by": {how: [g for g, h in found.recovered.items() if h == how]
                                                            for how in HOW if how in found.recovered.values()}}))
    for gid in found.restored:
        role = "grade cell" if roles[gid].metadata["nbgrader"].get("grade") else "read-only cell"
        found.notes.append(Note("restored", gid, {"role": role}))
    unmatched = [g for g in roles if roles[g].metadata["nbgrader"].get("solution")
                 and g not in {_role(c).get("grade_id") for c in nb.cells}]
    if unmatched:
        found.notes.append(Note("solutions_not_found", detail={"cells": unmatched}))
