"""Executing one notebook in its sandbox: time limits, dead kernels and output caps."""
from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder.grade.sandbox import execute
from autograder.grade.sandbox import box as sandbox

from tests.autograder.tiny_course import ROOT

pytestmark = pytest.mark.notebook


def run(*sources, **limits):
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    task = execute.Task("student", "a", "nb", nbformat.writes(nb), str(ROOT),
                        limits=sandbox.Limits(**{"cell_timeout": 5, "notebook_timeout": 30, **limits}))
    result = execute.run(task)
    return result, nbformat.reads(result.notebook, as_version=4)


def errors(cell):
    return [out.ename for out in cell.outputs if out.output_type == "error"]


def test_a_cell_over_its_time_limit_is_interrupted_and_the_next_cells_run():
    result, nb = run("while True: pass", "print('next')")
    assert result.status == "ok" and "CellTimeoutError" in errors(nb.cells[0])
    assert nb.cells[1].outputs[0].text == "next\n"


def test_a_notebook_over_its_time_limit_is_stopped_and_later_cells_marked():
    result, nb = run("import time; time.sleep(3)", "time.sleep(3)", "time.sleep(3)", "print('never')",
                     notebook_timeout=7)
    assert result.status == "time limit"
    assert errors(nb.cells[3]) == ["NotebookTimeLimit"]


def test_a_kernel_that_exits_marks_the_rest_of_the_notebook():
    result, nb = run("import os; os._exit(0)", "print('never')")
    assert result.status == "kernel died"
    assert errors(nb.cells[0]) == ["DeadKernelError"] and errors(nb.cells[1]) == ["DeadKernelError"]


def test_output_beyond_the_cap_is_dropped_as_it_arrives():
    result, nb = run("for _ in range(200): print('x' * 10_000)", "print('next')", output=100_000)
    text = "".join(out.get("text", "") for out in nb.cells[0].outputs)
    assert result.truncated and len(text) < 150_000 and "output stopped" in text
    assert nb.cells[1].outputs[0].text == "next\n"


def test_the_kernel_sees_only_nnkit_and_data_never_its_notebook():
    result, nb = run("import os; print(sorted(n for n in os.listdir('.') if not n.startswith('.')))")
    assert nb.cells[0].outputs[0].text.strip() == "['data', 'nnkit']"


def _cgroups() -> bool:
    from autograder.grade.sandbox import cgroup
    try:
        return sandbox.detect() == sandbox.ROOT and "memory" in cgroup.parents()
    except OSError:
        return False


@pytest.mark.skipif(not _cgroups(), reason="a cgroup per sandbox needs root and a memory controller")
def test_a_kernel_the_memory_limit_kills_is_reported_as_the_memory_limit_in_its_cell():
    # The kernel holds 300 MiB and starts children of 150 MiB each: together they pass the
    # cgroup's 1.125 GiB, whose memory limit kills the biggest process, the kernel (each alone
    # stays below its 1 GiB address space, a kernel's own being about 650 MiB of it).
    hold = "b = b'x' * (150 << 20); import time; time.sleep(30)"
    result, nb = run("print('first')",
                     "import subprocess, sys, time\nb = b'x' * (300 << 20)\n"
                     f"ps = [subprocess.Popen([sys.executable, '-c', {hold!r}]) for _ in range(8)]\ntime.sleep(4)",
                     "print('never')", memory=sandbox.GiB, cell_timeout=20)
    assert result.status == "memory limit" and result.memory_stopped == 1
    assert errors(nb.cells[1]) == ["MemoryLimit"] and errors(nb.cells[2]) == ["MemoryLimit"]
