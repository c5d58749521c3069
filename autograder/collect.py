"""Import submissions from a folder or from an LMS's zip export into submitted/<student>/<assignment>/.

Accepted layouts, mixed freely:
- one file per student, the student id at the start of the file name (`u123.ipynb`,
  `u123_forward_propagation.ipynb`, `u123_week1.zip`): `pattern` says how to read the id (a
  regular expression with a `student` group, matched at the start of the name without its
  extension; by default everything before the first "_");
- a folder per student (`u123/anything.ipynb`): the folder name is the id;
- a zip of any of these (the LMS's "download all"), and zips inside it (one per student).

Each notebook is stored under the assignment's notebook name. A file that is not valid JSON or
not a notebook is stored all the same and listed as invalid (grading gives it 0 and says why);
a file with no student id, of another type, or too large is listed as not placed. Nothing is
dropped silently. Zip members are read into memory, never extracted by name, so a member
called `../../gradebook.db` cannot land outside submitted/.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

DEFAULT_PATTERN = r"(?P<student>[^_]+)"  # the file name up to the first "_", without extension
MAX_BYTES = 50 * 1024**2     # one notebook, uncompressed
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$")
CHECKPOINTS = re.compile(r"(^|/)\.ipynb_checkpoints/")


@dataclass
class Collected:
    placed: dict[str, str] = field(default_factory=dict)      # student -> where it came from
    invalid: dict[str, str] = field(default_factory=dict)     # student -> why it is not a notebook
    replaced: list[str] = field(default_factory=list)         # later files for the same student
    not_placed: dict[str, str] = field(default_factory=dict)  # file -> why

    def __str__(self) -> str:
        lines = [f"{len(self.placed)} submissions placed, {len(self.invalid)} of them not valid "
                 f"notebooks, {len(self.not_placed)} files not placed"]
        lines += [f"  invalid: {s}: {why}" for s, why in sorted(self.invalid.items())]
        lines += [f"  replaced: {what}" for what in self.replaced]
        lines += [f"  not placed: {f}: {why}" for f, why in sorted(self.not_placed.items())]
        return "\n".join(lines)


def notebook_problem(data: bytes) -> str | None:
    """Why `data` is not a notebook Jupyter can open (as grading reads it, intake.py), or None."""
    from .intake import NotANotebook, read

    try:
        read(data)
    except NotANotebook as err:
        return str(err)
    return None


def _student(path: PurePosixPath, pattern: re.Pattern, inherited: str | None) -> str | None:
    if inherited:
        return inherited
    if len(path.parts) > 1:  # a folder per student
        candidate = path.parts[0]
        if SAFE_ID.match(candidate):
            return candidate
    match = pattern.match(path.stem)
    student = match.group("student") if match else None
    return student if student and SAFE_ID.match(student) else None


def _files(source: Path):
    """(relative path, bytes or a zip to open, origin) for every file under `source`."""
    if source.is_file():
        yield PurePosixPath(source.name), source.read_bytes, str(source)
        return
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        rel = PurePosixPath(path.relative_to(source).as_posix())
        yield rel, path.read_bytes, str(path)


def collect(source: Path, assignment: str, root: Path, *, pattern: str = DEFAULT_PATTERN,
            notebook: str | None = None) -> Collected:
    """Place every submission found in `source` (a folder or a zip) under root/submitted/."""
    regex = re.compile(pattern)
    notebook = notebook or assignment
    result = Collected()

    def place(student: str, data: bytes, origin: str) -> None:
        target = root / "submitted" / student / assignment / f"{notebook}.ipynb"
        if student in result.placed:
            result.replaced.append(f"{student}: {result.placed[student]} replaced by {origin}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        result.placed[student] = origin
        problem = notebook_problem(data)
        if problem:
            result.invalid[student] = problem
        else:
            result.invalid.pop(student, None)

    def visit(rel: PurePosixPath, read, origin: str, inherited: str | None) -> None:
        if CHECKPOINTS.search(rel.as_posix()):
            result.not_placed[origin] = "a Jupyter checkpoint copy, not the submission"
            return
        suffix = rel.suffix.lower()
        if suffix == ".zip":
            try:
                with zipfile.ZipFile(io.BytesIO(read())) as archive:
                    owner = inherited or (_student(PurePosixPath(rel.name), regex, None)
                                          if len(rel.parts) == 1 and rel.name != source.name else None)
                    for info in archive.infolist():
                        if info.is_dir():
                            continue
                        if info.file_size > MAX_BYTES:
                            result.not_placed[f"{origin}!{info.filename}"] = "larger than 50 MB"
                            continue
                        visit(PurePosixPath(info.filename), lambda i=info, a=archive: a.read(i),
                              f"{origin}!{info.filename}", owner)
            except zipfile.BadZipFile:
                result.not_placed[origin] = "not a readable zip file"
            return
        if suffix != ".ipynb":
            result.not_placed[origin] = f"not a notebook file ({suffix or 'no extension'})"
            return
        student = _student(rel, regex, inherited)
        if student is None:
            result.not_placed[origin] = "no student id in its name"
            return
        data = read()
        if len(data) > MAX_BYTES:
            result.not_placed[origin] = "larger than 50 MB"
            return
        place(student, data, origin)

    source = Path(source)
    if not source.exists():
        raise FileNotFoundError(f"nothing to collect at {source}")
    for rel, read, origin in _files(source):
        visit(rel, read, origin, None)
    log = root / "reports" / assignment / "collect.json"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(json.dumps(asdict(result), indent=1, sort_keys=True))
    return result
