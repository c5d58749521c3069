"""A real Jupyter server and headless Chromium, for the browser tests and the latency benchmark.

`course_copy(folder, notebooks)` lays out a throwaway course folder (links to `nnkit/` and
`data/`, the given notebooks written where the course keeps them); `jupyter_server(folder)`
serves it on 127.0.0.1 with a random token (`classic_notebook_server` with the classic Notebook
6 of another environment, an ipywidgets 7 front end); `chromium()` starts Debian's Chromium through
playwright (never a downloaded browser); `open_notebook(page, server, path, ui)` opens a notebook
in JupyterLab (`ui="lab"`) or Notebook 7 (`ui="notebook"`), runs every cell and waits for the
kernel to be idle. `missing()` says why these cannot run here, or returns None.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import nbformat

from nnkit.jupyter_settings import install as install_settings

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("NNKIT_CHROMIUM", "/usr/bin/chromium")
# No sandbox: CI runs as root; no GPU, network features or updates a test does not need.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 720}
# Front-end plugins that only pop up notices (news, updates) over the notebook.
QUIET_PLUGINS = {"@jupyterlab/apputils-extension:announcements": True}


def missing() -> str | None:
    """Why the browser tests cannot run on this machine, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements.txt)"
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set NNKIT_CHROMIUM)"
    for module in ("jupyterlab", "notebook"):
        try:
            __import__(module)
        except ImportError:
            return f"{module} is not installed (pip install -r requirements.txt)"
    return None


def course_copy(folder: Path, notebooks: dict[str, nbformat.NotebookNode]) -> Path:
    """A course folder at `folder`: `nnkit/` and `data/` linked from this course, and each
    notebook of `notebooks` (relative path -> notebook) written there. Returns `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("nnkit", "data"):
        (folder / name).symlink_to(ROOT / name, target_is_directory=True)
    for relative, nb in notebooks.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
    return folder


# The notebooks with live panels, where a course copy keeps them.
NOTEBOOKS = {"momentum_lab": "notebooks/momentum_lab.ipynb", "optimizers": "release/optimizers/optimizers.ipynb"}


def filled_in_notebooks() -> dict[str, nbformat.NotebookNode]:
    """The momentum lab, and assignment 4 as released with the reference solution filled in, by
    their relative paths in `NOTEBOOKS`."""
    from autograder.samples import REFERENCE, build_submission

    source = nbformat.read(ROOT / "source" / "optimizers" / "optimizers.ipynb", as_version=4)
    release = nbformat.read(ROOT / NOTEBOOKS["optimizers"], as_version=4)
    return {NOTEBOOKS["momentum_lab"]: nbformat.read(ROOT / NOTEBOOKS["momentum_lab"], as_version=4),
            NOTEBOOKS["optimizers"]: build_submission(source, release, REFERENCE)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A running Jupyter server of the folder `root`."""

    def __init__(self, url: str, token: str, root: Path, process: subprocess.Popen, log: Path):
        self.url, self.token, self.root, self.process, self.log = url, token, root, process, log
        self._copies = 0

    def page_url(self, path: str, ui: str) -> str:
        route = {"lab": "lab/tree", "notebook": "notebooks", "classic": "notebooks"}[ui]
        return f"{self.url}/{route}/{path}?token={self.token}"

    def fresh_copy(self, path: str) -> str:
        """A new copy of notebook `path` beside it, with no kernel or saved state yet: each test
        opens its own, so that what one front end saved or left running cannot leak into the
        next. Returns the copy's path."""
        self._copies += 1
        source = self.root / path
        copy = source.with_name(f"{source.stem}-{self._copies}{source.suffix}")
        shutil.copyfile(source, copy)
        return copy.relative_to(self.root).as_posix()

    def reset(self) -> None:
        """Shut down every session's kernel and forget the saved workspaces (recent documents,
        layout), which JupyterLab and Notebook 7 share: Notebook 7.6 throws on a workspace that
        JupyterLab saved ("Command 'filebrowser:open-path' not registered")."""
        for workspace in (self.root.parent / f"{self.root.name}-jupyter" / "workspaces").glob("*"):
            workspace.unlink()
        self.stop_kernels()

    def stop_kernels(self) -> None:
        """Shut down every session's kernel (what the tests opened)."""
        request = urllib.request.Request(f"{self.url}/api/sessions?token={self.token}")
        with urllib.request.urlopen(request, timeout=10) as response:
            sessions = json.load(response)
        for session in sessions:
            urllib.request.urlopen(urllib.request.Request(
                f"{self.url}/api/sessions/{session['id']}?token={self.token}", method="DELETE"), timeout=30).close()


@contextmanager
def jupyter_server(folder: Path, timeout: float = 60.0):
    """Serve `folder` with JupyterLab and Notebook 7 on 127.0.0.1; yields a `Server`.

    Jupyter's settings, workspaces and runtime files go to a private folder beside `folder`, so
    neither the user's settings nor an earlier run change what the browser shows.
    """
    home = folder.parent / f"{folder.name}-jupyter"
    config = home / "config"
    (config / "labconfig").mkdir(parents=True, exist_ok=True)
    (config / "labconfig" / "page_config.json").write_text(json.dumps({"disabledExtensions": QUIET_PLUGINS}))
    # The course's settings overrides, as `python -m nnkit.jupyter_settings` installs them in an
    # environment; and the front ends put their application object on `window`, where the tests
    # drive it.
    settings = install_settings(home / "settings").parent.parent
    app = {"expose_app_in_browser": True, "app_settings_dir": str(settings)}
    (config / "jupyter_server_config.json").write_text(json.dumps({"LabApp": app, "JupyterNotebookApp": app}))
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config), "JUPYTER_DATA_DIR": str(home / "data"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    env.pop("NBGRADER_EXECUTION", None)  # the live panels are built only outside grading
    token, port = secrets.token_hex(16), _free_port()
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
               f"--port={port}", f"--ServerApp.token={token}", f"--ServerApp.root_dir={folder}",
               "--ServerApp.port_retries=0"]
    with _running(command, env, folder, home, token, port, timeout) as server:
        yield server


@contextmanager
def classic_notebook_server(folder: Path, python: Path, env: dict | None = None, timeout: float = 60.0):
    """Serve `folder` with the classic Notebook (6.x) of the environment of `python`, whose
    widgets front end is ipywidgets 7's (widgetsnbextension 3.x); its kernels run that
    environment's Python, with `env` added to theirs. Yields a `Server` (ui "classic")."""
    home = folder.parent / f"{folder.name}-classic"
    (home / "config").mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_DATA_DIR": str(home / "data"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), **(env or {}),
           "PATH": os.pathsep.join([str(Path(python).parent), os.environ.get("PATH", "")])}
    for name in ("NBGRADER_EXECUTION", "PYTHONPATH", "NNKIT_DATA"):
        env.pop(name, None)
    token, port = secrets.token_hex(16), _free_port()
    command = [str(python), "-m", "notebook", "--no-browser", "--allow-root", "--ip=127.0.0.1",
               f"--port={port}", f"--NotebookApp.token={token}", f"--NotebookApp.notebook_dir={folder}",
               "--NotebookApp.port_retries=0"]
    with _running(command, env, folder, home, token, port, timeout) as server:
        yield server


@contextmanager
def _running(command, env, folder: Path, home: Path, token: str, port: int, timeout: float):
    """Run the server `command` until it answers on `port`; yields its `Server`, stops it after."""
    log = home / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=folder)
    server = Server(f"http://127.0.0.1:{port}", token, folder, process, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{server.url}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Jupyter did not start; its log:\n{log.read_text()[-3000:]}")
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def chromium(profile: Path):
    """A headless Chromium (Debian's) with a fresh profile in `profile`; yields a playwright page
    of 1280x720 CSS pixels."""
    from playwright.sync_api import sync_playwright

    shutil.rmtree(profile, ignore_errors=True)
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, viewport=VIEWPORT)
        try:
            page = context.pages[0] if context.pages else context.new_page()
            yield page
        finally:
            context.close()


# In the page: the notebook's panel, once its document and kernel are ready.
_READY = """() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (!panel || !panel.sessionContext || !panel.content || !panel.context.isReady) return false;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
}"""
_RUN_ALL = "async () => { await window.jupyterapp.commands.execute('notebook:run-all-cells'); }"
# Done when the kernel is idle and no code cell waits to run ('*' prompt) or is running.
_DONE = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session.kernel;
  if (kernel.status !== 'idle') return false;
  return panel.content.widgets.every(cell => cell.model.type !== 'code'
      || (cell.model.executionCount !== null && cell.promptNode.textContent.indexOf('*') < 0));
}"""
_ERRORS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const errors = [];
  for (const cell of panel.content.widgets) {
    if (cell.model.type !== 'code') continue;
    for (let i = 0; i < cell.model.outputs.length; i++) {
      const output = cell.model.outputs.get(i);
      if (output.type === 'error') errors.push(output.toJSON().ename + ': ' + output.toJSON().evalue);
    }
  }
  return errors;
}"""


def open_notebook(page, server: Server, path: str, ui: str, timeout: float = 300.0) -> None:
    """Open `path` (relative to the served folder) in `ui` ("lab" or "notebook"), run all its
    cells and wait until they have run. Raises AssertionError naming the cells' errors."""
    page.goto(server.page_url(path, ui), wait_until="domcontentloaded")
    page.wait_for_function(_READY, timeout=120_000, polling=250)
    page.evaluate(_RUN_ALL)
    page.wait_for_function(_DONE, timeout=timeout * 1000, polling=250)
    errors = page.evaluate(_ERRORS)
    assert not errors, f"{path} in {ui}: cells failed: {errors}"
