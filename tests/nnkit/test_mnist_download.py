"""nnkit.mnist_download against a loopback HTTP server: checksums, resume, atomic files.

The IDX files are small ones made here; nothing leaves 127.0.0.1.
"""
import gzip
import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from nnkit import mnist_download
from nnkit.mnist import load_mnist
from nnkit.mnist_download import ChecksumError, DownloadError, convert_idx_dir, download, read_idx


def idx_bytes(array):
    array = np.asarray(array, dtype=np.uint8)
    header = bytes([0, 0, 8, array.ndim]) + np.array(array.shape, dtype=">u4").tobytes()
    return gzip.compress(header + array.tobytes(), mtime=0)


@pytest.fixture
def idx_files():
    rng = np.random.default_rng(0)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (30, 28, 28)),
        "train-labels-idx1-ubyte": rng.integers(0, 10, 30),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (12, 28, 28)),
        "t10k-labels-idx1-ubyte": rng.integers(0, 10, 12),
    }
    return {f"{stem}.gz": idx_bytes(array) for stem, array in arrays.items()}


def sha(data):
    return hashlib.sha256(data).hexdigest()


class Server:
    """Serves `files` at /mnist/<name>, honours Range, and can cut a body short."""

    def __init__(self, files):
        self.files = files
        self.cut = {}  # name -> how many more responses to cut after half the body
        self.requests = []  # (name, Range header or None)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                name = self.path.rsplit("/", 1)[-1]
                server.requests.append((name, self.headers.get("Range")))
                if name not in server.files:
                    self.send_error(404)
                    return
                data = server.files[name]
                start = 0
                if self.headers.get("Range"):
                    start = int(self.headers["Range"].split("=")[1].split("-")[0])
                    if start >= len(data):
                        self.send_error(416)
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                else:
                    self.send_response(200)
                body = data[start:]
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if server.cut.get(name, 0) > 0:
                    server.cut[name] -= 1
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/mnist/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


def pins(files):
    return {name: (len(data), sha(data)) for name, data in files.items()}


def test_download_verifies_and_converts_to_the_same_arrays_as_local_files(tmp_path, idx_files):
    local = tmp_path / "local"
    local.mkdir()
    for name, data in idx_files.items():
        (local / name).write_bytes(data)
    convert_idx_dir(local, tmp_path / "from_local")
    with Server(idx_files) as server:
        written = download(tmp_path / "full", [server.url], pins(idx_files))
    assert sorted(p.name for p in written) == ["mnist_test.h5", "mnist_train.h5"]
    for split in ("train", "test"):
        X, Y = load_mnist(tmp_path / "full" / f"mnist_{split}.h5")
        X0, Y0 = load_mnist(tmp_path / "from_local" / f"mnist_{split}.h5")
        assert np.array_equal(X, X0) and np.array_equal(Y, Y0)
    X, Y = load_mnist(tmp_path / "full" / "mnist_train.h5")
    images = read_idx(local / "train-images-idx3-ubyte.gz")
    assert np.array_equal(X, images.reshape(30, 784))
    assert np.array_equal(Y.argmax(axis=1), read_idx(local / "train-labels-idx1-ubyte.gz"))
    assert not list((tmp_path / "full").glob("*.part")) and not list((tmp_path / "full").glob("*.tmp"))


def test_checksum_mismatch_raises_and_leaves_no_file_under_the_final_name(tmp_path, idx_files):
    wrong = pins(idx_files)
    wrong["train-labels-idx1-ubyte.gz"] = (0, "0" * 64)
    with Server(idx_files) as server, pytest.raises(DownloadError, match="every mirror failed"):
        download(tmp_path, [server.url], wrong)
    assert not (tmp_path / "train-labels-idx1-ubyte.gz").exists()
    assert not (tmp_path / "train-labels-idx1-ubyte.gz.part").exists()
    assert not (tmp_path / "mnist_train.h5").exists()


def test_fetch_raises_checksum_error_naming_both_digests(tmp_path, idx_files):
    name = "t10k-labels-idx1-ubyte.gz"
    with Server(idx_files) as server, pytest.raises(ChecksumError, match="differs from the pinned"):
        mnist_download.fetch(server.url + name, tmp_path / name, "f" * 64)
    assert list(tmp_path.iterdir()) == []


def test_interrupted_transfer_resumes_from_the_part_file(tmp_path, idx_files):
    name = "train-images-idx3-ubyte.gz"
    data = idx_files[name]
    with Server(idx_files) as server:
        server.cut[name] = 1
        mnist_download.fetch(server.url + name, tmp_path / name, sha(data))
    assert (tmp_path / name).read_bytes() == data
    ranges = [r for n, r in server.requests if n == name]
    assert ranges == [None, f"bytes={len(data) // 2}-"]


def test_transfer_that_keeps_breaking_keeps_the_part_file_for_later(tmp_path, idx_files):
    name = "train-images-idx3-ubyte.gz"
    data = idx_files[name]
    with Server(idx_files) as server:
        server.cut[name] = 2
        with pytest.raises(DownloadError, match="2 transfers broke"):
            mnist_download.fetch(server.url + name, tmp_path / name, sha(data), attempts=2)
        assert not (tmp_path / name).exists()
        assert 0 < (tmp_path / f"{name}.part").stat().st_size < len(data)
        mnist_download.fetch(server.url + name, tmp_path / name, sha(data))  # a later run
    assert (tmp_path / name).read_bytes() == data
    assert not (tmp_path / f"{name}.part").exists()


def test_next_mirror_is_tried_when_one_lacks_the_file(tmp_path, idx_files):
    with Server({}) as empty, Server(idx_files) as full:
        download(tmp_path, [empty.url, full.url], pins(idx_files))
    assert (tmp_path / "mnist_test.h5").is_file()


def test_command_line_download_and_convert(tmp_path, idx_files, monkeypatch, capsys):
    monkeypatch.setattr(mnist_download, "MNIST_FILES", pins(idx_files))
    with Server(idx_files) as server:
        code = mnist_download.main(["download", "--dest", str(tmp_path / "a"), "--mirror", server.url])
    assert code == 0
    code = mnist_download.main(["convert", "--idx-dir", str(tmp_path / "a"), "--name", "again",
                                "--dest", str(tmp_path / "b")])
    assert code == 0
    X, Y = load_mnist(tmp_path / "b" / "again_test.h5")
    X0, Y0 = load_mnist(tmp_path / "a" / "mnist_test.h5")
    assert np.array_equal(X, X0) and np.array_equal(Y, Y0)
    # a second download finds the verified files and fetches nothing
    assert "checksum ok" not in capsys.readouterr().out
    assert mnist_download.main(["download", "--dest", str(tmp_path / "a"), "--mirror",
                                "http://127.0.0.1:9/none/"]) == 0
    assert capsys.readouterr().out.count("checksum ok") == 4


def test_read_idx_rejects_a_file_that_is_not_idx(tmp_path):
    bad = tmp_path / "x.gz"
    bad.write_bytes(gzip.compress(b"hello world"))
    with pytest.raises(ValueError, match="not an IDX file"):
        read_idx(bad)


def test_pinned_checksums_are_the_published_mnist_ones():
    assert mnist_download.MNIST_FILES["train-images-idx3-ubyte.gz"] == (
        9_912_422, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609")
    assert len(mnist_download.MNIST_FILES) == 4
