"""Code in the bundle that behaves like a graded step under another name: it passes the step's
visible check when given the step's name (`sigmoid = logistic`).

Every function or class of the bundle outside the assignment's own notebook whose call fits the
step's (a function taking as many positional arguments; any class) is tried at that step's
visible check, in one Python process that runs the source notebook's solution and provided
cells in order in a throw-away copy of the bundle (trial.py): with the other steps solved, so
that a stand-in for a later step is not failed by an earlier step left undone. Only those that
pass are graded (leaks.py).
"""
from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..course import ROOT
from ..provided import fill_provided
from .found import Found, pasted, units
from .names import definitions, is_provided, read, steps

TRIAL = Path(__file__).with_name("trial.py")


def _arity(text: str) -> tuple[int, float]:
    """(required, most) positional arguments of a `def`'s text; most is inf with *args."""
    node = ast.parse(text).body[0]
    args = node.args
    total = len(args.posonlyargs) + len(args.args)
    return total - len(args.defaults), float("inf") if args.vararg else total


def _fits(candidate, stub) -> bool:
    if candidate.kind != stub.kind:
        return False
    if candidate.kind == "class":
        return True
    (need, most), (stub_need, stub_most) = _arity(candidate.text), _arity(stub.text)
    return need <= stub_most and most >= stub_need


def lookalikes(folder: Path, assignment: str, root: Path = ROOT, *, seconds: int = 30) -> list[Found]:
    """Definitions in bundle `folder` with another name that pass one of `assignment`'s visible
    checks (from `root`'s source notebook) as that step; each Found is named after the step and
    binds the step's name to it.

    Each try is bounded by `seconds`, each of the notebook's own cells by four times that; a try
    that raises or runs out of time did not pass.
    """
    own = folder / assignment / f"{assignment}.ipynb"
    nb = read(own)
    checked = [step for step in steps(nb) if step.visible_check]
    stubs = {d.name: d for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("solution")
             for d in definitions(cell.source)}
    candidates = []
    for where, code, module in units(folder, own):
        defs = definitions(code)
        for d in defs:
            fits = [s.name for s in checked if d.name not in stubs and s.name in stubs and _fits(d, stubs[s.name])]
            if fits:
                text = pasted(code, module, d, [o for o in defs if o is not d])
                candidates.append({"name": d.name, "where": where, "text": text, "steps": fits})
    if not candidates:
        return []
    checks = {step.visible_check: step.name for step in checked}
    source = read(root / "source" / assignment / f"{assignment}.ipynb")
    fill_provided(source, root, where=f"source/{assignment}")  # the bundle copy has no provided/
    cells = [{"source": c.source, "check": checks.get(c.metadata.get("nbgrader", {}).get("grade_id"))}
             for c in source.cells
             if c.cell_type == "code" and (is_provided(c) or c.metadata.get("nbgrader", {}).get("solution"))]
    with tempfile.TemporaryDirectory(prefix="lookalikes-") as tmp:
        copy = Path(tmp) / "bundle"
        shutil.copytree(folder, copy)
        job = Path(tmp) / "job.json"
        job.write_text(json.dumps({"cells": cells, "candidates": candidates, "seconds": seconds}))
        env = {**os.environ, "MPLBACKEND": "Agg", "NBGRADER_EXECUTION": "autograde"}
        env.pop("PYTHONPATH", None)
        done = subprocess.run([sys.executable, str(TRIAL), str(job)], cwd=copy / assignment, env=env,
                              capture_output=True, text=True, check=True)
    passed = json.loads(done.stdout.strip().splitlines()[-1])
    return [Found(step, candidates[i]["where"], f"{candidates[i]['text']}\n{step} = {candidates[i]['name']}")
            for i, step in passed]
