"""The grader decides: compare a submission's answers with the key's, outside the student's kernel.

A grade cell's hidden test only asks (`nnkit.questions`): in the student's kernel it reports
what the student's code returned, as outputs of type `ANSWER_MIME`. The same cell run on the
source notebook gives the key: the expected answers and the options of each comparison. Here,
in the grading process, with its own numpy and values decoded without pickle:

- every answer the key holds must come back once from the submission, in the same cell, and
  match (`nnkit.checks.compare`, the comparison visible checks use, never revealing);
- an answer to a question the cell did not ask, or the same answer twice, is tampering: the
  cell earns nothing and the submission is flagged with what was seen;
- the likely mistake is named from the generic transforms `compare` knows and from the values
  the course's sample mistakes gave to the same question (`key.py`);
- a step graded from the student's own earlier answers gets its expected value from
  `derived.py`, trusted code of the grader's own.

The verdict replaces the grade cell's outputs: a tick per answer that matched, and on failure
an error output whose message is the verdict, so nbgrader scores the cell as it always does.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import nbformat
import numpy as np

from nnkit.checks import RTOL, ATOL, compare
from nnkit.encoding import Malformed, Opaque, Raised, as_numbers, decode
from nnkit.questions import ANSWER_MIME

from autograder import cells
from autograder.grade.judge import derived
from autograder.grade.record.notes import Note

VERDICT = "CheckFailure"


def cell_answers(cell) -> list[dict]:
    """The answer records a cell's outputs hold, in order (anything under ANSWER_MIME)."""
    return [out["data"][ANSWER_MIME] for out in cell.get("outputs", [])
            if out.get("output_type") in ("display_data", "execute_result")
            and isinstance(out.get("data"), dict) and ANSWER_MIME in out["data"]]


def grade_id(cell) -> str | None:
    """The grade id of an autograded test cell; None for any other cell."""
    return cells.grade_id(cell) if cell.cell_type == "code" and cells.is_test(cell) else None


def answer_key(nb) -> dict[str, list[dict]]:
    """grade id -> the answers its hidden test gave, from an executed source notebook."""
    return {gid: cell_answers(cell) for cell in nb.cells if (gid := grade_id(cell))}


def answer_label(record: dict) -> tuple[str, str]:
    """(check, question): what an answer record answers; the key and the judge match on it."""
    return (str(record.get("check")), str(record.get("question")))


def numbered(records: list[dict]):
    """(label, occurrence, record) for each answer record, in order: a test may ask the same
    question more than once, and its n-th answer is matched with the n-th expected one."""
    seen: dict[tuple, int] = {}
    for record in records:
        label = answer_label(record)
        seen[label] = seen.get(label, -1) + 1
        yield label, seen[label], record


def judge_value(question: str, received, expected, options: dict, mistakes: dict) -> str | None:
    """Why `received` is not the answer `expected` (decoded values), or None when it is.

    Numbers and arrays compare within the key's tolerance; dicts need at least the key's keys,
    each compared in turn; sets, strings and booleans must be equal.
    """
    if isinstance(expected, dict):
        if isinstance(received, Raised):
            return received.evalue
        if not isinstance(received, dict):
            return f"{question}: received {type(received).__name__}; expected a dict."
        graded = [str(k) for k in options.get("keys", [])] or list(expected)
        expected = {key: expected[key] for key in graded if key in expected}
        missing = [key for key in graded if key not in received]
        if missing:
            return (f"{question} is missing the key(s) {', '.join(map(repr, missing))} "
                    f"(it has {', '.join(map(repr, received))}).")
        for key, value in expected.items():
            inner = {hint: m.get(key) for hint, m in mistakes.items() if isinstance(m, dict) and key in m}
            problem = judge_value(f"{question}[{key!r}]", received[key], value, options, inner)
            if problem:
                return problem
        return None
    if isinstance(expected, (frozenset, str, bool, Opaque)) or expected is None:
        if isinstance(received, Raised):
            return received.evalue
        if _equal(received, expected):
            return None
        hints = [hint for hint, value in mistakes.items() if _equal(value, received)]
        got = sorted(received) if isinstance(received, frozenset) else received
        lines = [f"{question} differs from the expected answer; received {got!r:.300}."]
        if isinstance(expected, frozenset) and isinstance(received, frozenset):
            lines.append(f"  {len(expected - received)} expected item(s) missing, "
                         f"{len(received - expected)} unexpected item(s)")
        return "\n".join(lines + [f"  likely mistake: {hint}" for hint in hints])
    if isinstance(expected, Raised):  # the key's own run raised here: the source notebook is wrong
        raise ValueError(f"the answer key's run raised at {question}: {expected}")
    if isinstance(expected, (list, tuple)) and not _numeric(expected):
        if not isinstance(received, (list, tuple)) or len(received) != len(expected):
            return f"{question}: received {type(received).__name__}; expected a list of {len(expected)} items."
        for index, (got, want) in enumerate(zip(received, expected)):
            problem = judge_value(f"{question}[{index}]", got, want, options, {})
            if problem:
                return problem
        return None
    return compare(question, received, expected, rtol=float(options.get("rtol", RTOL)),
                   atol=float(options.get("atol", ATOL)), loose_shape=bool(options.get("loose_shape")),
                   mistakes=mistakes)


def _equal(a, b) -> bool:
    """a == b for the non-numeric answers (sets, strings, booleans, None), never raising."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return False
    try:
        return bool(a == b)
    except Exception:  # a comparison no plain value makes
        return False


def _numeric(value) -> bool:
    """Whether `value` is numbers as a visible check reads them (`nnkit.encoding.as_numbers`)."""
    return as_numbers(value) is not None


def judge_warnings(question: str, received, expected) -> str | None:
    """Why the warnings a block raised fail `question` (the key's run raised `expected`), or None."""
    if isinstance(received, list) and len(received) <= len(expected if isinstance(expected, list) else []):
        return None
    if not isinstance(received, list) or not all(isinstance(w, str) for w in received):
        return f"{question}: the warnings were not reported"
    return (f"{question} warned: {received[0]}. Rewrite it so that no step overflows or divides by zero "
            "(a numerically stable form).")


@dataclass
class CellVerdict:
    passed: list[str] = field(default_factory=list)   # questions answered correctly, in order
    failure: str | None = None                        # the first reason the cell fails
    notes: list[Note] = field(default_factory=list)   # what looks like tampering (cell: "" until the
                                                      # notebook's judge knows the grade id)
    mistakes: list[str] = field(default_factory=list)  # the likely mistakes its failure matched


def judge_cell(records: list[dict], key: list[dict], mistakes: dict, answered: dict,
               kernel_error: str = "") -> CellVerdict:
    """The verdict on one grade cell: its `records` against the `key`'s, in order.

    mistakes: (check, question, occurrence) -> {hint: encoded value} from the sample mistakes.
    answered: question -> the student's decoded answers so far in the notebook (for `derive`);
        this cell's answers are added to it.
    kernel_error: the cell's error in the student's kernel, to explain a question never answered.
    """
    verdict = CellVerdict()
    received: dict[tuple, list] = {}
    for record in records:
        if not isinstance(record, dict):
            verdict.notes.append(Note("malformed_answer", detail={"question": "", "error": "not a record"}))
            continue
        try:
            value = decode(record.get("value"))
        except Malformed as err:
            verdict.notes.append(Note("malformed_answer", detail={"question": str(record.get("question"))[:80],
                                                                  "error": str(err)[:200]}))
            continue
        received.setdefault(answer_label(record), []).append(value)
    asked = Counter(answer_label(want) for want in key)
    for label, index, want in numbered(key):
        got = received.get(label, [])
        if index >= len(got):
            if verdict.failure is None:
                why = f" ({kernel_error})" if kernel_error else ""
                verdict.failure = f"{label[1]} was never answered{why}."
            continue
        value = got[index]
        if label[0] == "value":
            answered[label[1]] = value
        if verdict.failure is not None:
            continue
        problem, matched = _judge_one(label, value, want, mistakes.get((*label, index), {}), answered)
        if problem:
            verdict.failure = problem
            verdict.mistakes = matched
        else:
            verdict.passed.append(label[1])
    extra = {str(question)[:80]: len(got) - asked.get((check, question), 0)
             for (check, question), got in received.items() if len(got) > asked.get((check, question), 0)}
    if extra:
        verdict.notes.append(Note("unasked_answers", detail={"questions": dict(list(extra.items())[:5])}))
        verdict.failure = ("not credited: this cell received answers its test did not ask for "
                           "(see the grader's report)")
    return verdict


def _judge_one(label: tuple, value, want: dict, mistakes: dict, answered: dict) -> tuple[str | None, list[str]]:
    """Why `value` is wrong (or None), and the sample mistakes it equals, as `judge_value` compares."""
    expected = decode(want["value"])
    if label[0] == "warnings":
        return judge_warnings(label[1], value, expected), []
    if want.get("derive"):
        given = [answered.get(name) for name in want.get("given", [])]
        expected = derived.expected(str(want["derive"]), expected, value, *given)
    hints = {hint: decode(data) for hint, data in mistakes.items()}
    problem = judge_value(label[1], value, expected, want, hints)
    if problem is None:
        return None, []
    return problem, [hint for hint, wrong in hints.items() if _is(value, wrong, label[1], want)]


def _is(value, wrong, question: str, options: dict) -> bool:
    """Whether `value` is the sample mistake's answer `wrong`, compared as answers are."""
    if isinstance(wrong, Raised) or isinstance(value, Raised):
        return value == wrong
    try:
        return judge_value(question, value, wrong, options, {}) is None
    except Exception:  # a mistake's value no rule compares (its own run raised): not this one
        return False


def verdict_outputs(verdict: CellVerdict) -> list:
    """The grade cell's outputs that say the verdict: ticks, then the failure as an error."""
    outputs = []
    if verdict.passed:
        outputs.append(nbformat.v4.new_output("stream", name="stdout",
                                              text="".join(f"\u2713 {q}\n" for q in verdict.passed)))
    if verdict.failure:
        outputs.append(nbformat.v4.new_output("error", ename=VERDICT, evalue=verdict.failure,
                                              traceback=[f"\x1b[0;31m{VERDICT}\x1b[0m: {verdict.failure}"]))
    return outputs


@dataclass
class NotebookVerdict:
    """What judging one notebook found; the batch keeps these for the report."""
    notes: list[Note] = field(default_factory=list)
    zeroed: list[str] = field(default_factory=list)      # grade ids failed for tampering
    unverified: list[str] = field(default_factory=list)  # grade cells whose key asks nothing
    mistakes: dict[str, list[str]] = field(default_factory=dict)  # grade id -> likely mistakes named


def _kernel_error(cell) -> str:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return f"{out.get('ename', '')}: {str(out.get('evalue', ''))[:300]}".strip(": ")
    return ""


def judge_notebook(nb, key) -> NotebookVerdict:
    """Judge every grade cell of an executed submission in place against `key` (a `key.Key`).

    Answer records are removed from every cell: autograded notebooks and feedback never hold them.
    """
    verdict = NotebookVerdict()
    answered: dict = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        records = cell_answers(cell)
        gid = grade_id(cell)
        if gid is None or gid not in key.answers:
            if records:
                verdict.notes.append(Note("answers_outside", str(index + 1), {"count": len(records)}))
            cell.outputs = [o for o in cell.outputs if not (isinstance(o.get("data"), dict) and ANSWER_MIME in o["data"])]
            continue
        if not key.answers[gid]:
            verdict.unverified.append(gid)
            continue
        try:
            result = judge_cell(records, key.answers[gid], key.hints(gid), answered, _kernel_error(cell))
        except Exception as err:  # a value no rule foresaw: this cell fails, named; the rest is judged
            result = CellVerdict(failure=f"the grader could not judge this cell's answers ({type(err).__name__})",
                                 notes=[Note("grading_failed", detail={"error": f"{type(err).__name__}: {err}"[:300]})])
        verdict.notes += [Note(note.kind, gid, note.detail) for note in result.notes]
        if result.notes:
            verdict.zeroed.append(gid)
        if result.mistakes:
            verdict.mistakes[gid] = result.mistakes
        cell.outputs = verdict_outputs(result)
    return verdict
