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


@pytest.mark.parametrize("crash", ["import os; os._exit(120)", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"],
                         ids=["exit-with-the-memory-limits-status", "sigkill-of-itself"])
def test_a_kernel_that_ends_itself_is_told_as_a_crash_never_as_the_memory_limit(crash):
    # 120 is the status the sandbox's init gives a memory kill: a kernel exiting with it itself,
    # or killing itself with the signal the memory limit sends, was told "memory" (cgroup.py).
    result, nb = run("print('first')", crash, "print('never')")
    assert result.status == "kernel died" and result.memory_stopped is None
    assert errors(nb.cells[1]) == ["DeadKernelError"] and errors(nb.cells[2]) == ["DeadKernelError"]


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


MALFORMED_OUTPUTS = """\
pub = get_ipython().display_pub
print('before')
for content in ({"data": {"text/plain": {"x": 1}}, "metadata": {}}, {"data": "not a dict", "metadata": []}):
    pub.session.send(pub.pub_socket, "display_data", content, parent=pub.parent_header, ident=pub.topic)
pub.session.send(pub.pub_socket, "error", {"ename": 3, "evalue": None, "traceback": "not a list"},
                 parent=pub.parent_header, ident=pub.topic)
pub.session.send(pub.pub_socket, "comm_open", {"target_name": "x"}, parent=pub.parent_header, ident=pub.topic)
print('after')"""


def test_an_output_the_notebook_format_rejects_is_dropped_and_the_notebook_runs_on():
    # Sent by hand on IOPub, such outputs made nbformat refuse the whole executed notebook: every
    # cell, the ones that had run included, scored 0, and the student was told it was the grader's fault.
    result, nb = run("print('first')", MALFORMED_OUTPUTS, "print('next')")
    assert result.status == "ok"
    assert nb.cells[0].outputs[0].text == "first\n" and nb.cells[2].outputs[0].text == "next\n"
    text = "".join(out.get("text", "") for out in nb.cells[1].outputs)
    assert "before" in text and "after" in text and "format rejects" in text
    nbformat.validate(nb)


def test_a_flood_still_arriving_after_its_cell_ended_costs_only_that_cells_output():
    # One IOPub message of 400 MB: the cell's reply comes before the grader has read it, and
    # nbgrader's Execute gave up on the whole notebook 4 s later (`raise_on_iopub_timeout`): every
    # cell scored 0, though the README says output past the limit alone costs nothing.
    result, nb = run("print('first')", "print('x' * 400_000_000)",
                     "print('next')", cell_timeout=60, notebook_timeout=180)
    assert result.status == "ok" and result.truncated
    assert nb.cells[0].outputs[0].text == "first\n" and nb.cells[2].outputs[0].text == "next\n"
