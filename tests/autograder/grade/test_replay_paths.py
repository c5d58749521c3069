"""No path of the grading machine reaches a student's feedback through the outputs Replay puts in."""
from __future__ import annotations

import sys
import sysconfig

import nbformat

from autograder.course import ROOT
from autograder.grade.preprocessors.replay import machine_paths, without_paths


def test_a_traceback_through_installed_packages_shows_module_paths_only():
    site = sysconfig.get_paths()["purelib"]
    error = nbformat.from_dict({"output_type": "error", "ename": "OSError", "evalue": "out of pty devices",
                                "traceback": [f"File {site}/IPython/utils/_process_posix.py:129, in system",
                                              f"File {sys.base_prefix}/lib/subprocess.py:1, in run",
                                              f"File {ROOT}/nnkit/steps.py:3, in batch"]})
    cleaned = without_paths(error, machine_paths(str(ROOT)))
    text = "\n".join(cleaned.traceback)
    assert "IPython/utils/_process_posix.py:129" in text and "<course>/nnkit/steps.py" in text
    for where in (sys.prefix, sys.base_prefix, str(ROOT), site):
        assert where not in text
    assert error.traceback[0].startswith(f"File {site}")  # the executed notebook itself is left as it was


def test_streams_and_text_results_lose_machine_paths_and_pictures_are_untouched():
    paths = machine_paths(str(ROOT))
    stream = without_paths({"output_type": "stream", "name": "stderr",
                            "text": f"{sys.prefix}/lib/x.py:3: RuntimeWarning: overflow\n"}, paths)
    shown = without_paths({"output_type": "display_data", "metadata": {},
                           "data": {"text/plain": [f"{ROOT}/data"], "image/png": "iVBO"}}, paths)
    assert sys.prefix not in stream["text"] and shown["data"] == {"text/plain": ["<course>/data"], "image/png": "iVBO"}
