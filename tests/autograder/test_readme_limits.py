"""The README states the grading limits and supported Pythons the code enforces."""
from __future__ import annotations

import re

from autograder.course import ROOT, load_config
from autograder.grade import pythons, settings
from autograder.grade.sandbox import box

README = (ROOT / "README.md").read_text()


def _row(name: str) -> str:
    found = re.search(rf"^\| {re.escape(name)} \| ([^|]+) \|$", README, re.M)
    assert found, f"README has no limit row {name!r}"
    return found.group(1)


def test_readme_limits_are_the_ones_grading_uses():
    limits = settings.limits_from(load_config(ROOT))
    assert _row("time per cell").startswith(f"{limits.cell_timeout:g} s")
    assert _row("time per notebook").startswith(f"{limits.notebook_timeout:g} s")
    assert _row("memory").startswith(f"{limits.memory // box.GiB} GiB")
    assert _row("output kept per cell").startswith(f"{limits.output // box.MiB} MiB")
    assert _row("a file your code writes").startswith(f"{limits.file_size // box.MiB} MiB")


def test_readme_names_every_supported_python():
    supported = pythons.CoursePython(config=load_config(ROOT)).supported
    listed = re.search(r"Supported Pythons: ([^(]+)\(", README).group(1)
    assert re.findall(r"3\.\d+", listed) == supported
