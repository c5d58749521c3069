"""Run one prepared notebook in its own sandbox with nbclient; return the executed notebook.

This is the only step that runs student code. It needs no gradebook and writes nothing outside
its scratch directory, so it can run in any worker process, on this machine or another one
(`parallel.py`). Execution is nbgrader's own `Execute` preprocessor, configured from the
course's `nbgrader_config.py`, with three changes:

- the kernel starts inside `sandbox.Box` (see sandbox.py), talking over Unix sockets in the
  scratch directory, since it has no network;
- output beyond `Limits.output` bytes per notebook is dropped as it arrives, so 100 MB of
  prints never reach the grader's memory;
- a kernel that dies (`os._exit`, a crash, the notebook time limit) ends the run: the cell that
  was running and every later code cell get an error output saying why, so their grade cells
  score 0 in nbgrader's usual way instead of the whole submission failing.
"""
from __future__ import annotations

import json
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
from nbclient.exceptions import DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Any, Integer
from traitlets.config import Config

from autograder.grade.sandbox import box as sandbox

from nnkit.questions import ANSWER_MIME  # answers get their own output budget
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

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.student, self.assignment, self.notebook)


@dataclass
class Result:
    key: tuple[str, str, str]
    notebook: str | None               # the executed notebook's JSON; None if it never ran
    status: str                        # "ok", "kernel died", "time limit", "error"
    message: str = ""
    seconds: float = 0.0               # wall time of the whole run
    startup: float = 0.0               # scratch directory, sandbox and kernel start
    truncated: bool = False            # output was cut at the output limit
    mode: str = ""


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel runs inside a `sandbox.Box` and listens on Unix sockets."""

    box = Any()

    def format_kernel_cmd(self, extra_arguments=None):
        return sandbox.wrap(super().format_kernel_cmd(extra_arguments), self.box)

    def write_connection_file(self, **kwargs):
        result = super().write_connection_file(**kwargs)
        if self.box.uid is not None:  # the kernel runs as the sandbox's uid and must read it
            os.chown(self.connection_file, self.box.uid, self.box.uid)
        return result


class SandboxedExecute(Execute):
    """nbgrader's Execute, with the kernel in a sandbox, an output cap and kernel-death marks."""

    box = Any()
    max_output_bytes = Integer(10 * 1024**2)

    def create_kernel_manager(self):
        kernel_dir = Path(self.box.scratch, ".kernel")
        kernel_dir.mkdir(exist_ok=True)
        if self.box.uid is not None:
            os.chown(kernel_dir, self.box.uid, self.box.uid)
        self.km = SandboxKernelManager(
            box=self.box, kernel_name=self.kernel_name or "python3", config=self.config,
            transport="ipc", connection_file=str(kernel_dir / "kernel.json"),
        )
        return self.km

    def preprocess(self, nb, resources=None, km=None):
        self.current_cell = -1
        self.first_cell_at = None
        self.output_bytes = 0
        self.truncated = False
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        self.current_cell = index
        self.output_bytes = self.record_bytes = 0
        self.cut = False
        if self.first_cell_at is None:
            self.first_cell_at = time.monotonic()
        return super().preprocess_cell(cell, resources, index)

    def output(self, outs, msg, display_id, cell_index):
        """Keep at most `max_output_bytes` of output per cell, and as much again of check records."""
        if msg["msg_type"] in ("stream", "display_data", "execute_result", "update_display_data"):
            content = msg.get("content", {})
            size = len(content.get("text", "")) + len(json.dumps(content.get("data", {})))
            record = ANSWER_MIME in content.get("data", {})
            if record:
                self.record_bytes += size
            else:
                self.output_bytes += size
            if max(self.output_bytes, self.record_bytes) > self.max_output_bytes:
                if not self.cut:
                    self.cut = self.truncated = True
                    outs.append(nbformat.v4.new_output(
                        "stream", name="stdout",
                        text=f"\n[autograder: output stopped after {self.max_output_bytes} bytes]\n"))
                return None
        return super().output(outs, msg, display_id, cell_index)

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
    """A new directory holding only the notebook, nnkit/ and data/."""
    base = task.scratch_base or tempfile.gettempdir()
    os.makedirs(base, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="ag-", dir=base))
    root = Path(task.course_root)
    for name in SUPPORT_DIRS:
        if (root / name).is_dir():
            shutil.copytree(root / name, scratch / name, symlinks=False,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "full"))
            _read_only(scratch / name)
    (scratch / f"{task.notebook}.ipynb").write_text(task.source)
    mpl = scratch / ".config" / "matplotlib"  # sandbox.clean_env points MPLCONFIGDIR here
    mpl.mkdir(parents=True)
    for cache in _font_caches():
        shutil.copy(cache, mpl / cache.name)
    return scratch


def run(task: Task) -> Result:
    """Execute `task` in a fresh sandbox. Never raises for anything the notebook does."""
    started = time.monotonic()
    scratch = prepare_scratch(task)
    box = sandbox.new_box(scratch, task.limits, task.mode, protected=SUPPORT_DIRS)
    nb = nbformat.reads(task.source, as_version=nbformat.NO_CONVERT)
    config = Config(task.config)
    config.Execute.timeout = int(task.limits.cell_timeout)
    executor = SandboxedExecute(config=config, box=box, max_output_bytes=task.limits.output,
                                shutdown_kernel="immediate")  # nothing in a sandbox to save
    resources = {"metadata": {"path": str(scratch)}}
    status, message = "ok", ""
    timer = threading.Timer(task.limits.notebook_timeout, executor.kill_kernel)
    timer.start()
    try:
        executor.preprocess(nb, resources)
    except DeadKernelError as err:
        timed_out = time.monotonic() - started >= task.limits.notebook_timeout
        status = "time limit" if timed_out else "kernel died"
        message = (f"the notebook ran longer than {task.limits.notebook_timeout:g} s" if timed_out
                   else f"the kernel stopped ({err})".strip())
        mark_unrun(nb, max(executor.current_cell, 0),
                   "NotebookTimeLimit" if timed_out else "DeadKernelError", message)
    except Exception as err:  # the kernel never started, or nbclient failed: nothing ran
        status, message = "error", f"{type(err).__name__}: {err}"
        mark_unrun(nb, 0, "ExecutionError", message)
    finally:
        timer.cancel()
        remove_scratch(scratch)
        shutil.rmtree(str(scratch) + ".root", ignore_errors=True)
    first = executor.first_cell_at or time.monotonic()
    return Result(
        key=task.key, notebook=nbformat.writes(nb), status=status, message=message,
        seconds=time.monotonic() - started, startup=first - started,
        truncated=executor.truncated, mode=box.mode,
    )


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
