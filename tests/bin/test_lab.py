"""bin/lab, behind `make lab`: the student environment's JupyterLab on the bundle, as root or not."""
import importlib.machinery
import importlib.util
import os
import shutil
import subprocess
import sys

import pytest

from autograder.release.bundle import CourseBundle, write_bundle
from autograder.course import ROOT

LAB = ROOT / "bin" / "lab"


def load_lab():
    loader = importlib.machinery.SourceFileLoader("bin_lab", str(LAB))
    spec = importlib.util.spec_from_loader("bin_lab", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def dry_run(*args, cwd):
    done = subprocess.run([sys.executable, str(LAB), "--dry-run", *args], cwd=cwd,
                          capture_output=True, text=True)
    return done.returncode, done.stdout.splitlines(), done.stderr


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "course").mkdir()
    (tmp_path / "requirements.txt").write_text("jupyterlab==4.6.6\n")
    return tmp_path


def test_first_run_creates_the_venv_installs_and_starts_its_jupyterlab_on_the_folder(folder):
    code, lines, _ = dry_run("--venv", "env", "course", cwd=folder)
    assert code == 0
    assert lines[0].endswith("-m venv env")
    assert lines[1] == "env/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt"
    assert "nnkit.jupyter_settings import install" in lines[2]  # Notebook 7's arrow keys for sliders
    assert lines[3].startswith("env/bin/jupyter lab course")
    assert len(lines) == 4


def test_as_root_jupyterlab_gets_allow_root_and_as_a_user_it_does_not(folder):
    _, lines, _ = dry_run("course", cwd=folder)
    assert ("--allow-root" in lines[-1].split()) == (os.geteuid() == 0)
    lab = load_lab()
    requirements = folder / "requirements.txt"
    assert lab.commands(folder, folder / ".venv", requirements, uid=0)[-1][-1] == "--allow-root"
    assert "--allow-root" not in lab.commands(folder, folder / ".venv", requirements, uid=1000)[-1]


def test_other_options_go_to_jupyterlab(folder):
    _, lines, _ = dry_run("course", "--no-browser", "--port=8899", cwd=folder)
    assert lines[-1].split()[:5] == [".venv/bin/jupyter", "lab", "course", "--no-browser", "--port=8899"]


def test_an_environment_built_from_the_same_requirements_is_reused(folder):
    (folder / ".venv" / "bin").mkdir(parents=True)
    (folder / ".venv" / "bin" / "python").touch()
    (folder / ".venv" / ".requirements-installed").write_text("jupyterlab==4.6.6\n")
    _, lines, _ = dry_run(".", cwd=folder)
    assert len(lines) == 1 and lines[0].startswith(".venv/bin/jupyter lab .")
    (folder / "requirements.txt").write_text("jupyterlab==4.6.6\nnotebook==7.6.5\n")
    _, lines, _ = dry_run(".", cwd=folder)
    assert "pip install" in lines[0]  # changed requirements are installed again


def test_a_missing_folder_or_requirements_file_is_named(folder):
    code, _, err = dry_run("nowhere", cwd=folder)
    assert code != 0 and "the folder nowhere does not exist" in err
    code, _, err = dry_run("--requirements", "student.txt", "course", cwd=folder)
    assert code != 0 and "the requirements file student.txt does not exist" in err


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_lab_in_the_bundle_runs_bin_lab_with_the_bundle_requirements(tmp_path):
    folder, _ = write_bundle(CourseBundle(url="https://example.org/s.zip", folder=str(tmp_path / "student")))
    shown = subprocess.run(["make", "-n", "lab"], cwd=folder, capture_output=True, text=True, check=True).stdout
    assert "bin/lab --venv .venv --requirements requirements.txt ." in shown
    code, lines, _ = dry_run(cwd=folder)  # what that runs, with its defaults
    assert code == 0 and "requirements.txt" in lines[-3] and lines[-1].startswith(".venv/bin/jupyter lab .")


def test_a_failed_environment_step_stops_with_what_to_do(folder):
    done = subprocess.run([sys.executable, str(LAB), "--venv", "/proc/no-venv-here", "course"], cwd=folder,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "-m venv /proc/no-venv-here` failed" in done.stderr and "delete /proc/no-venv-here" in done.stderr
