"""Where the course lives, which assignments it has, and how to run nbgrader on it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# In teaching order; also the folder names under source/ and release/.
ASSIGNMENTS = ("forward_propagation", "backpropagation", "gradient_checking", "optimizers", "mnist_mlp")


def available(root: Path = ROOT) -> list[str]:
    """The assignments whose instructor notebook exists under `root/source/`."""
    return [a for a in ASSIGNMENTS if (root / "source" / a / f"{a}.ipynb").is_file()]


def check_assignment(assignment: str, root: Path = ROOT) -> None:
    if assignment not in available(root):
        raise SystemExit(
            f"unknown assignment {assignment!r}; this course has: {', '.join(available(root))}"
        )


def nbgrader(root: Path, *args: str, log_level: str = "WARN") -> None:
    """Run an nbgrader command in the course folder `root`, whose nbgrader_config.py applies.

    Kernels start from PATH, so this interpreter's folder goes first: notebooks then run with
    the same packages as the command.
    """
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    subprocess.run([sys.executable, "-m", "nbgrader", *args, f"--log-level={log_level}"],
                   cwd=root, env=env, check=True)
