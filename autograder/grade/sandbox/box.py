"""How one submission's kernel is confined: namespaces, a private root, another user, rlimits.

The grader starts each kernel through `wrap(kernel_cmd, box)`. On Linux that command is
`unshare` (new network, mount and PID namespaces; a user namespace too when not root) running
this file as a script, which, inside the new namespaces and before the kernel starts:

1. builds a private root file system on a tmpfs: the system (`/usr`, `/lib`, `/etc`, ...) and the
   Python environment read-only, the submission's scratch directory read-write at its own path,
   a fresh `/proc`, a few `/dev` nodes and a small `/tmp`; nothing else of the host (no course
   folder, no gradebook, no other student's scratch directory, no home directory) exists there;
2. sets resource limits: address space, processes, CPU time, file size, core dumps, open files;
3. drops privileges: as root, to a uid of its own per sandbox (so the process limit counts only
   this kernel's processes); in a user namespace, by emptying the capability bounding set;
4. replaces the environment with a minimal one and executes the kernel.

What each platform gets is decided once by `detect()`; see autograder/README.md. This file runs
as a script inside the sandbox, so it imports nothing beyond the standard library.
"""
from __future__ import annotations

import ctypes
import ctypes.util
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

# Modes, strongest first.
ROOT = "root"        # Linux as root: namespaces, private root, separate uid per sandbox
USERNS = "userns"    # Linux unprivileged with user namespaces: same, but the instructor's uid
RLIMITS = "rlimits"  # anything else (macOS, Linux without namespaces): limits and a clean env only


@dataclass
class Limits:
    """What one kernel may use. Time limits are enforced by the executor; the rest by the OS."""

    cell_timeout: float = 120          # seconds per cell (nbgrader's Execute.timeout)
    notebook_timeout: float = 600      # seconds for the whole notebook, kernel start included
    memory: int = 4 * GiB              # address space of each process (RLIMIT_AS)
    processes: int = 64                # processes and threads of the sandbox (RLIMIT_NPROC)
    output: int = 4 * MiB              # bytes of output kept per cell
    notebook_output: int = 16 * MiB    # bytes of output kept per notebook, every message kind counted
    file_size: int = 256 * MiB         # largest file the kernel may write (RLIMIT_FSIZE)
    tmp_size: int = 256 * MiB          # size of the sandbox's /tmp and root tmpfs
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

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "Box":
        data = json.loads(text)
        data["limits"] = Limits(**data["limits"])
        return cls(**data)


SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt")
DEVICES = ("null", "zero", "full", "random", "urandom")
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
        probe = [sys.executable, "-I", os.path.abspath(__file__), "--probe", os.path.realpath(tmp)]
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
    """
    scratch = os.path.realpath(scratch)
    mode = mode or detect()
    box = Box(scratch=scratch, limits=limits or Limits(), mode=mode, readonly=python_dirs(),
              protected=list(protected))
    if os.geteuid() == 0 and (mode == ROOT or mode == RLIMITS and _reachable(sys.executable)):
        box.uid = sandbox_uid(scratch)  # as root, always a user of its own where it can run Python
        kept = [os.path.join(scratch, name) for name in protected]
        for path in [scratch, *(str(p) for p in Path(scratch).rglob("*"))]:
            if not any(path == k or path.startswith(k + os.sep) for k in kept):
                os.lchown(path, box.uid, box.uid)
    return box


def _reachable(path: str) -> bool:
    """Whether any user may run `path` (every parent directory searchable by others)."""
    real = Path(os.path.realpath(path))
    return all(os.stat(p).st_mode & 0o001 for p in real.parents) and bool(os.stat(real).st_mode & 0o005)


def wrap(cmd: list[str], box: Box) -> list[str]:
    """The command that runs `cmd` (a kernel) inside `box`."""
    spec = Path(box.scratch, ".sandbox.json")
    spec.write_text(box.to_json())
    inner = [sys.executable, "-I", os.path.abspath(__file__), str(spec), "--", *cmd]
    if box.mode == ROOT:
        return ["unshare", *UNSHARE_FLAGS, "--", *inner]
    if box.mode == USERNS:
        return ["unshare", "--user", "--map-root-user", *UNSHARE_FLAGS, "--", *inner]
    return inner


# --- inside the sandbox ------------------------------------------------------------------------

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP = 38, 24
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "riscv64": 41}


def _libc():
    try:
        return ctypes.CDLL("libc.so.6", use_errno=True)  # find_library would start ldconfig
    except OSError:
        return ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(libc, source, target, fstype, flags, data=None) -> None:
    _check(libc.mount(source and source.encode(), target.encode(), fstype and fstype.encode(),
                      ctypes.c_ulong(flags), data and data.encode()), f"mount {source} {target}")


def _bind(libc, source: str, target: str, *, readonly: bool) -> None:
    if os.path.isdir(source):
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        Path(target).touch()
    _mount(libc, source, target, None, MS_BIND | MS_REC)
    if readonly:
        _mount(libc, None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_REC)


def build_root(box: Box) -> None:
    """Make a private root holding only the system, Python and the scratch directory."""
    libc = _libc()
    _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)
    new = box.scratch + ".root"
    os.makedirs(new, exist_ok=True)
    _mount(libc, "tmpfs", new, "tmpfs", MS_NOSUID | MS_NODEV, f"size={box.limits.tmp_size},mode=755")
    for tmp in ("/tmp", "/dev/shm"):  # before the binds: the venv may live under /tmp
        os.makedirs(new + tmp, exist_ok=True)
        _mount(libc, "tmpfs", new + tmp, "tmpfs", MS_NOSUID | MS_NODEV,
               f"size={box.limits.tmp_size},mode=1777")
    sources = [d for d in SYSTEM_DIRS if os.path.isdir(d) and not os.path.islink(d)]
    for source in sorted(set(sources + box.readonly), key=len):
        _bind(libc, source, new + source, readonly=True)
    for name in [d for d in SYSTEM_DIRS if os.path.islink(d)]:  # e.g. /bin -> usr/bin
        os.symlink(os.readlink(name), new + name)
    for name in DEVICES:
        _bind(libc, f"/dev/{name}", f"{new}/dev/{name}", readonly=False)
    _bind(libc, box.scratch, new + box.scratch, readonly=False)
    for name in box.protected:  # the course helpers and data: a submission cannot rewrite them
        path = os.path.join(box.scratch, name)
        if os.path.isdir(path):
            _bind(libc, path, new + path, readonly=True)
    os.makedirs(new + "/proc", exist_ok=True)
    _mount(libc, "proc", new + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    os.makedirs(new + "/.old", exist_ok=True)
    number = SYS_PIVOT_ROOT.get(platform.machine())
    if number is not None:
        _check(libc.syscall(number, new.encode(), (new + "/.old").encode()), "pivot_root")
        os.chdir("/")
        _check(libc.umount2(b"/.old", MNT_DETACH), "umount old root")
        os.rmdir("/.old")
    else:  # no pivot_root number known: chroot, which holds once capabilities are gone
        os.chroot(new)
    _mount(libc, None, "/", None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def user_tasks() -> int:
    """Processes and threads this real uid runs now (RLIMIT_NPROC counts them all)."""
    uid, count = str(os.getuid()), 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("Uid", "").split()[:1] == [uid]:
            count += int(fields.get("Threads", "1"))
    return count


def set_limits(limits: Limits, already: int = 0) -> None:
    """Apply `limits`; `already` is how many tasks the process limit's uid runs elsewhere."""
    import resource

    wanted = {
        "RLIMIT_AS": limits.memory,
        "RLIMIT_NPROC": limits.processes + already,
        "RLIMIT_CPU": int(limits.notebook_timeout) + 5,
        "RLIMIT_FSIZE": limits.file_size,
        "RLIMIT_CORE": 0,
        "RLIMIT_NOFILE": limits.open_files,
    }
    for name, value in wanted.items():
        which = getattr(resource, name, None)
        if which is None:
            continue
        soft, hard = resource.getrlimit(which)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):  # e.g. macOS refuses RLIMIT_AS below current use
            pass


def drop_privileges(box: Box) -> None:
    libc = _libc()
    if box.uid is not None and os.geteuid() == 0:
        os.setgroups([])
        os.setgid(box.uid)
        os.setuid(box.uid)
    elif box.mode == USERNS:
        for cap in range(64):  # an empty bounding set: the kernel gets no capability at exec
            libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    if platform.system() == "Linux":
        libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)


def clean_env(box: Box) -> dict[str, str]:
    """The kernel's environment: nothing of the grader's (tokens, paths), only what it needs."""
    keep = {k: os.environ[k] for k in ("LANG", "LC_ALL", "TZ") if k in os.environ}
    return {
        **keep,
        "NBGRADER_EXECUTION": "autograde",  # as nbgrader sets it: nnkit.checks records comparisons
        "PATH": os.pathsep.join([os.path.dirname(sys.executable), "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": box.scratch,
        "TMPDIR": "/tmp" if box.mode != RLIMITS else box.scratch,
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "MPLCONFIGDIR": os.path.join(box.scratch, ".config", "matplotlib"),
        "IPYTHONDIR": os.path.join(box.scratch, ".ipython"),
        "JUPYTER_RUNTIME_DIR": os.path.join(box.scratch, ".runtime"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        # One thread per kernel: the grader runs one kernel per core.
        "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    }


def enter(box: Box, cmd: list[str]) -> None:
    """Confine this process as `box` says, then become `cmd`. Does not return."""
    # Without a uid of its own, the process limit counts every process of this user: allow
    # what runs already plus the sandbox's share (so concurrent sandboxes share the margin).
    already = user_tasks() if box.uid is None and Path("/proc/self/status").exists() else 0
    if box.mode in (ROOT, USERNS):
        build_root(box)
        # This process is PID 1 of the new PID namespace, which the kernel must not be: PID 1
        # ignores signals it has no handler for, even SIGSEGV and SIGKILL sent by itself. So
        # it stays behind as a minimal init that reaps orphans and exits with the kernel.
        child = os.fork()
        if child:
            _init(child)
    os.chdir(box.scratch)
    env = clean_env(box)
    set_limits(box.limits, already)
    drop_privileges(box)
    log = os.open(os.path.join(box.scratch, ".kernel.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 1)  # the kernel's own messages; the grader shows the end if it fails to start
    os.dup2(log, 2)
    os.close(log)
    os.execve(cmd[0], cmd, env)


def _init(kernel: int) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # interrupts are for the kernel (same group)
    signal.signal(signal.SIGTERM, lambda *_: os.kill(kernel, signal.SIGKILL))
    while True:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            os._exit(1)
        if pid == kernel:  # leaving ends the namespace: every process left in it is killed
            os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def main(argv: list[str]) -> None:
    if argv[1] == "--probe":  # `detect()`: can a private root be built here?
        build_root(Box(scratch=argv[2], mode=ROOT))
        return
    spec, separator, *cmd = argv[1:]
    assert separator == "--", "usage: sandbox.py SPEC.json -- COMMAND..."
    box = Box.from_json(Path(spec).read_text())
    enter(box, cmd)


if __name__ == "__main__":
    main(sys.argv)
