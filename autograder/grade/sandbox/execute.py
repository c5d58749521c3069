"""Run one prepared notebook in its own sandbox with nbclient; return the executed notebook.

This is the only step that runs student code. It needs no gradebook and writes nothing outside
its scratch directory, so it can run in any worker process, on this machine or another one
(`parallel.py`). Execution is nbgrader's own `Execute` preprocessor, configured from the
course's `nbgrader_config.py`, with these changes:

- the kernel starts inside `box.Box`, talking over Unix sockets in the scratch directory, since
  it has no network; the scratch directory never holds the notebook (hidden.py: a hidden cell's
  code reaches the kernel only when it runs, and what it defined is forgotten right after);
- every message kind counts against the output limits, per cell and per notebook, and answers
  are kept as first given (outputs.py), so 100 MB of prints never reach the grader's memory;
- a kernel that dies (`os._exit`, a crash, the notebook time limit) ends the run: the cell that
  was running and every later code cell get an error output saying why, so their grade cells
  score 0 in nbgrader's usual way instead of the whole submission failing.
"""
from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellControlSignal, DeadKernelError
from nbclient.util import run_sync
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Any, Bool
from traitlets.config import Config

from autograder.grade.sandbox import box as sandbox
from autograder.grade.sandbox import hidden
from autograder.grade.sandbox.cgroup import MEMORY_LIMIT_EXIT
from autograder.grade.sandbox.outputs import Policy
from nnkit.questions import ANSWER_MIME

SUPPORT_DIRS = ("nnkit", "data")  # what a notebook may find by walking up from its cwd


@dataclass
class Task:
    """One notebook to execute: everything a worker needs, all of it serialisable."""

    student: str
    assignment: str
    notebook: str                      # notebook name without .ipynb
    source: str                        # the prepared notebook's JSON
    course_root: str                   # holds nnkit/ and data/
    config: dict = field(default_factory=dict)  # the course's nbgrader config, as a dict
    limits: sandbox.Limits = field(default_factory=sandbox.Limits)
    mode: str | None = None            # a sandbox mode; None: the strongest available
    scratch_base: str | None = None    # where scratch directories go (default: the temp dir)
    answer_key: bool = False           # a run of the answer key (the source or a sample mistake), never
                                       # a student's: the two never share ids, whatever a folder is called

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.student, self.assignment, self.notebook)


@dataclass
class Result:
    key: tuple[str, str, str]
    notebook: str | None               # the executed notebook's JSON; None if it never ran
    status: str                        # "ok", "kernel died", "memory limit", "time limit", "error"
    message: str = ""
    seconds: float = 0.0               # wall time of the whole run
    startup: float = 0.0               # scratch directory, sandbox and kernel start
    truncated: bool = False            # output was cut at the output limit
    mode: str = ""
    timed_out: list[int] = field(default_factory=list)  # 0-based cells stopped at the cell time limit
    memory_stopped: int | None = None  # the 0-based cell running when the memory limit killed the kernel
    rewrites: list[int] = field(default_factory=list)   # 0-based cells whose answers something tried to rewrite
    phases: dict[str, float] = field(default_factory=dict)  # seconds of each part of the run, in order


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel runs inside a `sandbox.Box` and listens on Unix sockets."""

    box = Any()

    def format_kernel_cmd(self, extra_arguments=None):
        return sandbox.wrap(super().format_kernel_cmd(extra_arguments), self.box)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        await super()._async_launch_kernel(kernel_cmd, **kw)
        self.launched = self.provisioner.process  # kept: the provisioner forgets it at shutdown

    def stopped_by_memory_limit(self) -> bool:
        """Whether the sandbox reported that its memory limit killed the kernel (after it died).
        Only a sandbox with an init of its own (and a cgroup: root mode) reports it; elsewhere the
        exit status is the kernel's, which the student's code chooses (`os._exit(120)`)."""
        launched = getattr(self, "launched", None)
        if self.box.mode != sandbox.ROOT:
            return False
        try:
            return launched is not None and launched.wait(timeout=10) == MEMORY_LIMIT_EXIT
        except Exception:  # still running, or never started: no such report
            return False

    def write_connection_file(self, **kwargs):
        result = super().write_connection_file(**kwargs)
        if self.box.uid is not None:  # the kernel runs as the sandbox's uid and must read it
            os.chown(self.connection_file, self.box.uid, self.box.uid)
        return result


class SandboxedExecute(Execute):
    """nbgrader's Execute, with the kernel in a sandbox, hidden tests held only while they run,
    every message kind counted against the output limits, answers kept as first given, and
    kernel-death marks."""

    box = Any()
    limits = Any()
    # nbgrader raises when a cell's output is still arriving 4 s after its reply, which ends the
    # whole notebook; here the limits bound the kernel, so that cell only stops waiting for it.
    raise_on_iopub_timeout = Bool(False)

    def create_kernel_manager(self):
        kernel_dir = Path(self.box.scratch, ".kernel")
        kernel_dir.mkdir(exist_ok=True)
        if self.box.uid is not None:
            os.chown(kernel_dir, self.box.uid, self.box.uid)
        self.manager = self.km = SandboxKernelManager(
            box=self.box, kernel_name=self.kernel_name or "python3", config=self.config,
            transport="ipc", connection_file=str(kernel_dir / "kernel.json"),
        )
        return self.km

    def preprocess(self, nb, resources=None, km=None):
        self.current_cell = -1
        self.first_cell_at = None
        self.timed_out: list[int] = []
        self.policy = Policy(self.limits.output, self.limits.notebook_output)
        self.hidden = hidden.plan(nb)
        self.store_widget_state = False  # widget state is no grade's business, and unbounded
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        self.current_cell = index
        if self.first_cell_at is None:
            self.first_cell_at = time.monotonic()
        return super().preprocess_cell(cell, resources, index)

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        """Run a hidden cell between the helpers it needs and forgetting what it defined."""
        plan = self.hidden.get(cell_index)
        if plan and plan.prelude:
            await self._run_silently(plan.prelude)
        try:
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        finally:
            if plan and plan.forget and not self.timed_out[-1:] == [cell_index]:
                await self._run_silently(hidden.forget_code(plan.forget))

    execute_cell = run_sync(async_execute_cell)  # nbclient binds its own coroutine otherwise

    async def _run_silently(self, code: str) -> None:
        """Run `code` in the kernel as no cell: its outputs go nowhere, its errors are ignored (a test
        that then misses a helper fails, and scores 0, as it would have)."""
        try:
            msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
            await self.async_wait_for_reply(msg_id)
        except Exception:  # the kernel died or timed out: the cell's own run reports it
            pass

    async def _async_handle_timeout(self, timeout, cell=None):
        self.timed_out.append(self.current_cell)
        return await super()._async_handle_timeout(timeout, cell)

    def process_message(self, msg, cell, cell_index):
        if not self.policy.admit(msg, cell, cell_index):
            return None
        try:
            return super().process_message(msg, cell, cell_index)
        except CellControlSignal:  # how nbclient learns that the cell is done
            raise
        except Exception:  # nbformat refuses the output, or nbclient cannot read the message (a comm
            # message without data): without this the whole notebook is lost, cells already run included
            cell.outputs.append(nbformat.v4.new_output(
                "stream", name="stderr", text="[autograder: an output the notebook format rejects was dropped]\n"))
            return None

    def kill_kernel(self) -> None:
        """Stop the kernel and everything it started (the notebook time limit)."""
        provisioner = getattr(self.km, "provisioner", None)
        pid = getattr(provisioner, "pid", None)
        if pid:
            try:
                os.killpg(os.getpgid(pid), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


def _error(ename: str, evalue: str) -> NotebookNode:
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue,
                                  traceback=[f"\x1b[0;31m{ename}\x1b[0m: {evalue}"])


def mark_unrun(nb: NotebookNode, start: int, ename: str, reason: str) -> None:
    """Give cell `start` (if it has no error yet) and every later code cell an error output."""
    for index, cell in enumerate(nb.cells):
        if index < start or cell.cell_type != "code":
            continue
        if index == start:
            if not any(out.output_type == "error" for out in cell.get("outputs", [])):
                cell.outputs.append(_error(ename, reason))
        else:
            cell.outputs = [_error(ename, f"not run: {reason} in an earlier cell")]


@lru_cache(maxsize=None)
def _font_caches() -> tuple[Path, ...]:
    """This machine's matplotlib font list: without it each kernel spends seconds rebuilding it."""
    try:
        import matplotlib

        return tuple(Path(matplotlib.get_cachedir()).glob("fontlist-*.json"))
    except Exception:  # no matplotlib, or no cache directory: kernels build their own
        return ()


def _read_only(folder: Path) -> None:
    """Files 0444 and folders 0555: with the read-only mount (or another uid) nothing rewrites them."""
    for path in [*folder.rglob("*"), folder]:
        path.chmod(0o555 if path.is_dir() else 0o444)


def remove_scratch(scratch: Path) -> None:
    """Delete a scratch directory, its read-only folders included."""
    for name in SUPPORT_DIRS:
        for path in [Path(scratch, name), *Path(scratch, name).rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
    shutil.rmtree(scratch, ignore_errors=True)


def prepare_scratch(task: Task) -> Path:
    """A new directory holding only nnkit/ and data/, read-only: never the notebook, whose hidden
    tests the kernel receives one cell at a time, as each runs."""
    base = task.scratch_base or tempfile.gettempdir()
    os.makedirs(base, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="ag-", dir=base))
    root = Path(task.course_root)
    for name in SUPPORT_DIRS:
        if (root / name).is_dir():
            shutil.copytree(root / name, scratch / name, symlinks=False,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "full"))
            _read_only(scratch / name)
    mpl = scratch / ".config" / "matplotlib"  # confine.clean_env points MPLCONFIGDIR here
    mpl.mkdir(parents=True)
    for cache in _font_caches():
        shutil.copy(cache, mpl / cache.name)
    return scratch


def run(task: Task) -> Result:
    """Execute `task` in a fresh sandbox. Never raises for anything the notebook does."""
    started = time.monotonic()
    scratch = prepare_scratch(task)
    box = sandbox.new_box(scratch, task.limits, task.mode, protected=SUPPORT_DIRS)
    boxed = time.monotonic()
    nb = nbformat.reads(task.source, as_version=nbformat.NO_CONVERT)
    config = Config(task.config)
    config.Execute.timeout = int(task.limits.cell_timeout)
    executor = SandboxedExecute(config=config, box=box, limits=task.limits,
                                shutdown_kernel="immediate")  # nothing in a sandbox to save
    resources = {"metadata": {"path": str(scratch)}}
    status, message, memory_stopped = "ok", "", None
    timer = threading.Timer(task.limits.notebook_timeout, executor.kill_kernel)
    timer.start()
    try:
        executor.preprocess(nb, resources)
    except DeadKernelError as err:
        timed_out = time.monotonic() - started >= task.limits.notebook_timeout
        by_memory = not timed_out and executor.manager.stopped_by_memory_limit()
        status = "time limit" if timed_out else "memory limit" if by_memory else "kernel died"
        message = {"time limit": f"the notebook ran longer than {task.limits.notebook_timeout:g} s",
                   "memory limit": "the sandbox's memory limit stopped the kernel",
                   "kernel died": f"the kernel stopped ({err})".strip()}[status]
        memory_stopped = max(executor.current_cell, 0) if by_memory else None
        mark_unrun(nb, max(executor.current_cell, 0),
                   {"time limit": "NotebookTimeLimit", "memory limit": "MemoryLimit",
                    "kernel died": "DeadKernelError"}[status], message)
    except Exception as err:  # the kernel never started, or nbclient failed: nothing ran
        status, message = "error", f"{type(err).__name__}: {err}"
        mark_unrun(nb, 0, "ExecutionError", message)
    finally:
        ran = time.monotonic()
        timer.cancel()
        remove_scratch(scratch)
        shutil.rmtree(str(scratch) + ".root", ignore_errors=True)
    _withhold_rewritten(nb, executor.policy.rewrites)
    first = executor.first_cell_at or ran
    ended = time.monotonic()
    phases = {"scratch and sandbox": boxed - started, "kernel start": first - boxed, "cells": ran - first,
              "cleanup": ended - ran}
    return Result(
        key=task.key, notebook=nbformat.writes(nb), status=status, message=message,
        seconds=ended - started, startup=first - started, phases=phases,
        truncated=executor.policy.truncated, mode=box.mode, timed_out=list(executor.timed_out),
        memory_stopped=memory_stopped, rewrites=list(executor.policy.rewrites),
    )


def _withhold_rewritten(nb: NotebookNode, cells: list[int]) -> None:
    """A grade cell whose answers something tried to rewrite earns nothing: its answers are
    removed and an error says why (the judge then finds them never given)."""
    for index in cells:
        cell = nb.cells[index] if index < len(nb.cells) else None
        if cell is not None and cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
            cell.outputs = [out for out in cell.outputs if ANSWER_MIME not in (out.get("data") or {})]
            cell.outputs.append(_error("AnswersRewritten", "this cell's answers were given a display id or updated "
                                                           "after they were given"))


def run_trusted(nb, course_root: Path, timeout: int = 600):
    """Execute an instructor's notebook here, without a sandbox, in a scratch folder; return it.

    For the answer key under plain `nbgrader autograde`. The kernel sees `nnkit/` and `data/`
    as a submission's does, and NBGRADER_EXECUTION as nbgrader sets it.
    """
    from nbclient import NotebookClient

    task = Task(KEY_RUN, "", "key", nbformat.writes(nb), str(course_root))
    scratch = prepare_scratch(task)
    saved = os.environ.get("NBGRADER_EXECUTION")
    os.environ["NBGRADER_EXECUTION"] = "autograde"
    try:
        ran = nbformat.reads(task.source, as_version=4)
        NotebookClient(ran, timeout=timeout, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(scratch)}}).execute()
        return ran
    finally:
        if saved is None:
            os.environ.pop("NBGRADER_EXECUTION", None)
        else:
            os.environ["NBGRADER_EXECUTION"] = saved
        remove_scratch(scratch)


KEY_RUN = "__answer_key__"
