"""Read a platform's export (a folder, or a zip read in memory) as a flat list of files.

A zip inside the export (a student's own zip, or Canvas's per-student zips) is opened one level
deep and its files appear under the zip's name, as if it were a folder: `u1_a1.zip/a1.ipynb`.
Nothing is extracted: each file's bytes are read from the archive when asked for, so a member
called `../../gradebook.db` is only ever a name. Zips deeper than that are listed, not opened.

Links are never followed: a symbolic link in a folder export (or stored in a zip) is listed as
not placed, so a link to the instructor's source notebook cannot become a student's submission.
A folder's files are opened with O_NOFOLLOW and must be regular files when read. A file is taken
for a zip by its content (its first bytes), not by its name. A member that cannot be read (a bad
CRC, a compression method zipfile lacks, a password) raises `Unreadable` when read, so the caller
lists that file and goes on; a zip entry whose DOS date is not a date has no time.
"""
from __future__ import annotations

import io
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Callable

MAX_READ = 512 * 1024**2   # the largest file collect reads at all (a nested zip, or a notebook to shrink)
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or an empty zip's end record
LINK = "a symbolic link, not a file: collect never follows links (if it points to a student's file, copy the file itself into the export)"
# What reading a damaged or unusual zip member raises (bad CRC, truncated data, unknown compression, a password).
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError)


class CollectError(Exception):
    """The export or the roster cannot be read at all; the message says why and what to do."""


class Unreadable(Exception):
    """One file of the export cannot be read; the message says why and what to do."""


@dataclass
class Member:
    """One file of the export.

    path: where it is inside the export, `/`-separated; a nested zip is one component.
    origin: where an instructor finds it (a file path, `export.zip!member` inside zips).
    size: bytes, as the folder or the zip's directory states it (a zip never yields more).
    mtime: the zip entry's or the file's modification time (naive, local), None if it has none.
    read: the file's bytes; raises Unreadable.
    """
    path: PurePosixPath
    origin: str
    size: int
    mtime: datetime | None
    read: Callable[[], bytes]


def _zip_time(info: zipfile.ZipInfo) -> datetime | None:
    try:
        return datetime(*info.date_time)
    except ValueError:  # a DOS date of month 0 or day 0, as some zip writers leave it
        return None


def _member_reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> Callable[[], bytes]:
    def read() -> bytes:
        try:
            return archive.read(info)
        except _ZIP_ERRORS as err:
            raise Unreadable(f"damaged or unreadable inside its zip ({type(err).__name__}: {err}); "
                             "ask the student to upload it again") from None
    return read


def _is_zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    try:
        with archive.open(info) as f:
            return f.read(4) in ZIP_MAGIC
    except _ZIP_ERRORS:
        return False  # listed as a file; reading it later says why it is unreadable


def _is_link(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _zip_members(data_or_file, prefix: PurePosixPath | None, origin: str, nested: bool,
                 problems: dict[str, str]) -> list[Member]:
    try:
        archive = zipfile.ZipFile(data_or_file)
    except (*_ZIP_ERRORS, Unreadable):
        problems[origin] = "not a readable zip file"
        return []
    members = []
    for info in archive.infolist():
        if info.is_dir():
            continue
        parts = [p for p in info.filename.replace("\\", "/").split("/") if p]
        path = PurePosixPath(*([str(prefix)] if prefix else []), *parts)
        where = f"{origin}!{info.filename}"
        if _is_link(info):
            problems[where] = LINK
            continue
        member = Member(path, where, info.file_size, _zip_time(info), _member_reader(archive, info, where))
        if _is_zip_member(archive, info) or path.suffix.lower() == ".zip":
            if nested:
                problems[where] = "a zip inside a zip inside the export: unzip it and collect again"
                continue
            if info.file_size > MAX_READ:
                problems[where] = (f"a zip of {info.file_size >> 20} MB inside the export, larger than collect "
                                   "reads: unzip it and collect again")
                continue
            try:
                members += _zip_members(io.BytesIO(member.read()), path, where, True, problems)
            except Unreadable as err:
                problems[where] = str(err)
        else:
            members.append(member)
    return members


def _file_reader(file: str) -> Callable[[], bytes]:
    def read() -> bytes:
        try:
            fd = os.open(file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError as err:
            raise Unreadable(LINK if os.path.islink(file) else f"cannot be opened ({err.strerror})") from None
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise Unreadable("not a regular file")
            return f.read()
    return read


def _starts_like_zip(file: str) -> bool:
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    with os.fdopen(fd, "rb") as f:
        return stat.S_ISREG(os.fstat(fd).st_mode) and f.read(4) in ZIP_MAGIC


def _folder_members(source: Path, problems: dict[str, str]) -> list[Member]:
    members = []
    for folder, dirs, files in os.walk(source, followlinks=False):
        for name in sorted(dirs):
            if os.path.islink(os.path.join(folder, name)):  # os.walk lists it and does not enter it
                problems[os.path.join(folder, name)] = LINK
        dirs.sort()
        for name in sorted(files):
            file = os.path.join(folder, name)
            info = os.lstat(file)
            if stat.S_ISLNK(info.st_mode):
                problems[file] = LINK
                continue
            if not stat.S_ISREG(info.st_mode):
                problems[file] = "not a regular file (a device, pipe or socket)"
                continue
            path = PurePosixPath(Path(file).relative_to(source).as_posix())
            if _starts_like_zip(file) or path.suffix.lower() == ".zip":
                members += _zip_members(file, path, file, True, problems)
            else:
                members.append(Member(path, file, info.st_size, datetime.fromtimestamp(info.st_mtime),
                                      _file_reader(file)))
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
        return _folder_members(source, problems), problems
    if zipfile.is_zipfile(source):
        return _zip_members(source, None, str(source), False, problems), problems
    if source.suffix.lower() in (".ipynb", ".py", ".md"):
        info = source.stat()
        return [Member(PurePosixPath(source.name), str(source), info.st_size,
                       datetime.fromtimestamp(info.st_mtime), _file_reader(str(source)))], problems
    raise CollectError(
        f"{source} is neither a folder nor a zip file: give collect the folder of submissions, "
        "or the .zip your platform's \"download all submissions\" gives")
