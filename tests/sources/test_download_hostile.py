"""`flowviz download` against a real HTTP server on 127.0.0.1 that misbehaves, by class: it cuts,
lies about lengths both ways, restarts ranges at 0, continues a changed file, trickles, sends
endless bodies, PK+HTML and a cut .ndjson.gz, and a link is planted where `.part` goes. Each
run ends with no complete-looking wrong file, and the next honest run writes the right bytes.
Time and size bounds are made small here, so no test waits on the machine's speed."""

from __future__ import annotations

import gzip
import http.server
import io
import os
import threading
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.cli import app

runner = CliRunner()
NAME = "1-1_RS_2024_基本情報_組織情報.zip"


def a_zip(seed: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("a.csv", seed + os.urandom(200_000))
    return buf.getvalue()


class Hostile(http.server.BaseHTTPRequestHandler):
    """Serves ``server.body`` for the one file (a page for the others) as ``server.mode`` says."""

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        srv = self.server
        srv.requests.append(dict(self.headers))
        if NAME not in __import__("urllib.parse").parse.unquote(self.path) and not srv.gz:
            return self._send(200, b"<html>not found</html>", {})
        body, mode, rng = srv.body, srv.mode, self.headers.get("Range")
        headers = {"ETag": srv.etag} if srv.etag else {}
        try:
            if rng and mode in ("good", "restart", "changed-same-tag"):
                start = int(rng.split("=")[1].split("-")[0])
                if srv.etag and self.headers.get("If-Range") != srv.etag:
                    return self._send(200, body, headers)
                first = 0 if mode == "restart" else start
                headers["Content-Range"] = f"bytes {first}-{len(body) - 1}/{len(body)}"
                return self._send(206, body[first:], headers)
            if mode == "cut":
                return self._send(200, body[: len(body) // 2], headers, length=len(body))
            if mode == "short-lie":
                return self._send(200, body, headers, length=len(body) - 1000)
            if mode == "trickle":
                return self._trickle(body)
            if mode == "endless":
                return self._endless()
            self._send(200, body, headers)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, status: int, body: bytes, headers: dict, length: int | None = None) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def _trickle(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for i in range(len(body)):
            self.wfile.write(body[i : i + 1])
            self.wfile.flush()
            time.sleep(0.05)

    def _endless(self) -> None:
        self.send_response(200)  # no length: the body runs until the client stops
        self.end_headers()
        self.wfile.write(b"PK\x03\x04")
        while True:
            self.wfile.write(b"\0" * 65536)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    srv.body, srv.mode, srv.etag, srv.gz, srv.requests = a_zip(b"v1"), "good", '"v1"', False, []
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    srv.url = f"http://127.0.0.1:{srv.server_address[1]}"
    yield srv
    srv.shutdown()
    srv.server_close()


def run(srv, out: Path, *more: str):
    args = ["download", "rs", "2024", "--to", str(out), "--base-url", srv.url, *more]
    return runner.invoke(app, args)


def no_wrong_file(out: Path, right: bytes) -> None:
    """Either the right bytes under the name, or nothing complete-looking at all."""
    target = out / NAME
    assert not target.exists() or target.read_bytes() == right
    for p in out.glob("*.part"):  # a .part is kept only with a validator to resume from
        assert (out / (p.name + ".resume")).exists()


@pytest.mark.parametrize("mode", ["cut", "short-lie", "pk-html", "trickle", "endless"])
@pytest.mark.parametrize("etag", ['"v1"', ""])
def test_a_lying_server_leaves_no_complete_looking_file(server, tmp_path: Path, mode, etag):
    right = server.body
    server.etag = etag
    server.mode = "good" if mode == "pk-html" else mode
    if mode == "pk-html":
        server.body = b"PK" + b"<html><body>maintenance</body></html>" * 100
    r = run(server, tmp_path, "--deadline", "0.5", "--max-size", "1")
    assert r.exit_code == 1, r.output
    assert r.output.count("error:") == 1 and "Traceback" not in r.output
    assert f"failed   {NAME}" in r.output and "written" not in r.output
    assert not (tmp_path / NAME).exists()
    no_wrong_file(tmp_path, right)
    server.body, server.mode = right, "good"  # the next honest run: the right bytes
    again = run(server, tmp_path)
    assert again.exit_code == 0, again.output
    assert (tmp_path / NAME).read_bytes() == right


def test_a_cut_transfer_resumes_only_from_a_proven_continuation(server, tmp_path: Path):
    server.mode = "cut"
    assert run(server, tmp_path).exit_code == 1
    assert (tmp_path / (NAME + ".part")).stat().st_size == len(server.body) // 2
    server.mode = "good"
    r = run(server, tmp_path)
    assert r.exit_code == 0, r.output
    assert (tmp_path / NAME).read_bytes() == server.body
    [resumed] = [h for h in server.requests if "Range" in h]
    assert resumed["Range"] == f"bytes={len(server.body) // 2}-" and resumed["If-Range"] == '"v1"'


@pytest.mark.parametrize("mode", ["restart", "changed", "changed-same-tag"])
def test_a_resume_that_does_not_continue_the_same_bytes_starts_again(server, tmp_path, mode):
    server.mode = "cut"
    run(server, tmp_path)
    assert (tmp_path / (NAME + ".part")).exists()
    if mode.startswith("changed"):  # the file changed on the server between the two runs
        server.body = a_zip(b"v2")
        server.etag = '"v1"' if mode == "changed-same-tag" else '"v2"'
    server.mode = mode
    r = run(server, tmp_path)
    if mode == "changed-same-tag":  # a server that lies with the old tag: the CRC tells
        assert r.exit_code == 1 and "not a whole ZIP" in r.output
        assert not (tmp_path / NAME).exists() and not list(tmp_path.glob("*.part"))
    else:
        assert r.exit_code == 0, r.output
        assert (tmp_path / NAME).read_bytes() == server.body


def test_a_cut_ndjson_gz_is_not_kept(server, tmp_path: Path):
    whole = gzip.compress(b'{"a": 1}\n' * 50_000)
    server.gz, server.body, server.etag = True, whole[: len(whole) // 2], ""
    args = ["download", "judgit", "2017", "--to", str(tmp_path), "--base-url", server.url]
    r = runner.invoke(app, args)
    assert r.exit_code == 1 and "not a whole gzip file" in r.output, r.output
    assert not list(tmp_path.glob("judgit-*"))
    server.body = whole
    assert runner.invoke(app, args).exit_code == 0
    assert (tmp_path / "judgit-2017.ndjson.gz").read_bytes() == whole


def test_planted_links_are_never_written_through(server, tmp_path: Path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"keep me")
    out = tmp_path / "rs"
    out.mkdir()
    for name in (NAME + ".part", NAME, NAME + ".sha256", NAME + ".part.resume"):
        (out / name).symlink_to(outside)
    r = run(server, out)
    assert r.exit_code == 0, r.output
    assert outside.read_bytes() == b"keep me"
    assert (out / NAME).read_bytes() == server.body and not (out / NAME).is_symlink()


def test_the_hash_beside_each_file_says_what_changed(server, tmp_path: Path):
    import hashlib

    first = run(server, tmp_path)
    assert "new," in first.output
    digest = hashlib.sha256(server.body).hexdigest()
    assert (tmp_path / (NAME + ".sha256")).read_text() == f"{digest}  {NAME}\n"
    same = run(server, tmp_path, "--refresh")
    assert f"kept     {tmp_path / NAME} (unchanged since the last copy" in same.output
    server.body, server.etag = a_zip(b"v2"), '"v2"'
    changed = run(server, tmp_path, "--refresh")
    assert f"changed since the last copy: sha256 {digest[:12]} →" in changed.output
    (tmp_path / NAME).write_bytes(b"PK damaged")  # a damaged copy is fetched again
    assert "written" in run(server, tmp_path).output
    assert (tmp_path / NAME).read_bytes() == server.body
