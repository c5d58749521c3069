"""One cgroup per sandbox: the memory, the processes and the CPU share of all its processes together.

Run inside the sandbox's first process (as part of its text, see confine.py), as root, before
the private root hides /sys: it makes a cgroup under the grader's own, in cgroup v2 (`memory.max`,
`memory.swap.max`, `pids.max`, and the cpu controller's default weight) or in v1's memory, pids
and cpu hierarchies (`memory.limit_in_bytes`, `memory.memsw.limit_in_bytes`, `pids.max`, the
default `cpu.shares`). The CPU share is one per sandbox whatever its processes do: without it the
scheduler shares per session (autogroup), and a submission that starts thirty processes in
sessions of their own takes thirty shares from the kernels graded beside it. The cpu controller
is used where it can be and skipped where it cannot. It keeps a descriptor of each parent folder so the
init can remove it once the kernel and everything it started are gone, and removes what earlier
sandboxes left when their init was killed. Where none can be made (not root, no memory
controller, a v2 cgroup that holds processes itself and so cannot delegate), RLIMIT_AS alone
limits memory, per process. Standard library only, and no `from __future__` (the text is joined).
"""
import os
import secrets
import time
from pathlib import Path

CGROUP_PREFIX = "autograder-"
# The sandbox's exit status when its kernel was killed and its cgroup's memory limit killed a
# process: the kernel's own exits are 0-2 and, killed by a signal, 128 and above.
MEMORY_LIMIT_EXIT = 120
CONTROLLERS = ("memory", "pids", "cpu")
OPTIONAL = {"cpu"}  # a fair CPU share where the controller can be used; memory is what must hold


def parents() -> dict[str, tuple[str, str]]:
    """controller -> (cgroup version, this process's cgroup folder) for `CONTROLLERS`."""
    mounts: dict[str, str] = {}
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        left, _, right = line.partition(" - ")
        point, (fstype, _, options) = left.split()[4], (right.split() + ["", "", ""])[:3]
        if fstype == "cgroup2":
            mounts["v2"] = point
        elif fstype == "cgroup":
            for option in set(options.split(",")) & set(CONTROLLERS):
                mounts[option] = point
    own = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(","):
            own[controller] = path
    found = {c: ("v1", mounts[c] + own[c]) for c in CONTROLLERS if c in mounts and c in own}
    if "memory" not in found and "v2" in mounts and "" in own:
        folder = mounts["v2"] + own[""]
        offered = Path(folder, "cgroup.controllers").read_text().split()
        wanted = [c for c in CONTROLLERS if c in offered]
        enabled = Path(folder, "cgroup.subtree_control").read_text().split()
        for controller in [c for c in wanted if c not in enabled]:
            try:  # fails where this cgroup holds processes itself
                Path(folder, "cgroup.subtree_control").write_text(f"+{controller}")
            except OSError:
                if controller not in OPTIONAL:
                    raise
                wanted.remove(controller)
        found = {c: ("v2", folder) for c in wanted}
    return found


def _sweep(folder: str) -> None:
    """Remove cgroups earlier sandboxes left when their init was killed (empty by then)."""
    for name in os.listdir(folder):
        owner = name[len(CGROUP_PREFIX):].split("-")[0]
        if name.startswith(CGROUP_PREFIX) and owner.isdigit() and not os.path.exists(f"/proc/{owner}"):
            try:
                os.rmdir(os.path.join(folder, name))
            except OSError:
                pass


def make_cgroups(limits: dict) -> list[tuple[int, str, int]]:
    """A cgroup of this sandbox's own per hierarchy, limited as `limits` says.

    Returns (parent folder fd, name, cgroup.procs fd) for each; [] where none can be made (not
    root, no memory controller, a v2 cgroup without delegation): then RLIMIT_AS alone applies.
    """
    try:
        found = parents()
    except OSError:
        return []
    me = os.readlink("/proc/self")  # the pid outside: /proc is still the host's here
    name = f"{CGROUP_PREFIX}{me}-{secrets.token_hex(4)}"
    made = []
    try:
        for folder in sorted({f for _, f in found.values()}):
            controllers = {c for c, (v, f) in found.items() if f == folder}
            try:
                _sweep(folder)
                os.mkdir(os.path.join(folder, name), 0o755)
            except OSError:
                if controllers <= OPTIONAL:  # a v1 cpu hierarchy we may not write: no CPU share
                    continue
                raise
            parent = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            made.append((parent, name, -1))
            versions = {v for c, (v, f) in found.items() if f == folder}
            settings = []
            # An eighth above the per-process limit: one process meets its own RLIMIT_AS first, a
            # MemoryError its cell can survive; several processes together are stopped here.
            memory = limits["memory"] + limits["memory"] // 8
            if "memory" in controllers:
                settings += ([("memory.max", memory), ("memory.swap.max", 0)] if "v2" in versions
                             else [("memory.limit_in_bytes", memory), ("memory.memsw.limit_in_bytes", memory)])
            if "pids" in controllers:
                settings.append(("pids.max", limits["processes"]))
            for key, value in settings:
                path = os.path.join(folder, name, key)
                if os.path.exists(path) or key not in ("memory.swap.max", "memory.memsw.limit_in_bytes"):
                    Path(path).write_text(str(value))
            procs = os.open(os.path.join(folder, name, "cgroup.procs"), os.O_WRONLY)
            made[-1] = (parent, name, procs)
        if "memory" not in found:
            raise OSError("no memory controller")
        return made
    except OSError:
        remove_cgroups(made)
        return []


def oom_kills(groups: list[tuple[int, str, int]]) -> int:
    """How many processes the memory limit of these cgroups killed: `oom_kill` of v2's
    memory.events or of v1's memory.oom_control (Linux 4.13 and later; 0 where neither says)."""
    killed = 0
    for parent, name, _ in groups:
        for key in ("memory.events", "memory.oom_control"):
            try:
                fd = os.open(os.path.join(name, key), os.O_RDONLY, dir_fd=parent)
            except OSError:
                continue
            with os.fdopen(fd) as counters:
                killed += sum(int(value) for key, value in (line.split() for line in counters) if key == "oom_kill")
    return killed


def remove_cgroups(groups: list[tuple[int, str, int]]) -> None:
    for parent, name, procs in groups:
        if procs >= 0:
            os.close(procs)
        for _ in range(50):  # the memory controller may take a moment after the last exit
            try:
                os.rmdir(name, dir_fd=parent)
                break
            except FileNotFoundError:
                break
            except OSError:
                time.sleep(0.02)
        os.close(parent)
