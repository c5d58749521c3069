"""Read a platform's export (a folder, or a zip read in memory) as a flat list of files.

A zip inside the export (a student's own zip, or Canvas's per-student zips) is opened one level
deep and its files appear under the zip's name, as if it were a folder: `u1_a1.zip/a1.ipynb`.
Nothing is extracted: each file's bytes are read from the archive when asked for, so a member
called `../../gradebook.db` is only ever a name. Zips deeper than that are listed, not opened.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Callable


class CollectError(Exception):
    """The export or the roster cannot be read at all; the message says why and what to do."""


@dataclass
class Member:
    """One file of the export.

    path: where it is inside the export, `/`-separated; a nested zip is one component.
    origin: where an instructor finds it (a file path, `export.zip!member` inside zips).
    mtime: the zip entry's or the file's modification time (naive, local).
    """
    path: PurePosixPath
    origin: str
    size: int
    mtime: datetime | None
    read: Callable[[], bytes]


def _zip_members(data_or_file, prefix: PurePosixPath | None, origin: str, nested: bool,
                 problems: dict[str, str]) -> list[Member]:
    try:
        archive = zipfile.ZipFile(data_or_file)
    except (zipfile.BadZipFile, OSError):
        problems[origin] = "not a readable zip file"
        return []
    members = []
    for info in archive.infolist():
        if info.is_dir():
            continue
        parts = [p for p in info.filename.replace("\\", "/").split("/") if p]
        path = PurePosixPath(*([str(prefix)] if prefix else []), *parts)
        where = f"{origin}!{info.filename}"
        member = Member(path, where, info.file_size, datetime(*info.date_time),
                        lambda i=info, a=archive: a.read(i))
        if path.suffix.lower() == ".zip" and not nested:
            members += _zip_members(io.BytesIO(member.read()), path, where, True, problems)
        elif path.suffix.lower() == ".zip":
            problems[where] = "a zip inside a zip inside the export: unzip it and collect again"
        else:
            members.append(member)
    return members


def read_export(source: Path) -> tuple[list[Member], dict[str, str]]:
    """Every file of `source` (a folder, a zip, or one notebook), and the files it could not open.

    Returns (members, problems), problems mapping an origin to why it could not be read.
    Raises CollectError if `source` does not exist or is neither a folder, a zip nor a notebook.
    """
    source = Path(source)
    problems: dict[str, str] = {}
    if not source.exists():
        raise CollectError(f"nothing to collect at {source}: no such file or folder")
    if source.is_dir():
        members = []
        for file in sorted(p for p in source.rglob("*") if p.is_file()):
            path = PurePosixPath(file.relative_to(source).as_posix())
            stat = file.stat()
            member = Member(path, str(file), stat.st_size, datetime.fromtimestamp(stat.st_mtime),
                            file.read_bytes)
            if path.suffix.lower() == ".zip":
                members += _zip_members(file, path, str(file), True, problems)
            else:
                members.append(member)
        return members, problems
    if source.suffix.lower() == ".ipynb":
        stat = source.stat()
        return [Member(PurePosixPath(source.name), str(source), stat.st_size,
                       datetime.fromtimestamp(stat.st_mtime), source.read_bytes)], problems
    if not zipfile.is_zipfile(source):
        raise CollectError(
            f"{source} is neither a folder nor a zip file: give collect the folder of submissions, "
            "or the .zip your platform's \"download all submissions\" gives")
    return _zip_members(source, None, str(source), False, problems), problems
