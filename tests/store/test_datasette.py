"""The store published with Datasette, for real: served on 127.0.0.1, a view queried over HTTP
and compared with a count made straight from the published CSV."""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.cli import app

from ..conftest import ROOT

RS2024 = ROOT.parent / "shared" / "data" / "rs2024"
JUDGIT = ROOT.parent / "shared" / "data" / "judgit"
pytestmark = pytest.mark.skipif(not RS2024.is_dir(), reason="../shared/data/rs2024 not present")
runner = CliRunner()
P = "（国庫債務負担行為等による契約）"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> object:
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


def test_datasette_serves_the_store_and_its_views(tmp_path: Path):
    db, meta = tmp_path / "flowviz.db", tmp_path / "metadata.json"
    assert (
        runner.invoke(
            app,
            [
                "import",
                *map(str, sorted(RS2024.glob("*.zip"))),
                str(JUDGIT / "judgit_デジタル庁_2023-デジ-22-0001-15.json"),
                "--db",
                str(db),
            ],
        ).exit_code
        == 0
    )
    assert runner.invoke(app, ["datasette-metadata", "--out", str(meta)]).exit_code == 0
    port = free_port()
    exe = Path(sys.executable).with_name("datasette")
    proc = subprocess.Popen(
        [str(exe), "serve", str(db), "-m", str(meta), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                get(f"{base}/-/versions.json")
                break
            except OSError:
                time.sleep(0.2)
        sql = urllib.parse.quote("select count(*) as n from non_competitive_contracts")
        (row,) = get(f"{base}/flowviz.json?sql={sql}&_shape=array")
        rate = urllib.parse.quote("select count(*) as n from contracts where award_rate >= 95")
        (rated,) = get(f"{base}/flowviz.json?sql={rate}&_shape=array")
        metadata = get(f"{base}/-/metadata.json")
        # full-text search as Datasette detects it: ?_search= filters, on RS and old-format rows
        q = urllib.parse.quote("博報堂")
        found = get(f"{base}/flowviz/contracts.json?_search={q}&_shape=array&_size=max")
        every = get(f"{base}/flowviz/contracts.json?_shape=array&_size=max")
        q = urllib.parse.quote("東京センチュリー")
        old_rows = get(f"{base}/flowviz/sheet_payees.json?_search={q}&_shape=array")
    finally:
        proc.terminate()
        proc.wait(10)
    (z,) = RS2024.glob("5-4_*.zip")
    with zipfile.ZipFile(z) as zf:
        rows = list(csv.DictReader(io.StringIO(zf.read(zf.namelist()[0]).decode("utf-8-sig"))))

    def non_competitive(r: dict) -> bool:
        m = r[f"契約方式等{P}"]
        free = m.startswith("随意契約") and not any(k in m for k in ("企画競争", "公募", "少額"))
        return free or r[f"入札者数（応募者数）{P}"].strip() in ("1", "1.0")

    assert row["n"] == sum(1 for r in rows if non_competitive(r)) > 1000
    assert rated["n"] == sum(
        1 for r in rows if r[f"落札率（％）{P}"].strip() and float(r[f"落札率（％）{P}"]) >= 95
    )
    want = sum(
        1 for r in rows if "博報堂" in r[f"契約先名{P}"] or "博報堂" in r[f"契約概要（契約名）{P}"]
    )
    assert len(found) == want > 0 and len(every) > len(found)
    assert old_rows and all("東京センチュリー" in r["payee"] for r in old_rows)
    tables = metadata["databases"]["flowviz"]["tables"]
    assert (
        "契約額" in tables["contracts"]["columns"]["amount"]
        or "金額" in tables["contracts"]["columns"]["amount"]
    )
    assert tables["contracts"]["license"].startswith("公共データ利用規約")
