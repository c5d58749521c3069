"""What a process started in a sandbox can see and use (no kernel: plain `python -c`)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.grade.sandbox import box as sandbox

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
