"""From what execution returned to the notes an outcome keeps, and the words they become."""
from __future__ import annotations

from nbformat.v4 import new_code_cell, new_notebook, new_output

from autograder import reasons
from autograder.grade.judge.verdicts import NotebookVerdict
from autograder.grade.record.notes import Note
from autograder.grade.record import outcomes
from autograder.grade.record.outcomes import assemble
from autograder.grade.sandbox import box as sandbox
from autograder.grade.sandbox.execute import Result

LIMITS = sandbox.Limits(memory=sandbox.GiB)


def _executed(ename: str):
    stopped = new_output("error", ename=ename, evalue="", traceback=[])
    return new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("grow()", outputs=[stopped]),
                               new_code_cell("print(x)", outputs=[stopped])])


def _notes(status: str, ename: str, **result) -> list[Note]:
    outcome = assemble("s", "nb", result=Result(("s", "a", "nb"), "{}", status, **result),
                       executed=_executed(ename), verdict=NotebookVerdict(), limits=LIMITS)
    return [Note.from_dict(n) for n in outcome.notes]


def test_a_kernel_the_memory_limit_killed_is_one_memory_note_in_its_cell_not_a_crash():
    notes = _notes("memory limit", "MemoryLimit", memory_stopped=1)
    assert [(n.kind, n.cell) for n in notes] == [("memory_limit", "2")]
    words = reasons.for_student(notes)[0]
    assert "memory" in words and "1 GiB" in words and "every cell after it" in words


def test_a_kernel_that_died_otherwise_is_told_as_a_stopped_process():
    notes = _notes("kernel died", "DeadKernelError")
    assert [n.kind for n in notes] == ["execution"]
    assert "memory" not in reasons.for_student(notes)[0]


def test_a_file_is_digested_as_its_bytes_are_without_being_held_in_memory(tmp_path):
    # The batch digests every notebook handed in, before intake refuses one too large to read: a
    # notebook of gigabytes placed by hand was read whole into the grading process to be hashed.
    import tracemalloc

    small = tmp_path / "small.ipynb"
    small.write_bytes(b'{"cells": []}' * 1000)
    assert outcomes.digest(small, b"v3") == outcomes.digest(small.read_bytes(), b"v3")
    huge = tmp_path / "huge.ipynb"
    with open(huge, "wb") as f:
        f.truncate(256 * 2**20)  # sparse: no disk used
    tracemalloc.start()
    try:
        outcomes.digest(huge)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20, f"{peak / 2**20:.0f} MiB held to digest a file of 256 MiB"
