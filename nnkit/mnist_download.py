"""Download the full MNIST, verify it, and convert IDX files to the course's HDF5 layout.

Run through `python -m nnkit.mnist` (see `nnkit/mnist.py`):
    python -m nnkit.mnist download [--dest data/full] [--mirror URL ...]
    python -m nnkit.mnist convert --idx-dir DIR [--name fashion] [--dest data/full]

A download is
- verified: each file's SHA-256 must equal the value pinned in `MNIST_FILES` (the values
  TensorFlow Datasets pins in `url_checksums/mnist.txt`);
- resumable: bytes arrive in `<file>.part`; a retry asks for the rest with an HTTP Range
  request, and starts over if the server ignores it;
- atomic: only a verified file is renamed (`os.replace`) to its final name; a file that fails
  verification is deleted, so a broken download never sits under the final name. The HDF5
  files are written under a temporary name and renamed the same way.
Only the standard library speaks HTTP here.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import http.client
import os
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import h5py
import numpy as np

from .data import data_dir

MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
# file name -> (size in bytes, SHA-256), as pinned by TensorFlow Datasets.
MNIST_FILES = {
    "train-images-idx3-ubyte.gz": (
        9_912_422, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
    "train-labels-idx1-ubyte.gz": (
        28_881, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
    "t10k-images-idx3-ubyte.gz": (
        1_648_877, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
    "t10k-labels-idx1-ubyte.gz": (
        4_542, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
}
# split -> (images, labels), file names without ".gz".
SPLITS = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
FASHION_DEBIAN_DIR = "/usr/share/datasets/fashion-mnist"  # Debian package dataset-fashion-mnist
CHUNK = 1 << 16


class DownloadError(RuntimeError):
    """A file could not be fetched from any mirror."""


class ChecksumError(DownloadError):
    """A fetched file's SHA-256 differs from the pinned one."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _transfer(url: str, part: Path, timeout: float) -> None:
    """Append the rest of `url` to `part`, asking for it with a Range request if `part` exists."""
    have = part.stat().st_size if part.exists() else 0
    headers = {"User-Agent": "nnkit-mnist"}
    if have:
        headers["Range"] = f"bytes={have}-"
    try:
        response = urllib.request.urlopen(urllib.request.Request(url, headers=headers),
                                          timeout=timeout)
    except urllib.error.HTTPError as err:
        if err.code == 416 and have:  # nothing left to send: the checksum decides
            return
        raise
    with response:
        resumed = have and response.status == 206 and (
            response.headers.get("Content-Range", "").startswith(f"bytes {have}-"))
        expected = response.headers.get("Content-Length")
        received = 0
        with open(part, "ab" if resumed else "wb") as out:
            for block in iter(lambda: response.read(CHUNK), b""):
                out.write(block)
                received += len(block)
    # read(n) returns b"" when the server hangs up early instead of raising: check the length
    if expected is not None and received < int(expected):
        raise http.client.IncompleteRead(b"", int(expected) - received)


def fetch(url: str, target: Path, sha256: str, *, attempts: int = 3, timeout: float = 60) -> Path:
    """Download `url` to `target` via `target.part`, resuming after a broken transfer.

    Renames the file to `target` only once its SHA-256 equals `sha256`; on a mismatch the part
    file is deleted and `ChecksumError` raised. Raises `DownloadError` when `attempts` transfers
    all break, keeping the part file for a later resume.
    """
    target = Path(target)
    part = target.with_name(target.name + ".part")
    for attempt in range(1, attempts + 1):
        try:
            _transfer(url, part, timeout)
            break
        except urllib.error.HTTPError as err:
            if 400 <= err.code < 500:  # not there: retrying the same mirror will not help
                raise DownloadError(f"{url}: HTTP {err.code} {err.reason}") from err
            error = err
        except (OSError, http.client.HTTPException) as err:  # URLError, timeouts, cut bodies
            error = err
        have = part.stat().st_size if part.exists() else 0
        print(f"  transfer {attempt}/{attempts} of {url} broke after {have} bytes "
              f"({type(error).__name__}: {error}); resuming", file=sys.stderr)
    else:
        raise DownloadError(f"{url}: {attempts} transfers broke; last: {error}")
    got = sha256_of(part)
    if got != sha256:
        part.unlink()
        raise ChecksumError(f"{url}: SHA-256 {got} differs from the pinned {sha256}; "
                            "the download was deleted")
    os.replace(part, target)
    return target


def download(dest: str | os.PathLike | None = None, mirrors=MIRRORS, files=None, *,
             name: str = "mnist", attempts: int = 3, timeout: float = 60) -> list[Path]:
    """Fetch the IDX files into `dest` (default data/full), verify them, convert to HDF5.

    `files` maps file name to (size, sha256) or to a bare sha256; default `MNIST_FILES`.
    Files already present with the right checksum are not fetched again. Mirrors are tried in
    order for each file. Returns the HDF5 files written.
    """
    dest = Path(dest) if dest is not None else data_dir() / "full"
    dest.mkdir(parents=True, exist_ok=True)
    for filename, pin in (MNIST_FILES if files is None else files).items():
        sha256 = pin if isinstance(pin, str) else pin[1]
        target = dest / filename
        if target.is_file() and sha256_of(target) == sha256:
            print(f"{target}: present, checksum ok")
            continue
        failures = []
        for mirror in mirrors:
            url = mirror.rstrip("/") + "/" + filename
            print(f"fetching {url}")
            try:
                fetch(url, target, sha256, attempts=attempts, timeout=timeout)
                break
            except DownloadError as err:
                failures.append(str(err))
                print(f"  {err}", file=sys.stderr)
        else:
            raise DownloadError(f"{filename}: every mirror failed:\n  " + "\n  ".join(failures))
    return convert_idx_dir(dest, dest, name=name)


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """The array in an IDX file (gzipped or not): unsigned bytes, any number of dimensions."""
    path = Path(path)
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if len(raw) < 4 or raw[0:2] != b"\x00\x00" or raw[2] != 0x08:
        raise ValueError(f"{path} is not an IDX file of unsigned bytes")
    ndim = raw[3]
    shape = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    offset = 4 + 4 * ndim
    if len(raw) - offset != int(np.prod(shape)):
        raise ValueError(f"{path}: header says {shape}, but {len(raw) - offset} bytes follow")
    return np.frombuffer(raw, dtype=np.uint8, offset=offset).reshape(shape)


def _find(idx_dir: Path, stem: str) -> Path:
    for candidate in (idx_dir / f"{stem}.gz", idx_dir / stem):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{idx_dir} has no {stem}.gz or {stem}")


def write_mnist_h5(path: str | os.PathLike, images: np.ndarray, labels: np.ndarray,
                   source: str = "") -> Path:
    """Write images (n, 28, 28) or (n, 784) and labels (n,) as `xdata`/`ydata`, atomically."""
    path = Path(path)
    images = np.asarray(images, dtype=np.uint8).reshape(len(images), -1)
    labels = np.asarray(labels)
    if images.shape[1] != 784 or labels.shape != (len(images),) or labels.max(initial=0) > 9:
        raise ValueError(f"expected (n, 784) images and (n,) labels 0-9, got {images.shape} "
                         f"and {labels.shape}")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
    try:
        with h5py.File(tmp, "w") as f:
            f.create_dataset("xdata", data=images, compression="gzip", compression_opts=4,
                             shuffle=True)
            f.create_dataset("ydata", data=np.eye(10, dtype=np.uint8)[labels],
                             compression="gzip", compression_opts=4)
            f.attrs["pixels"] = "uint8 0-255, 28 x 28 images flattened row-major"
            f.attrs["source"] = source
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def convert_idx_dir(idx_dir: str | os.PathLike, dest: str | os.PathLike | None = None, *,
                    name: str = "mnist") -> list[Path]:
    """Convert the four IDX files in `idx_dir` to `<dest>/<name>_train.h5` and `_test.h5`."""
    idx_dir = Path(idx_dir)
    dest = Path(dest) if dest is not None else data_dir() / "full"
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for split, (images_stem, labels_stem) in SPLITS.items():
        images = read_idx(_find(idx_dir, images_stem))
        labels = read_idx(_find(idx_dir, labels_stem))
        if images.ndim != 3 or images.shape[1:] != (28, 28) or labels.shape != images.shape[:1]:
            raise ValueError(f"{idx_dir}: {split} images {images.shape} and labels "
                             f"{labels.shape} are not n x 28 x 28 and n")
        out = write_mnist_h5(dest / f"{name}_{split}.h5", images, labels,
                             source=f"{name} {split} split, converted from IDX files")
        print(f"wrote {out} ({len(labels)} images)")
        written.append(out)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nnkit.mnist", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    get = commands.add_parser("download", help="download, verify and convert the full MNIST")
    get.add_argument("--dest", help="folder for the IDX and HDF5 files (default: data/full)")
    get.add_argument("--mirror", action="append", metavar="URL",
                     help="base URL holding the four .gz files; repeat to try several in order "
                          f"(default: {', '.join(MIRRORS)})")
    get.add_argument("--attempts", type=int, default=3, help="transfers per file and mirror")
    conv = commands.add_parser("convert", help="convert four local IDX files to HDF5")
    conv.add_argument("--idx-dir", required=True,
                      help=f"folder of the IDX files, e.g. {FASHION_DEBIAN_DIR}")
    conv.add_argument("--name", default="mnist", help="file prefix: <name>_train.h5, <name>_test.h5")
    conv.add_argument("--dest", help="output folder (default: data/full)")
    args = parser.parse_args(argv)
    try:
        if args.command == "download":
            download(args.dest, args.mirror or MIRRORS, attempts=args.attempts)
        else:
            convert_idx_dir(args.idx_dir, args.dest, name=args.name)
    except (DownloadError, FileNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0
