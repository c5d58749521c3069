"""The sandbox's first process: confines itself, starts the kernel, stays behind as its init.

`box.wrap` runs this file's text, after cgroup.py's, with `python -I -c` (so no path of the
course is on its command line), inside new namespaces, with the spec `box.Box` wrote. Before the kernel starts:

1. as root, makes a cgroup of its own (`cgroup.py`): memory and processes of the whole sandbox;
2. builds a private root file system on a tmpfs: the system (`/usr`, `/lib`, `/etc`, ...) and the
   Python environment read-only (a virtual environment at `/venv`), the scratch directory as a
   tmpfs of its own, size- and inode-limited, holding a copy of what the grader put there, the
   course helpers read-only, the kernel's socket folder and log bound from the host; a fresh
   `/proc`, a few `/dev` nodes and a small `/tmp`; nothing else of the host exists there;
3. sets resource limits: address space, processes, CPU time, file size, core dumps, open files;
4. drops privileges: as root, to a uid of its own per sandbox; in a user namespace, by emptying
   the capability bounding set;
5. replaces the environment with a minimal one and executes the kernel.
The init seals the socket folder read-only once the kernel's sockets exist (the only host
folder the kernel could write to), and when the kernel ends kills what is left and removes the
cgroup. It imports nothing beyond the standard library.
"""
import ctypes
import ctypes.util
import json
import os
import platform
import shutil
import signal
import stat
import sys
import time
from pathlib import Path

# Modes, strongest first.
ROOT = "root"        # Linux as root: namespaces, private root, separate uid per sandbox
USERNS = "userns"    # Linux unprivileged with user namespaces: same, but the instructor's uid
RLIMITS = "rlimits"  # anything else (macOS, Linux without namespaces): limits and a clean env only

VENV = "/venv"              # where the sandbox sees the grader's virtual environment
SPEC, LOG, KERNEL_DIR = ".sandbox.json", ".kernel.log", ".kernel"  # in the scratch directory
KERNEL_SOCKETS = 5          # shell, iopub, stdin, control, heartbeat: bound before any cell runs
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt")
DEVICES = ("null", "zero", "full", "random", "urandom")

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP = 38, 24
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "riscv64": 41}

try:  # imported as a module; run as the sandbox's text (box.wrap), cgroup.py's text comes first
    from autograder.grade.sandbox.cgroup import MEMORY_LIMIT_EXIT, make_cgroups, oom_kills, remove_cgroups
except ImportError:
    pass


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


# --- the private root ----------------------------------------------------------------------------

def _copy_scratch(spec: dict, target: str) -> None:
    """What the grader put in the scratch directory, on the sandbox's own tmpfs (not the bound parts)."""
    skip = {SPEC, LOG, KERNEL_DIR, *spec["protected"]}
    uid = spec["uid"] if spec["uid"] is not None else os.getuid()
    for entry in os.listdir(spec["scratch"]):
        if entry in skip:
            continue
        source, copy = os.path.join(spec["scratch"], entry), os.path.join(target, entry)
        if os.path.isdir(source) and not os.path.islink(source):
            shutil.copytree(source, copy, symlinks=True)
        else:
            shutil.copy2(source, copy, follow_symlinks=False)
    for folder, dirs, files in os.walk(target):
        for name in [*dirs, *files]:
            path = os.path.join(folder, name)
            if name.startswith("fontlist-") and name.endswith(".json"):  # matplotlib's font cache
                text = Path(path).read_text()
                for host, alias in spec["aliases"].items():
                    text = text.replace(host + "/", alias + "/").replace(os.path.realpath(host) + "/", alias + "/")
                Path(path).write_text(text)
            os.lchown(path, uid, uid)


def build_root(spec: dict) -> None:
    """Make a private root holding only the system, Python and the scratch directory."""
    libc, scratch, limits = _libc(), spec["scratch"], spec["limits"]
    _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)
    new = scratch + ".root"
    os.makedirs(new, exist_ok=True)
    _mount(libc, "tmpfs", new, "tmpfs", MS_NOSUID | MS_NODEV, f"size={limits['tmp_size']},mode=755")
    for tmp in ("/tmp", "/dev/shm"):  # before the binds: the venv may live under /tmp
        os.makedirs(new + tmp, exist_ok=True)
        _mount(libc, "tmpfs", new + tmp, "tmpfs", MS_NOSUID | MS_NODEV, f"size={limits['tmp_size']},mode=1777")
    sources = [d for d in SYSTEM_DIRS if os.path.isdir(d) and not os.path.islink(d)]
    for source in sorted(set(sources + spec["readonly"]), key=len):
        _bind(libc, source, new + source, readonly=True)
    for host, alias in spec["aliases"].items():
        _bind(libc, host, new + alias, readonly=True)
    for name in [d for d in SYSTEM_DIRS if os.path.islink(d)]:  # e.g. /bin -> usr/bin
        os.symlink(os.readlink(name), new + name)
    for name in DEVICES:
        _bind(libc, f"/dev/{name}", f"{new}/dev/{name}", readonly=False)
    uid = spec["uid"] if spec["uid"] is not None else os.getuid()
    os.makedirs(new + scratch, exist_ok=True)
    _mount(libc, "tmpfs", new + scratch, "tmpfs", MS_NOSUID | MS_NODEV,
           f"size={limits['scratch_size']},nr_inodes={limits['scratch_files']},mode=700,uid={uid},gid={uid}")
    _copy_scratch(spec, new + scratch)
    for name in spec["protected"]:  # the course helpers and data: a submission cannot rewrite them
        if os.path.isdir(os.path.join(scratch, name)):
            _bind(libc, os.path.join(scratch, name), new + os.path.join(scratch, name), readonly=True)
    for name in (KERNEL_DIR, LOG):  # what the grader reads: sockets, connection file, the kernel's log
        if os.path.exists(os.path.join(scratch, name)):
            _bind(libc, os.path.join(scratch, name), new + os.path.join(scratch, name), readonly=False)
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
        os.chdir("/")
    _mount(libc, None, "/", None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def _sockets(folder: str) -> set[tuple[str, int]]:
    found = set()
    for name in os.listdir(folder):
        info = os.lstat(os.path.join(folder, name))
        if stat.S_ISSOCK(info.st_mode):
            found.add((name, info.st_ino))
    return found


def _seal(folder: str, stale: set[tuple[str, int]]) -> bool:
    """Make the kernel's socket folder read-only once its sockets exist (not counting `stale`
    ones an earlier kernel left); True when done."""
    try:
        if len(_sockets(folder) - stale) < KERNEL_SOCKETS:
            return False
        _mount(_libc(), None, folder, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
        return True
    except OSError:  # a file still open for writing there (EBUSY): try again
        return False


# --- limits, privileges, environment --------------------------------------------------------------

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


def set_limits(limits: dict, already: int = 0) -> None:
    """Apply `limits` (box.Limits as a dict); `already` is how many tasks the uid runs elsewhere."""
    import resource

    wanted = {
        "RLIMIT_AS": limits["memory"],
        "RLIMIT_NPROC": limits["processes"] + already,
        "RLIMIT_CPU": int(limits["notebook_timeout"]) + 5,
        "RLIMIT_FSIZE": limits["file_size"],
        "RLIMIT_CORE": 0,
        "RLIMIT_NOFILE": limits["open_files"],
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


def drop_privileges(spec: dict) -> None:
    libc = _libc()
    if spec["uid"] is not None and os.geteuid() == 0:
        os.setgroups([])
        os.setgid(spec["uid"])
        os.setuid(spec["uid"])
    elif spec["mode"] == USERNS:
        for cap in range(64):  # an empty bounding set: the kernel gets no capability at exec
            libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    if platform.system() == "Linux":
        libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)


def clean_env(spec: dict, cmd: list[str]) -> dict[str, str]:
    """The kernel's environment: nothing of the grader's (tokens, paths), only what it needs."""
    keep = {k: os.environ[k] for k in ("LANG", "LC_ALL", "TZ") if k in os.environ}
    scratch = spec["scratch"]
    return {
        **keep,
        "NBGRADER_EXECUTION": "autograde",  # as nbgrader sets it: nnkit.checks records comparisons
        "PATH": os.pathsep.join([os.path.dirname(cmd[0]), "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": scratch,
        "TMPDIR": "/tmp" if spec["mode"] != RLIMITS else scratch,
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "MPLCONFIGDIR": os.path.join(scratch, ".config", "matplotlib"),
        "IPYTHONDIR": os.path.join(scratch, ".ipython"),
        "JUPYTER_RUNTIME_DIR": os.path.join(scratch, ".runtime"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        # One thread per kernel: the grader runs one kernel per core.
        "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    }


def enter(spec: dict, cmd: list[str]) -> None:
    """Confine this process as `spec` says, then become `cmd`. Does not return."""
    # Without a uid of its own, the process limit counts every process of this user: allow
    # what runs already plus the sandbox's share (so concurrent sandboxes share the margin).
    already = user_tasks() if spec["uid"] is None and Path("/proc/self/status").exists() else 0
    groups: list[tuple[int, str, int]] = []
    if spec["mode"] in (ROOT, USERNS):
        if spec["mode"] == ROOT:
            groups = make_cgroups(spec["limits"])
        build_root(spec)
        # This process is PID 1 of the new PID namespace, which the kernel must not be: PID 1
        # ignores signals it has no handler for, even SIGSEGV and SIGKILL sent by itself. So
        # it stays behind as a minimal init that reaps orphans and exits with the kernel.
        folder = os.path.join(spec["scratch"], KERNEL_DIR)
        stale = _sockets(folder) if os.path.isdir(folder) else None  # before the kernel binds any
        child = os.fork()
        if child:
            _init(child, spec, groups, stale)
        for parent, _, procs in groups:
            os.write(procs, b"0")  # this process, and all it starts, into the sandbox's cgroup
            os.close(procs)
            os.close(parent)
    os.chdir(spec["scratch"])
    env = clean_env(spec, cmd)
    set_limits(spec["limits"], already)
    drop_privileges(spec)
    log = os.open(os.path.join(spec["scratch"], LOG), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 1)  # the kernel's own messages; the grader shows the end if it fails to start
    os.dup2(log, 2)
    os.close(log)
    os.execve(cmd[0], cmd, env)


def _init(kernel: int, spec: dict, groups: list[tuple[int, str, int]], stale: set | None) -> None:
    """Reap orphans; seal the socket folder once the kernel's sockets exist (None: no folder to
    seal); when the kernel ends, kill what is left, remove the cgroup, exit with its status."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # interrupts are for the kernel (same group)
    signal.signal(signal.SIGTERM, lambda *_: os.kill(kernel, signal.SIGKILL))
    sockets = os.path.join(spec["scratch"], KERNEL_DIR)
    sealed = stale is None
    while True:
        try:
            pid, status = os.waitpid(-1, 0 if sealed else os.WNOHANG)
        except ChildProcessError:
            pid, status = kernel, 1 << 8
        if pid == 0:
            sealed = _seal(sockets, stale)
            time.sleep(0 if sealed else 0.05)
        elif pid == kernel:  # leaving ends the namespace; first make sure the cgroup is empty
            try:
                os.kill(-1, signal.SIGKILL)  # as PID 1: every other process of this namespace
            except ProcessLookupError:  # there was none
                pass
            while True:
                try:
                    os.wait()
                except ChildProcessError:
                    break
            killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL and oom_kills(groups)
            remove_cgroups(groups)
            own = os.waitstatus_to_exitcode(status) & 0xFF
            # A kernel's os._exit(120) must not read as the memory limit: its own 120 becomes 1.
            os._exit(MEMORY_LIMIT_EXIT if killed else 1 if own == MEMORY_LIMIT_EXIT else own)


def main(argv: list[str]) -> None:
    if argv[1] == "--probe":  # `box.detect()`: can a private root be built here?
        build_root({"scratch": argv[2], "mode": ROOT, "uid": None, "readonly": [], "aliases": {},
                    "protected": [], "limits": {"tmp_size": 1 << 20, "scratch_size": 1 << 20,
                                                "scratch_files": 100}})
        return
    spec_file, separator, *cmd = argv[1:]
    assert separator == "--", "usage: confine.py SPEC.json -- COMMAND..."
    spec = json.loads(Path(spec_file).read_text())
    os.unlink(spec_file)  # it names the host's folders; the kernel has no need to read it
    enter(spec, cmd)


if __name__ == "__main__":
    main(sys.argv)
