"""What of a kernel's messages reaches the executed notebook: every kind counted, answers given once.

A student's kernel sends whatever it likes on IOPub. nbclient would keep all of it: prints,
displays, tracebacks, display metadata, widget messages, and `update_display_data`, which
rewrites an output already in the notebook, in any cell, by its display id. `Policy.admit`
decides for each message, before nbclient sees it:

- sizes count over every message that reaches the notebook or the executor's memory (its whole
  `content` and binary buffers), per cell (`Limits.output`; a grade cell's answer records have a
  budget of their own, as large) and per notebook (`Limits.notebook_output`, everything but a
  grade cell's answers, which the number of grade cells bounds); past a budget a message is
  dropped, an error is kept but shortened, so that a failing cell still fails;
- an answer record is kept as it was first sent: it loses any display id, so that nothing can
  update it later, and an update that carries an answer is dropped. Both are recorded
  (`rewrites`), and the judge's batch flags the cell (execute.Result.rewrites).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import nbformat

from autograder import cells
from nnkit.questions import ANSWER_MIME

COUNTED = ("stream", "display_data", "execute_result", "update_display_data", "error", "clear_output")
ERROR_TEXT = 2000  # characters kept of an error's message and of each traceback line, past a budget


@dataclass
class Policy:
    cell_limit: int                     # bytes per cell, for output and for answer records each
    notebook_limit: int                 # bytes per notebook, all of it
    truncated: bool = False             # something was dropped
    rewrites: list[int] = field(default_factory=list)  # 0-based cells where answers were rewritten
    total: int = 0
    _cell: int = -1
    _spent: dict = field(default_factory=dict)
    _marked: set = field(default_factory=set)

    def _size(self, msg: dict) -> int:
        content = msg.get("content") or {}
        if msg.get("msg_type") == "stream" and set(content) <= {"name", "text"}:  # the common case, counted cheaply
            return len(str(content.get("text", ""))) + len(str(content.get("name", "")))
        buffers = sum(len(b) for b in msg.get("buffers") or [] if isinstance(b, (bytes, bytearray, memoryview)))
        return len(json.dumps(content, default=str)) + buffers

    def admit(self, msg: dict, cell, cell_index: int) -> bool:
        """Whether nbclient may process `msg` (possibly changed here) for the cell at `cell_index`."""
        kind = msg.get("msg_type", "")
        if not (kind in COUNTED or kind.startswith("comm")):
            return True
        if cell_index != self._cell:
            self._cell, self._spent = cell_index, {"output": 0, "answers": 0}
        content = msg.get("content") or {}
        data = content.get("data") if isinstance(content.get("data"), dict) else {}
        answers = ANSWER_MIME in data
        if answers and not self._first_answer(msg, kind, content, cell_index):
            return False
        size = self._size(msg)
        bucket = "answers" if answers and cells.is_test(cell) else "output"
        # Only what is kept counts: a flood dropped in one cell leaves the next cells their budget.
        if self._spent[bucket] + size <= self.cell_limit and cell_index not in self._marked and (
                bucket == "answers" or self.total + size <= self.notebook_limit):
            self._spent[bucket] += size
            self.total += size if bucket == "output" else 0
            return True
        if kind == "error":
            content["evalue"] = str(content.get("evalue", ""))[:ERROR_TEXT]
            content["traceback"] = [str(line)[:ERROR_TEXT] for line in (content.get("traceback") or [])[-3:]]
            return True
        if cell_index not in self._marked:
            self._mark(cell, cell_index)
        return False

    def _first_answer(self, msg: dict, kind: str, content: dict, cell_index: int) -> bool:
        transient = content.get("transient") if isinstance(content.get("transient"), dict) else {}
        if kind == "update_display_data":
            self._rewrite(cell_index)
            return False
        if transient.get("display_id") or (content.get("metadata") or {}).get("display_id"):
            content["transient"] = {}
            self._rewrite(cell_index)
        return True

    def _rewrite(self, cell_index: int) -> None:
        if cell_index not in self.rewrites:
            self.rewrites.append(cell_index)

    def _mark(self, cell, cell_index: int) -> None:
        self.truncated = True
        self._marked.add(cell_index)
        cell.outputs.append(nbformat.v4.new_output(
            "stream", name="stdout", text=f"\n[autograder: output stopped: over {self.cell_limit} bytes in this cell "
                                          f"or {self.notebook_limit} in the notebook]\n"))
