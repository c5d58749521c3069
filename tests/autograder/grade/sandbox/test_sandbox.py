"""What a process started in a sandbox can see and use (no kernel: plain `python -c`)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.grade.sandbox import box as sandbox
from autograder.grade.sandbox import cgroup

ROOT = Path(__file__).resolve().parents[4]
MODE = sandbox.detect()
needs_namespaces = pytest.mark.skipif(MODE not in (sandbox.ROOT, sandbox.USERNS),
                                      reason="needs Linux namespaces (see autograder/README.md)")


@pytest.fixture
def run_boxed(tmp_path_factory):
    made = []

    def run(code: str, limits: sandbox.Limits | None = None) -> str:
        scratch = Path(tmp_path_factory.mktemp("scratch"))
        made.append(scratch)
        box = sandbox.new_box(scratch, limits)
        env = dict(os.environ, GRADER_SECRET="s3cret")
        done = subprocess.run(sandbox.wrap([sys.executable, "-c", code], box), env=env,
                              capture_output=True, text=True, timeout=60)
        log = scratch / ".kernel.log"
        output = log.read_text() if log.exists() else done.stdout + done.stderr
        assert done.returncode == 0, output
        run.scratch = scratch
        return output

    yield run
    for scratch in made:
        shutil.rmtree(str(scratch) + ".root", ignore_errors=True)


def test_detect_names_a_mode_this_machine_supports():
    assert MODE in (sandbox.ROOT, sandbox.USERNS, sandbox.RLIMITS)


def test_environment_of_the_grader_is_not_passed_on(run_boxed):
    out = run_boxed("import os; print(sorted(os.environ))")
    assert "GRADER_SECRET" not in out and "HOME" in out


def test_limits_are_set(run_boxed):
    limits = sandbox.Limits(memory=512 * sandbox.MiB, processes=32)
    out = run_boxed("import resource as r; print(r.getrlimit(r.RLIMIT_AS)[0], r.getrlimit(r.RLIMIT_NPROC)[0],"
                    " r.getrlimit(r.RLIMIT_CORE)[0])", limits)
    memory, processes, core = out.split()
    assert memory == str(512 * sandbox.MiB) and core == "0"
    assert int(processes) == 32 if MODE == sandbox.ROOT else int(processes) >= 32


@needs_namespaces
def test_course_folder_and_other_scratch_folders_are_invisible(run_boxed, tmp_path):
    other = tmp_path / "other-student"
    other.mkdir()
    (other / "answer.txt").write_text("x")
    # `make` keeps the environment in the course folder (.venv/): the sandbox sees it at /venv.
    out = run_boxed(f"import os; print([os.path.exists(p) for p in ({str(ROOT)!r}, {str(other)!r}, "
                    f"{str(ROOT / 'source')!r}, {str(ROOT / 'gradebook.db')!r}, '/home')])")
    assert out.strip() == "[False, False, False, False, False]"


@needs_namespaces
def test_scratch_folder_is_writable_and_the_system_is_not(run_boxed):
    out = run_boxed("import os\nopen('mine.txt', 'w').write('ok')\n"
                    "try:\n    open('/usr/evil', 'w')\nexcept OSError as e:\n    print('blocked', e.errno)")
    assert "blocked" in out


@needs_namespaces
def test_there_is_no_network(run_boxed):
    out = run_boxed("import socket\ntry:\n    socket.create_connection(('1.1.1.1', 53), timeout=2)\n"
                    "except OSError as e:\n    print('no network', e.errno)")
    assert "no network" in out


@needs_namespaces
def test_no_capabilities_are_left(run_boxed):
    out = run_boxed("print(open('/proc/self/status').read().split('CapEff:')[1].split()[0])")
    assert int(out.strip(), 16) == 0


@pytest.mark.skipif(MODE != sandbox.ROOT, reason="a uid of its own needs root")
def test_as_root_the_process_runs_as_a_user_of_its_own(run_boxed):
    uid = int(run_boxed("import os; print(os.getuid())"))
    assert uid >= 2_000_000


@needs_namespaces
def test_process_flood_is_refused(run_boxed):
    out = run_boxed("import subprocess\nps = []\ntry:\n    while len(ps) < 2000:\n"
                    "        ps.append(subprocess.Popen(['sleep', '30']))\nexcept OSError:\n    pass\n"
                    "print(len(ps))", sandbox.Limits(processes=32))
    assert int(out.split()[-1]) < 32


def test_memory_flood_is_refused(run_boxed):
    out = run_boxed("blocks = []\ntry:\n    while len(blocks) < 160:\n"
                    "        blocks.append(bytearray(100 * 2**20))\nexcept MemoryError:\n    pass\n"
                    "print(len(blocks))", sandbox.Limits(memory=512 * sandbox.MiB))
    assert int(out.split()[-1]) < 6


# --- attacks on the limits and on what the sandbox shows (issue 23, kinds 4 and 6) -------------

def _course_paths() -> list[str]:
    """Folders whose path would tell a student where the course lies on the grading machine."""
    return sorted({str(ROOT), os.path.realpath(ROOT), os.path.realpath(sys.prefix), sys.prefix})


READ_PROC = """
import os, sys
seen = [sys.executable, *sys.path]
for pid in [p for p in os.listdir('/proc') if p.isdigit()] + ['self']:
    for name in ('cmdline', 'environ', 'maps', 'mountinfo'):
        try:
            seen.append((name, open(f'/proc/{pid}/{name}', 'rb').read().decode('utf-8', 'replace')))
        except OSError:
            pass
    for link in ('cwd', 'exe', 'root'):
        try:
            seen.append((link, os.readlink(f'/proc/{pid}/{link}')))
        except OSError:
            pass
"""


def _leaks(out: str) -> list[str]:
    return [path for path in _course_paths() if path in out]


@needs_namespaces
def test_no_course_path_in_any_proc_entry_but_mountinfo(run_boxed):
    out = run_boxed(READ_PROC + "print(len(seen)); print([s for s in seen if not isinstance(s, tuple) "
                                "or s[0] != 'mountinfo'])")
    count, shown = out.split("\n", 1)
    assert int(count) > 10  # it read its own entries and PID 1's, as far as its uid may
    assert _leaks(shown) == []
    assert "/venv/bin/python" in shown  # the environment, where the sandbox sees it


@pytest.mark.notebook
@needs_namespaces
def test_a_kernel_finds_no_course_path_in_proc_and_cannot_write_beside_its_sockets():
    from autograder.grade.sandbox import execute
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell(READ_PROC + "print([s for s in seen if not isinstance(s, tuple) "
                                                       "or s[0] != 'mountinfo'])"),
                             new_code_cell("try:\n    open('.kernel/flood', 'w')\n    print('written')\n"
                                           "except OSError as e:\n    print('refused', e.errno)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    task = execute.Task("student", "a", "nb", nbformat.writes(nb), str(ROOT),
                        limits=sandbox.Limits(cell_timeout=20, notebook_timeout=60))
    ran = nbformat.reads(execute.run(task).notebook, as_version=4)
    assert _leaks(ran.cells[0].outputs[0].text) == []
    assert ran.cells[1].outputs[0].text.startswith("refused")


def _cgroups() -> bool:
    try:
        return MODE == sandbox.ROOT and "memory" in cgroup.parents()
    except OSError:
        return False


needs_cgroups = pytest.mark.skipif(not _cgroups(), reason="a cgroup per sandbox needs root and a memory controller")


@needs_cgroups
def test_the_sandbox_has_a_cgroup_of_its_own_and_it_is_removed_after(run_boxed):
    out = run_boxed("print(open('/proc/self/cgroup').read())")
    mine = {line.split(":", 2)[2] for line in out.splitlines() if "autograder-" in line}
    assert mine, out
    for version, folder in cgroup.parents().values():
        leftover = [name for name in os.listdir(folder) if any(name in path for path in mine)]
        assert leftover == []


@needs_cgroups
def test_several_processes_together_cannot_exceed_the_memory_limit(run_boxed):
    # Each child holds 200 MiB (below the per-process address-space limit); four would hold 800.
    hold = "b = b'x' * (200 << 20); import time; time.sleep(4)"
    out = run_boxed("import subprocess, sys\n"
                    f"ps = [subprocess.Popen([sys.executable, '-c', {hold!r}]) for _ in range(4)]\n"
                    "print(sum(p.wait() == 0 for p in ps))", sandbox.Limits(memory=512 * sandbox.MiB))
    assert int(out.split()[-1]) <= 2


@needs_cgroups
def test_a_process_the_memory_limit_kills_is_reported_as_such_not_as_a_crash(tmp_path):
    # The sandbox's first process holds 300 MiB, then starts children of 100 MiB each: together
    # they pass the cgroup's 576 MiB (512 + an eighth), and the biggest, the first, is killed.
    hold = "b = b'x' * (100 << 20); import time; time.sleep(30)"
    code = ("import subprocess, sys, time\nb = b'x' * (300 << 20)\n"
            f"ps = [subprocess.Popen([sys.executable, '-c', {hold!r}]) for _ in range(4)]\ntime.sleep(30)")
    box = sandbox.new_box(tmp_path / "scratch", sandbox.Limits(memory=512 * sandbox.MiB))
    try:
        done = subprocess.run(sandbox.wrap([sys.executable, "-c", code], box), capture_output=True, timeout=90)
    finally:
        shutil.rmtree(str(tmp_path / "scratch") + ".root", ignore_errors=True)
    assert done.returncode == cgroup.MEMORY_LIMIT_EXIT


@needs_cgroups
def test_a_process_killed_otherwise_keeps_its_own_status(tmp_path):
    box = sandbox.new_box(tmp_path / "scratch")
    try:
        done = subprocess.run(sandbox.wrap([sys.executable, "-c", "import os; os.kill(os.getpid(), 9)"], box),
                              capture_output=True, timeout=60)
    finally:
        shutil.rmtree(str(tmp_path / "scratch") + ".root", ignore_errors=True)
    assert done.returncode == 256 - 9


@needs_namespaces
def test_the_scratch_folder_has_a_size_and_a_file_quota_and_the_host_disk_gets_nothing(run_boxed):
    limits = sandbox.Limits(scratch_size=8 * sandbox.MiB, scratch_files=200)
    out = run_boxed("import os\nsize = files = 0\ntry:\n    with open('big', 'wb') as f:\n"
                    "        while size < 64:\n            f.write(b'x' * 2**20); f.flush(); size += 1\n"
                    "except OSError:\n    pass\nos.remove('big')\ntry:\n    while files < 5000:\n"
                    "        open(f'f{files}', 'w').close(); files += 1\nexcept OSError:\n    pass\n"
                    "print(size, files)", limits)
    size, files = map(int, out.split()[-2:])
    assert size <= 8 and files <= 200
    assert not [p for p in run_boxed.scratch.iterdir() if p.name.startswith("f")]  # all of it on the tmpfs


SPINS = 6  # seconds each busy loop runs
# Thirty busy children, each in a session of its own: with one scheduling group per session
# (autogroup), thirty groups against the neighbour's one.
SPINNERS = ("import resource, subprocess, sys\n"
            f"loop = 'import time\\nt = time.time()\\nwhile time.time() - t < {SPINS}: pass'\n"
            "kids = [subprocess.Popen([sys.executable, '-c', loop], start_new_session=True) for _ in range(30)]\n"
            "for kid in kids: kid.wait()\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime)")
ONE_LOOP = ("import resource, time\nt = time.time()\n"
            f"while time.time() - t < {SPINS}: pass\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_utime)")


@needs_cgroups
def test_a_sandbox_that_starts_many_sessions_takes_no_more_cpu_than_its_neighbour(tmp_path):
    # Two sandboxes at once, each in a session of its own as jupyter_client starts kernels.
    # Compared with each other, not with the clock, so other load on the machine cancels out.
    runs = []
    for name, code in (("spinners", SPINNERS), ("neighbour", ONE_LOOP)):
        scratch = tmp_path / name
        scratch.mkdir()
        box = sandbox.new_box(scratch, None)
        runs.append((scratch, subprocess.Popen(sandbox.wrap([sys.executable, "-c", code], box),
                                               start_new_session=True, stdout=subprocess.DEVNULL,
                                               stderr=subprocess.DEVNULL)))
    used = []
    for scratch, process in runs:
        assert process.wait(timeout=120) == 0
        used.append(float((scratch / ".kernel.log").read_text().split()[-1]))
        shutil.rmtree(str(scratch) + ".root", ignore_errors=True)
    spinners, neighbour = used
    # A fair share per sandbox gives the neighbour its one core's worth, or half the machine on
    # one core; thirty sessions of the other sandbox must not leave it a thirtieth.
    assert spinners <= 4 * neighbour, f"the spinners used {spinners:.1f} s of CPU, their neighbour {neighbour:.1f} s"


@needs_namespaces
def test_a_process_exiting_with_the_memory_limits_status_itself_is_not_reported_as_the_memory_limit(tmp_path):
    # The student's code chooses its own exit status: os._exit(120) read as the memory limit.
    box = sandbox.new_box(tmp_path / "scratch")
    try:
        done = subprocess.run(sandbox.wrap([sys.executable, "-c", f"import os; os._exit({cgroup.MEMORY_LIMIT_EXIT})"],
                                           box), capture_output=True, timeout=60)
    finally:
        shutil.rmtree(str(tmp_path / "scratch") + ".root", ignore_errors=True)
    assert done.returncode == 1
