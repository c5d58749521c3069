"""A venv with Colab's published package versions (`platforms/colab-runtime.txt`), built once.

The venv lives in `.venv-colab/<digest>/` (git-ignored) beside the repository, keyed by the
digest of the versions file, so a new pin builds a new venv and an unchanged file reuses the old
one. Building it needs the Python the file names (`# python: 3.13`) and the package index;
`python3 -m tests.notebooks.colab_runtime` (standard library only) builds it, and the one with
the classic Notebook front end, ahead of the tests.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VERSIONS = ROOT / "platforms" / "colab-runtime.txt"
CACHE = ROOT / ".venv-colab"
PYENV = Path.home() / ".pyenv" / "versions"
# An ipywidgets 7 front end to serve Colab's kernel in the browser test: the last Notebook 6.
CLASSIC_FRONT_END = ("notebook==6.5.7",)


RUNTIMES = ("default", "fallback")


def _fallback(path: Path) -> list[str]:
    """The parts of the file's `# fallback: python X.Y, name==version, ...` line."""
    for line in path.read_text().splitlines():
        if line.startswith("# fallback:"):
            return [part.strip() for part in line.split(":", 1)[1].split(",")]
    raise ValueError(f"{path} names no fallback runtime (a '# fallback: python X.Y, ...' line)")


def pins(runtime: str = "default", path: Path = VERSIONS) -> dict[str, str]:
    """{package name (lower case): version} of Colab's `runtime` ("default" or "fallback"): the
    file's `name==version` lines, with the fallback line's pins replacing theirs."""
    found = {}
    lines = [line.split("#", 1)[0].strip() for line in path.read_text().splitlines()]
    if runtime == "fallback":
        lines += [part for part in _fallback(path) if "==" in part]
    for line in filter(None, lines):
        name, _, version = line.partition("==")
        found[name.strip().lower()] = version.strip()
    return found


def python_version(runtime: str = "default", path: Path = VERSIONS) -> str:
    """The Python version of Colab's `runtime`: the file's `# python: X.Y` line, or the
    fallback line's `python X.Y`."""
    if runtime == "fallback":
        return next(part.split()[1] for part in _fallback(path) if part.startswith("python "))
    for line in path.read_text().splitlines():
        if line.startswith("# python:"):
            return line.split(":", 1)[1].strip()
    raise ValueError(f"{path} names no Python version (a '# python: X.Y' line)")


def find_python(version: str) -> str | None:
    """A working `pythonX.Y`: under pyenv's versions, else on PATH; None when absent. (pyenv's
    shim on PATH exists even when it has no such version to run, so each one is tried.)"""
    candidates = [str(p) for p in sorted(PYENV.glob(f"{version}.*/bin/python{version}"), reverse=True)]
    candidates.append(shutil.which(f"python{version}"))
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "-c", ""], capture_output=True).returncode == 0:
            return candidate
    return None


def colab_venv(extra: tuple[str, ...] = (), runtime: str = "default") -> Path:
    """The Python of a venv of Colab's `runtime` ("default" or "fallback"), building the venv
    first when this versions file has none yet.

    `extra` are requirements installed beside Colab's pins (e.g. a classic Notebook front end
    for the ipywidgets 7 browser test); they key the venv too.

    Raises LookupError when the machine has no Python of the file's version (the caller skips,
    saying so) and subprocess.CalledProcessError when pip cannot install the pins."""
    if runtime not in RUNTIMES:
        raise ValueError(f"no Colab runtime {runtime!r}; the runtimes are {', '.join(RUNTIMES)}")
    digest = hashlib.sha256(VERSIONS.read_bytes() + "\n".join((runtime, *extra)).encode()).hexdigest()[:16]
    venv = CACHE / digest
    python = venv / "bin" / "python"
    if (venv / ".installed").is_file():
        return python
    version = python_version(runtime)
    base = find_python(version)
    if base is None:
        raise LookupError(f"no python{version} on PATH or in {PYENV} for Colab's {runtime} runtime")
    shutil.rmtree(venv, ignore_errors=True)  # a build cut short leaves a half venv
    subprocess.run([base, "-m", "venv", str(venv)], check=True)
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    requirements = [f"{name}=={version}" for name, version in pins(runtime).items()]
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", *requirements, *extra], check=True, env=env)
    (venv / ".installed").write_text(VERSIONS.read_text())
    return python


def kernel_specs(python: Path, folder: Path):
    """A kernel spec manager over `folder` whose kernel "colab" runs `python` (the venv's)."""
    from jupyter_client.kernelspec import KernelSpecManager

    (folder / "colab").mkdir(parents=True, exist_ok=True)
    (folder / "colab" / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Colab's versions", "language": "python"}))
    return KernelSpecManager(kernel_dirs=[str(folder)], ensure_native_kernel=False)


if __name__ == "__main__":  # builds both venvs ahead of the tests (.ci/run); needs the index
    try:
        for extra, runtime in (((), "default"), (CLASSIC_FRONT_END, "default"), ((), "fallback")):
            print(colab_venv(extra, runtime))
    except LookupError as missing:
        sys.exit(f"{missing}; the Colab tests will be skipped")
