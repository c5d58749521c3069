"""Building damaged and hostile exports for collect's tests: files as bytes, zipped or laid out
in a folder, with the damage real uploads carry (bad CRC, DOS month 0, links)."""
from __future__ import annotations

import io
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook


def notebook(label: str, output: str = "") -> bytes:
    """A notebook whose first cell names whose it is (`label = "..."`); `output` as a printed output."""
    cell = new_code_cell(f"label = {label!r}")
    if output:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=output)]
    return nbformat.writes(new_notebook(cells=[cell])).encode()


def label_of(data: bytes) -> str:
    return nbformat.reads(data.decode(), as_version=4).cells[0].source.split("=", 1)[1].strip().strip("'\"")


NESTED_JSON = b"[" * 200_000 + b"]" * 200_000


@dataclass
class Entry:
    """One file of an export: its path inside, its bytes, and how it is damaged, if it is."""
    path: str
    data: bytes = b""
    damage: str = ""      # "", "bad crc", "month 0", "link" (to `target`)
    target: str = ""      # a link's target, outside the export


def zipped(entries: list[Entry]) -> bytes:
    """The entries as a zip; a "bad crc" entry's stored bytes are changed after its CRC was taken."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for entry in entries:
            info = zipfile.ZipInfo(entry.path, date_time=(2026, 11, 29, 10, 0, 0))
            data = entry.data
            if entry.damage == "month 0":
                info.date_time = (2026, 0, 0, 0, 0, 0)
            if entry.damage == "link":
                info.create_system = 3
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                data = entry.target.encode()
            archive.writestr(info, data)
    raw = buffer.getvalue()
    for entry in entries:
        if entry.damage == "bad crc":
            at = raw.index(entry.data)  # stored, so the bytes are in the file as they are
            raw = raw[:at] + bytes([raw[at] ^ 0x01]) + raw[at + 1:]
    return raw


def laid_out(entries: list[Entry], folder: Path) -> Path:
    """The entries as files under `folder`; a "link" entry is a symbolic link to its target."""
    for entry in entries:
        path = folder / entry.path
        path.parent.mkdir(parents=True, exist_ok=True)
        if entry.damage == "link":
            os.symlink(entry.target, path)
        else:
            path.write_bytes(entry.data)
    return folder
