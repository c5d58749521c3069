"""Re-check, in the grader's own process, the values a submission's hidden tests compared.

A kernel's verdict can be forged: a submission that rebinds `numpy.allclose`, `math.isclose`,
`numpy.testing` or `nnkit.checks` makes every test pass. So while autograding, `nnkit.checks`
publishes each comparison it makes (check name, received value, the test's expected value and
tolerance) as an output of type `RECORD_MIME`. The answer key is the same record from running
the instructor's source notebook in the same batch. For every grade cell that the kernel says
passed, `Verify` compares the student's received values with the key's expected values, with
the key's tolerances, using this process's numpy (where a hidden test derives its expected
value from the student's own earlier results, that value, as recorded, is the reference):

- a value that does not match or a check that never ran: the cell gets an error output saying
  so (nbgrader then scores it 0) and the submission is flagged;
- code that rebinds the checking machinery itself (`tampering()`): flagged; where the rebinding
  could forge the records (nnkit, numpy array constructors, IPython's display, frames, gc,
  ctypes, sys.modules, builtins), every grade cell after it scores 0, since none of its records
  can be trusted.

Records are removed from the notebook afterwards: the autograded notebook and the feedback
never show them.
"""
from __future__ import annotations

import ast
import base64
from dataclasses import dataclass, field

import numpy as np
import nbformat
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Any, Dict

RECORD_MIME = "application/vnd.nnkit.check+json"
RECHECK = "AutograderRecheck"


# --- records ------------------------------------------------------------------------------------

def cell_records(cell) -> list[dict]:
    return [out["data"][RECORD_MIME] for out in cell.get("outputs", [])
            if out.get("output_type") == "display_data" and RECORD_MIME in out.get("data", {})]


def strip_records(nb) -> None:
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [out for out in cell.outputs
                            if not (out.get("output_type") == "display_data"
                                    and RECORD_MIME in out.get("data", {}))]


def answer_key(nb) -> dict[str, list[dict]]:
    """grade id -> the records its hidden tests made, from an executed source notebook."""
    key = {}
    for cell in nb.cells:
        if utils.is_grade(cell) and cell.cell_type == "code":
            key[cell.metadata["nbgrader"]["grade_id"]] = cell_records(cell)
    return key


def decode(value) -> np.ndarray:
    raw = base64.b64decode(value["f8"])
    return np.frombuffer(raw, dtype="<f8").reshape(value["shape"])


def _matches(received: np.ndarray, expected: np.ndarray, rtol: float, atol: float) -> bool:
    """The verdict `nnkit.checks.check_close` should have given, computed here."""
    if received.shape != expected.shape:
        if received.squeeze().shape != expected.squeeze().shape:
            return False
        received, expected = received.squeeze(), expected.squeeze()
    return bool(np.allclose(received, expected, rtol=rtol, atol=atol))


def recheck(records: list[dict], key: list[dict]) -> list[str]:
    """Problems found re-checking one grade cell's records against the key's; [] if none."""
    problems = []
    by_name: dict[str, list[dict]] = {}
    for record in records:
        if isinstance(record, dict) and isinstance(record.get("name"), str):
            by_name.setdefault(record["name"], []).append(record)
    seen: dict[str, int] = {}
    for want in key:
        name = want["name"]
        index = seen.get(name, 0)
        seen[name] = index + 1
        candidates = by_name.get(name, [])
        if index >= len(candidates):
            problems.append(f"the check of {name} never ran")
            continue
        got = candidates[index]
        try:
            if want["check"] == "close":
                # A hidden test may derive its expected value from the student's own earlier
                # work (so one mistake costs one cell): then the student's expected value is the
                # reference, still compared here rather than by the kernel.
                reference, own = decode(want["expected"]), decode(got["expected"])
                target = reference if np.array_equal(own, reference, equal_nan=True) else own
                if not _matches(decode(got["received"]), target, float(want["rtol"]), float(want["atol"])):
                    problems.append(f"{name} does not match the expected value")
            elif want["check"] == "keys":
                missing = set(want["expected"]) - set(got["received"])
                if missing or got["expected"] != want["expected"]:
                    problems.append(f"{name} lacks the key(s) {', '.join(sorted(missing))}")
        except (KeyError, TypeError, ValueError) as err:
            problems.append(f"the record of {name} is malformed ({type(err).__name__})")
    return problems


# --- tampering ---------------------------------------------------------------------------------

# Rebinding these cannot fool the re-check (it compares outside the kernel): flag only.
COMPARATORS = {"allclose", "isclose", "array_equal", "array_equiv", "testing", "assert_allclose",
               "assert_array_almost_equal", "assert_almost_equal", "assert_array_equal",
               "assert_equal"}
# Modules whose attributes a submission has no reason to rebind.
WATCHED = {"np", "numpy", "math", "nnkit", "checks", "IPython", "display", "builtins",
           "__builtins__", "sys", "base64", "testing", "npt"}
# Reaching into frames, objects or memory: could forge records.
FORGING_CALLS = {"_getframe", "currentframe", "get_referrers", "get_objects", "settrace",
                 "setprofile"}
# Names that forge only from this module: `inspect.stack()` walks frames, `np.stack` is honest.
FORGING_FROM = {"inspect": {"stack", "trace", "getouterframes", "getinnerframes"}}
FORGING_NAMES = {"ctypes", "gc"}
# Code run from strings can hide any rebinding from this scan.
HIDING_CALLS = {"exec", "eval", "compile", "__import__"}


@dataclass
class Finding:
    cell: int               # index of the cell in the notebook
    what: str
    forging: bool           # could it forge the check records?


def _root_name(node) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _describe_target(node) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # pragma: no cover - ast.unparse handles every target
        return "?"


def scan_source(source: str) -> list[tuple[str, bool]]:
    """Rebindings of the checking machinery in one cell's code: (what, could forge)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found = []
    watched = set(WATCHED)
    for node in ast.walk(tree):  # aliases: `import numpy as n`, `from nnkit import checks as c`
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            module = getattr(node, "module", None) or ""
            for alias in node.names:
                if (module or alias.name).split(".")[0] in WATCHED | {"nnkit", "numpy", "IPython"}:
                    watched.add((alias.asname or alias.name).split(".")[0])
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        elif isinstance(node, ast.Delete):
            targets = node.targets
        for target in targets:
            if isinstance(target, (ast.Attribute, ast.Subscript)) and _root_name(target) in watched:
                text = _describe_target(target)
                last = target.attr if isinstance(target, ast.Attribute) else ""
                found.append((f"rebinds {text}", last not in COMPARATORS and not text.startswith("math.")))
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "setattr" and node.args and _root_name(node.args[0]) in watched:
                found.append((f"calls setattr on {_describe_target(node.args[0])}", True))
            elif (name in FORGING_CALLS or (isinstance(func, ast.Name) and name in HIDING_CALLS)
                  or name in FORGING_FROM.get(_root_name(func) if isinstance(func, ast.Attribute) else "", ())):
                found.append((f"calls {_describe_target(func)}", True))
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            for name in names:
                if name.split(".")[0] in FORGING_NAMES:
                    found.append((f"imports {name}", True))
            if isinstance(node, ast.ImportFrom) and node.module in FORGING_FROM:
                found += [(f"imports {node.module}.{a.name}", True) for a in node.names
                          if a.name in FORGING_FROM[node.module]]
    return found


def tampering(nb) -> list[Finding]:
    """Findings in the cells a student wrote (grade cells are restored from the source)."""
    findings = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or (utils.is_grade(cell) and not utils.is_solution(cell)):
            continue
        findings += [Finding(index, what, forging) for what, forging in scan_source(cell.source)]
    return findings


# --- the preprocessor ---------------------------------------------------------------------------

@dataclass
class Verdict:
    """What verification found in one notebook; the batch collects these for the report."""
    flags: list[str] = field(default_factory=list)
    zeroed: list[str] = field(default_factory=list)   # grade ids scored 0 by verification
    unverified: list[str] = field(default_factory=list)  # grade cells the key has no records for


def _recheck_error(reason: str):
    text = f"{reason} (re-checked outside the notebook)"
    return nbformat.v4.new_output("error", ename=RECHECK, evalue=text,
                                  traceback=[f"\x1b[0;31m{RECHECK}\x1b[0m: {text}"])


def _kernel_passed(cell) -> bool:
    return not any(out.output_type == "error" or (out.output_type == "stream" and out.name == "stderr")
                   for out in cell.outputs)


def verify_notebook(nb, key: dict[str, list[dict]]) -> Verdict:
    """Re-check every grade cell of an executed notebook in place; records are removed."""
    verdict = Verdict()
    findings = tampering(nb)
    for finding in findings:
        verdict.flags.append(f"cell {finding.cell + 1} {finding.what}")
    forged_from = min((f.cell for f in findings if f.forging), default=None)
    for index, cell in enumerate(nb.cells):
        if not (utils.is_grade(cell) and cell.cell_type == "code") or utils.is_solution(cell):
            continue
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        if not _kernel_passed(cell):
            continue
        if forged_from is not None and index > forged_from:
            reason = (f"not credited: cell {forged_from + 1} rebinds the checking machinery, so "
                      "this cell's result cannot be trusted")
            cell.outputs.append(_recheck_error(reason))
            verdict.zeroed.append(grade_id)
            continue
        if not key.get(grade_id):
            verdict.unverified.append(grade_id)
            continue
        problems = recheck(cell_records(cell), key[grade_id])
        if problems:
            cell.outputs.append(_recheck_error("; ".join(problems)))
            verdict.zeroed.append(grade_id)
            verdict.flags.append(f"{grade_id}: passed in the notebook but not when re-checked: "
                                 + "; ".join(problems))
    strip_records(nb)
    return verdict


class Verify(NbGraderPreprocessor):
    """nbgrader step between LimitOutput and SaveAutoGrades: re-check, then drop the records.

    `keys` maps notebook name -> answer key; `verdicts` receives (student, notebook) -> Verdict.
    """

    keys = Dict()
    verdicts = Any()

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        verdict = verify_notebook(nb, self.keys.get(info["notebook"], {}))
        if self.verdicts is not None:
            self.verdicts[(info["student"], info["notebook"])] = verdict
        return nb, resources
