"""How one submission's kernel is confined: the limits, the sandbox's spec, and its command.

The grader starts each kernel through `wrap(kernel_cmd, box)`. On Linux that command is
`unshare` (new network, mount, IPC, UTS and PID namespaces; a user namespace too when not root)
running `confine.py` (see there for what happens inside, in order) with the spec `new_box` made.
What each platform gets is decided once by `detect()`; see autograder/README.md.
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import zlib
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

GiB = 1024**3
MiB = 1024**2

from autograder.grade.sandbox import cgroup, confine
from autograder.grade.sandbox.confine import KERNEL_DIR, LOG, RLIMITS, ROOT, SPEC, USERNS, VENV

__all__ = ["GiB", "MiB", "RLIMITS", "ROOT", "USERNS", "Box", "Limits", "detect", "new_box", "wrap"]


@dataclass
class Limits:
    """What one kernel may use. Time limits are enforced by the executor; the rest by the OS."""

    cell_timeout: float = 120          # seconds per cell (nbgrader's Execute.timeout)
    notebook_timeout: float = 600      # seconds for the whole notebook, kernel start included
    memory: int = 4 * GiB              # all processes together (cgroup), and each one's address space (RLIMIT_AS)
    processes: int = 64                # processes and threads of the sandbox (pids cgroup, RLIMIT_NPROC)
    output: int = 4 * MiB              # bytes of output kept per cell
    notebook_output: int = 16 * MiB    # bytes of output kept per notebook, every message kind counted
    file_size: int = 256 * MiB         # largest file the kernel may write (RLIMIT_FSIZE)
    tmp_size: int = 256 * MiB          # size of the sandbox's /tmp and root tmpfs
    scratch_size: int = 256 * MiB      # what the kernel may write in its working directory (tmpfs)
    scratch_files: int = 10_000        # files and folders it may make there (tmpfs inodes)
    open_files: int = 1024             # RLIMIT_NOFILE


@dataclass
class Box:
    """One sandbox: a scratch directory, the limits, and how to confine (a `detect()` mode)."""

    scratch: str
    limits: Limits = field(default_factory=Limits)
    mode: str = RLIMITS
    readonly: list[str] = field(default_factory=list)  # host paths visible read-only
    uid: int | None = None                              # ROOT mode: the sandbox's own uid
    protected: list[str] = field(default_factory=list)  # folders inside scratch, read-only
    aliases: dict[str, str] = field(default_factory=dict)  # host folder -> its path inside (the venv)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "Box":
        data = json.loads(text)
        data["limits"] = Limits(**data["limits"])
        return cls(**data)


UNSHARE_FLAGS = ["--net", "--mount", "--pid", "--ipc", "--uts", "--fork", "--kill-child"]


def _works(cmd: list[str]) -> bool:
    try:
        return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@lru_cache(maxsize=None)
def detect() -> str:
    """The strongest confinement this machine allows, found by trying it once."""
    forced = os.environ.get("AUTOGRADER_SANDBOX")
    if forced in (ROOT, USERNS, RLIMITS):
        return forced
    if platform.system() != "Linux" or not shutil.which("unshare"):
        return RLIMITS
    import tempfile

    with tempfile.TemporaryDirectory(prefix="autograder-probe-") as tmp:
        probe = [os.path.realpath(sys.executable), "-I", "-c", _confine_source(), "--probe", os.path.realpath(tmp)]
        try:
            if os.geteuid() == 0 and _works(["unshare", *UNSHARE_FLAGS, "--", *probe]):
                return ROOT
            if _works(["unshare", "--user", "--map-root-user", *UNSHARE_FLAGS, "--", *probe]):
                return USERNS
        finally:
            shutil.rmtree(os.path.realpath(tmp) + ".root", ignore_errors=True)
    return RLIMITS


def sandbox_uid(scratch: str) -> int:
    """A uid no account uses, fixed per scratch directory (ROOT mode)."""
    return 2_000_000 + zlib.crc32(scratch.encode()) % 1_000_000


def python_dirs() -> list[str]:
    """Where the kernel's Python and its packages live; bound read-only into the sandbox."""
    import site
    import sysconfig

    dirs = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.realpath(sys.executable))}
    dirs.update(sysconfig.get_paths().values())
    dirs.update(site.getsitepackages())
    return sorted(d for d in dirs if d and os.path.isdir(d))


def new_box(scratch: str | os.PathLike, limits: Limits | None = None, mode: str | None = None,
            protected: tuple[str, ...] = ()) -> Box:
    """A sandbox for `scratch`; the folders of it named in `protected` stay read-only inside.

    As root they also stay owned by root, so the sandbox's own uid cannot change them in any mode.
    With namespaces, a virtual environment is seen at `VENV` inside, so no path of the course
    (where `make` keeps `.venv/`) reaches the kernel's command line, `sys.path` or memory maps.
    """
    scratch = os.path.realpath(scratch)
    mode = mode or detect()
    box = Box(scratch=scratch, limits=limits or Limits(), mode=mode, readonly=python_dirs(),
              protected=list(protected))
    if mode in (ROOT, USERNS) and sys.prefix != sys.base_prefix:
        box.aliases = {sys.prefix: VENV}
        venvs = (sys.prefix, os.path.realpath(sys.prefix))
        box.readonly = [d for d in box.readonly if not any(_under(d, v) for v in venvs)]
    os.makedirs(os.path.join(scratch, KERNEL_DIR), exist_ok=True)  # sockets and connection file
    Path(scratch, LOG).touch()
    if os.geteuid() == 0 and (mode == ROOT or mode == RLIMITS and _reachable(sys.executable)):
        box.uid = sandbox_uid(scratch)  # as root, always a user of its own where it can run Python
        kept = [os.path.join(scratch, name) for name in protected]
        for path in [scratch, *(str(p) for p in Path(scratch).rglob("*"))]:
            if not any(path == k or path.startswith(k + os.sep) for k in kept):
                os.lchown(path, box.uid, box.uid)
    return box


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def inside(path: str, box: Box) -> str:
    """`path` as the sandbox sees it (a path in the virtual environment moves to `VENV`)."""
    for host, alias in box.aliases.items():
        for form in (host, os.path.realpath(host)):
            if _under(path, form):
                return alias + path[len(form.rstrip(os.sep)):]
    return path


def _reachable(path: str) -> bool:
    """Whether any user may run `path` (every parent directory searchable by others)."""
    real = Path(os.path.realpath(path))
    return all(os.stat(p).st_mode & 0o001 for p in real.parents) and bool(os.stat(real).st_mode & 0o005)


def wrap(cmd: list[str], box: Box) -> list[str]:
    """The command that runs `cmd` (a kernel) inside `box`.

    The sandbox's first process runs this file's text with `python -c` under a cleared
    environment (`env -i`), on the base interpreter: its command line, environment and working
    directory, which the kernel can read in /proc, name no folder of the course or the grader.
    """
    spec = Path(box.scratch, SPEC)
    spec.write_text(box.to_json())
    spec.chmod(0o600)  # the first process reads it and deletes it before the kernel starts
    keep = [f"{k}={os.environ[k]}" for k in ("LANG", "LC_ALL", "TZ") if k in os.environ]
    inner = [shutil.which("env") or "/usr/bin/env", "-i", *keep, os.path.realpath(sys.executable), "-I",
             "-c", _confine_source(), str(spec), "--", *(inside(arg, box) for arg in cmd)]
    if box.mode == ROOT:
        return ["unshare", *UNSHARE_FLAGS, "--", *inner]
    if box.mode == USERNS:
        return ["unshare", "--user", "--map-root-user", *UNSHARE_FLAGS, "--", *inner]
    return inner


@lru_cache(maxsize=None)
def _confine_source() -> str:
    """The text the sandbox's first process runs: cgroup.py's, then confine.py's."""
    return Path(cgroup.__file__).read_text() + "\n\n" + Path(confine.__file__).read_text()
