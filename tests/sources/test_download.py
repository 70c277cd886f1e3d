"""`flowviz download rs` against a real HTTP server on 127.0.0.1 serving ../shared/data/rs2024:
the same bytes, HTML answers refused, interrupted downloads resumed, complete files kept."""

from __future__ import annotations

import http.server
import threading
import urllib.parse
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.cli import app

from ..conftest import ROOT

RS2024 = ROOT.parent / "shared" / "data" / "rs2024"
JUDGIT = ROOT.parent / "shared" / "data" / "judgit"
pytestmark = pytest.mark.skipif(not RS2024.is_dir(), reason="../shared/data/rs2024 not present")
runner = CliRunner()
PAGE = b"<!DOCTYPE html><html><body>not found</body></html>"


class Site(http.server.BaseHTTPRequestHandler):
    """Like the RS site: /files/YEAR/rs/NAME.zip, HTTP 200 with a page for a missing file,
    and Range requests for resuming."""

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        name = urllib.parse.unquote(self.path.rsplit("/", 1)[-1])
        folder = JUDGIT if self.path.startswith("/judgit/") else RS2024
        path = folder / name
        ok = self.path.startswith(("/files/2024/rs/", "/judgit/"))
        if not ok or not path.is_file():
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(PAGE)
            return
        body = path.read_bytes()
        rng = self.headers.get("Range")
        if rng:
            start = int(rng.split("=")[1].split("-")[0])
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            body = body[start:]
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_download_writes_the_published_bytes_and_refuses_pages(site: str, tmp_path: Path):
    out = tmp_path / "rs"
    r = runner.invoke(app, ["download", "rs", "2024", "--to", str(out), "--base-url", site])
    assert r.exit_code == 0, r.output
    published = sorted(p.name for p in RS2024.glob("*.zip"))
    assert sorted(p.name for p in out.glob("*.zip")) == published
    for name in published:
        assert (out / name).read_bytes() == (RS2024 / name).read_bytes()
    assert r.output.count("missing") == 15 - len(published)
    assert not list(out.glob("*.part"))


def test_download_resumes_and_keeps_complete_files(site: str, tmp_path: Path):
    out = tmp_path / "rs"
    out.mkdir()
    name = "5-3_RS_2024_支出先_費目・使途.zip"
    (out / (name + ".part")).write_bytes((RS2024 / name).read_bytes()[:5000])
    r = runner.invoke(app, ["download", "rs", "2024", "--to", str(out), "--base-url", site])
    assert r.exit_code == 0, r.output
    assert (out / name).read_bytes() == (RS2024 / name).read_bytes()
    again = runner.invoke(app, ["download", "rs", "2024", "--to", str(out), "--base-url", site])
    assert again.output.count("kept") == 5 and "written" not in again.output


def test_unreachable_site_is_one_line(tmp_path: Path):
    r = runner.invoke(
        app, ["download", "rs", "2024", "--to", str(tmp_path), "--base-url", "http://127.0.0.1:9"]
    )
    assert r.exit_code == 1 and "run the command again to resume" in r.output


def test_download_judgit_writes_the_same_bytes_and_refuses_pages(site: str, tmp_path: Path):
    out = tmp_path / "judgit"
    args = ["download", "judgit", "2017", "--to", str(out), "--base-url", site + "/judgit"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    name = "judgit-2017.ndjson.gz"
    assert (out / name).read_bytes() == (JUDGIT / name).read_bytes()
    missing = runner.invoke(app, [*args[:2], "2030", *args[3:]])
    assert "missing  judgit-2030.ndjson.gz" in missing.output
    assert not (out / "judgit-2030.ndjson.gz").exists()


def test_download_judgit_without_a_mirror_says_where_the_data_is(tmp_path: Path):
    r = runner.invoke(app, ["download", "judgit", "2017", "--to", str(tmp_path)])
    assert r.exit_code == 1
    assert r.output.count("error:") == 1 and "judgit/data" in r.output
