"""A submission as each editor saves it, reproduced from the files those editors write.

Each function takes a notebook as JSON data (the perfect submission, as the release handed it
out, with every solution filled in) and returns the bytes that editor would save after the
student opened it, ran every cell and saved. What each writes, as seen in public notebooks
saved by it:

- JupyterLab 4 and Notebook 7 (one document model): nbformat 4.5, the cell ids and all cell
  metadata kept, one-space indent, `language_info` filled in by the kernel, outputs and
  execution counts; Notebook 7 users' collapsed/scrolled outputs, JupyterLab's collapsed
  headings and recorded execution timing in cell metadata.
- Colab (File > Download > .ipynb): nbformat 4.0 with no top-level cell ids, each cell's id in
  `metadata.id`, `outputId` and `colab` in the metadata of cells that printed, notebook metadata
  `colab` (`provenance`, `gpuType`), `accelerator`, kernelspec `python3` / "Python 3" without a
  language, two-space indent, keys in Colab's order (nbformat first, cells last).
- VS Code (Jupyter extension): notebook metadata `vscode.interpreter.hash`, a kernelspec named
  after the virtual environment, `execution_count` null on cells not run; the 2020 extension
  (vscode-jupyter#2325) also dropped every cell's metadata and wrote nbformat 4.2 without ids.
"""
from __future__ import annotations

import copy
import hashlib
import json

LANGUAGE_INFO = {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
                 "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
                 "pygments_lexer": "ipython3", "version": "3.11.9"}
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def _lines(text: str) -> list[str]:
    """Source as the list of lines Jupyter writes."""
    return text.splitlines(keepends=True)


def _run(nb: dict) -> dict:
    """Every code cell run once, in order, with the kinds of output this assignment prints."""
    nb = copy.deepcopy(nb)
    count = 0
    for cell in nb["cells"]:
        cell["source"] = _lines("".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"])
        if cell["cell_type"] != "code":
            continue
        count += 1
        cell["execution_count"] = count
        source = "".join(cell["source"])
        if "draw_graph" in source:
            cell["outputs"] = [{"output_type": "display_data", "metadata": {},
                                "data": {"image/png": PNG, "text/plain": ["<Figure size 640x480 with 1 Axes>"]}}]
        elif "check_close" in source:
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["\u2713 passed\n"]}]
        elif source.strip() and not source.strip().startswith(("def ", "import")):
            cell["outputs"] = [{"output_type": "execute_result", "execution_count": count, "metadata": {},
                                "data": {"text/plain": ["0.5"]}}]
    return nb


def jupyterlab4(nb: dict) -> bytes:
    nb = _run(nb)
    nb["metadata"]["language_info"] = LANGUAGE_INFO
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown" and "".join(cell["source"]).startswith("## "):
            cell["metadata"]["jp-MarkdownHeadingCollapsed"] = True
        elif cell["cell_type"] == "code":
            cell["metadata"]["execution"] = {"iopub.execute_input": "2026-11-30T09:12:01.123456Z",
                                             "iopub.status.busy": "2026-11-30T09:12:01.120000Z",
                                             "iopub.status.idle": "2026-11-30T09:12:01.200000Z",
                                             "shell.execute_reply": "2026-11-30T09:12:01.199000Z"}
    nb["nbformat"], nb["nbformat_minor"] = 4, 5
    return (json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def notebook7(nb: dict) -> bytes:
    nb = _run(nb)
    nb["metadata"]["language_info"] = LANGUAGE_INFO
    nb["metadata"]["toc-autonumbering"] = False
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and cell["outputs"]:
            cell["metadata"].update(collapsed=False, scrolled=True)
    return (json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def colab(nb: dict) -> bytes:
    nb = _run(nb)
    cells = []
    for index, old in enumerate(nb["cells"]):
        cell = {"cell_type": old["cell_type"], "source": old["source"],
                "metadata": dict(old["metadata"], id=f"{hashlib.sha1(old['id'].encode()).hexdigest()[:12]}")}
        if old["cell_type"] == "code":
            if old["outputs"]:
                cell["metadata"]["colab"] = {"base_uri": "https://localhost:8080/"}
                cell["metadata"]["outputId"] = f"{index:08x}-5c1e-4b2a-9f0d-3e4a5b6c7d8e"
            cell["execution_count"] = old["execution_count"]
            cell["outputs"] = old["outputs"]
        cells.append(cell)
    saved = {"nbformat": 4, "nbformat_minor": 0,
             "metadata": {"colab": {"provenance": [], "gpuType": "T4"},
                          "kernelspec": {"name": "python3", "display_name": "Python 3"},
                          "language_info": {"name": "python"}, "accelerator": "GPU"},
             "cells": cells}
    return json.dumps(saved, indent=2, ensure_ascii=False).encode()


def vscode(nb: dict) -> bytes:
    nb = _run(nb)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and not cell["outputs"]:
            cell["execution_count"] = None  # VS Code clears the count of a cell that printed nothing
    nb["metadata"] = {"kernelspec": {"display_name": ".venv", "language": "python", "name": "python3"},
                      "language_info": LANGUAGE_INFO,
                      "vscode": {"interpreter": {"hash": hashlib.sha256(b"/home/student/.venv").hexdigest()}}}
    return (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode()


def vscode_2020(nb: dict) -> bytes:
    """The 2020 extension: every cell's metadata and id dropped, nbformat 4.2."""
    nb = json.loads(vscode(nb))
    for cell in nb["cells"]:
        cell["metadata"] = {}
        del cell["id"]
    nb["nbformat_minor"] = 2
    nb["metadata"]["orig_nbformat"] = 4  # nbformat < 4.5 allows it; Jupyter strips it on save
    return json.dumps(nb, indent=1, ensure_ascii=False).encode()


EDITORS = {"jupyterlab4": jupyterlab4, "notebook7": notebook7, "colab": colab, "vscode": vscode,
           "vscode-2020": vscode_2020}
