"""The whole decade (FY2024 and 2015–2023) published with Datasette on 127.0.0.1: every table
page describes its own columns and only those, every advertised view and canned query answers
within Datasette's own time limit, yen columns show thousands separators, search works, and a
derived table's sums equal plain CSV arithmetic on the published file.

Speed is checked by Datasette, not by a timer in the test: the server runs with its default
``sql_time_limit_ms`` of 1000 (set explicitly), and a query over that limit is answered with
an error ("SQL query took too long"), which fails the test. Nothing here measures the machine.
"""

from __future__ import annotations

import csv
import importlib.metadata
import io
import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import flowviz.store.datasette_plugins as plugins
from flowviz.cli import app

from ..conftest import SHARED
from .test_datasette import free_port

runner = CliRunner()
NETONE = "7010701007922"
#: what the README advertises: views and derived tables, with the filters people use
ADVERTISED = [
    "payee_totals_by_year.json?_size=50",
    f"payee_totals_by_year.json?corporate_number={NETONE}",
    "payee_totals_by_year.json?flow_year=2020&ministry=%E7%B7%8F%E5%8B%99%E7%9C%81&_sort_desc=amount_yen",
    "payee_totals_by_year.json?_sort_desc=amount_yen",
    "project_depths.json?_sort_desc=depth",
    "non_competitive_contracts.json?_sort_desc=contract_value_yen",
    "non_competitive_contracts.json?ministry=%E7%B7%8F%E5%8B%99%E7%9C%81",
]
CANNED = {
    "money_to_an_organisation": {"corporate_number": NETONE},
    "non_competitive_contracts_of_a_ministry": {"ministry": "総務省"},
    "large_awards_without_a_reason": {"year": "2024"},
    "contracts_listed_in_several_projects": {},
}


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def answer(url: str) -> Any:
    """A JSON answer that Datasette gave without error (a query over the time limit is an error)."""
    status, body = fetch(url)
    data = json.loads(body)
    error = data.get("error") if isinstance(data, dict) else None
    assert status == 200 and not error, f"{url}: {status} {error}"
    return data


@pytest.fixture(scope="module")
def served(decade_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    meta = tmp_path_factory.mktemp("meta") / "metadata.json"
    r = runner.invoke(app, ["datasette-metadata", "--out", str(meta), "--db", str(decade_store)])
    assert r.exit_code == 0, r.output
    port = free_port()
    cmd = [str(Path(sys.executable).with_name("datasette")), "serve", str(decade_store)]
    cmd += ["-m", str(meta), "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--setting", "sql_time_limit_ms", "1000"]
    # a checkout not yet reinstalled by pip lacks the entry point: load the plugin from its folder
    if not any(e.name == "flowviz" for e in importlib.metadata.entry_points(group="datasette")):
        cmd += ["--plugins-dir", str(Path(plugins.__file__).parent)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        yield f"{base}/{decade_store.stem}"
    finally:
        proc.terminate()
        proc.wait(10)


def test_each_table_page_describes_only_its_own_columns(served: str):
    base = served.rsplit("/", 1)[0]
    tables = answer(f"{base}/-/metadata.json")["databases"]["flowviz"]["tables"]
    database = answer(f"{served}.json")
    shown = {t["name"] for t in database["tables"] if not t["hidden"]}
    shown |= {v if isinstance(v, str) else v["name"] for v in database["views"]}
    assert {"contracts", "sheet_payees", "payee_totals_by_year", "project_depths"} <= set(tables)
    assert shown - set(tables) <= {"meta"}, "a table without a description"
    for name in sorted(shown - {"meta"}):  # a table the store has not made (registry) is not served
        entry = tables[name]
        columns = answer(f"{served}/{urllib.parse.quote(name)}.json?_size=1")["columns"]
        assert set(entry["columns"]) == set(columns) - {"rowid"}, name
        assert all(" / " in d for d in entry["columns"].values()), name  # Japanese / English
    page = fetch(f"{served}/contracts")[1].decode()
    assert "契約額（支払額ではない）" in page and "費目 / expense item" not in page
    assert "A contract value is not a payment" in page  # the table's caveat
    page = fetch(f"{served}/sheet_payees")[1].decode()
    assert "who paid whom is not published" in page and "JUDGIT!" in page
    assert "Suspect figures" in fetch(f"{served}/expenses")[1].decode()


def test_every_advertised_view_and_canned_query_answers_within_the_time_limit(served: str):
    for path in ADVERTISED:
        assert answer(f"{served}/{path}")["rows"], path
    for name, params in CANNED.items():
        data = answer(f"{served}/{name}.json?{urllib.parse.urlencode(params)}")
        assert data["rows"], name
    netone = answer(
        f"{served}/money_to_an_organisation.json?corporate_number={NETONE}&_shape=array"
    )
    assert {r["source"] for r in netone} == {"old-format", "RS 5-3"} and len(netone) > 10


def test_yen_columns_show_separators_and_search_works(served: str):
    rows = answer(f"{served}/payee_totals_by_year.json?corporate_number={NETONE}&_shape=array")
    page = fetch(f"{served}/payee_totals_by_year?corporate_number={NETONE}")[1].decode()
    big = max(r["amount_yen"] for r in rows)
    assert big >= 1000 and f'<span class="flowviz-yen">{big:,}</span>' in page
    assert f">{rows[0]['flow_year']:,}<" not in page  # a year is no money
    q = urllib.parse.quote("ネットワンシステムズ")
    found = answer(f"{served}/sheet_payees.json?_search={q}&_shape=array")
    assert found and all("ネットワンシステムズ" in r["payee"] for r in found)


def test_payee_totals_equal_the_published_5_3_file(served: str):
    (z,) = (SHARED / "rs2024").glob("5-3_*.zip")
    with zipfile.ZipFile(z) as zf:
        rows = list(csv.DictReader(io.StringIO(zf.read(zf.namelist()[0]).decode("utf-8-sig"))))
    amounts = [r["金額"].strip().removesuffix(".0") for r in rows]
    want = sum(int(a) for a in amounts if a)
    sql = (
        "select sum(amount_yen) + coalesce(sum(suspect_yen), 0) as s,"
        " sum(rows) + sum(suspect_rows) as n from payee_totals_by_year where source = 'RS 5-3'"
    )
    (got,) = answer(f"{served}.json?sql={urllib.parse.quote(sql)}&_shape=array")
    assert got == {"s": want, "n": len(rows)}
    # suspect figures are summed apart: the largest total is no unit slip (NEC's 324兆円 of 2020)
    sql = "select max(amount_yen) as top, max(suspect_yen) as slip from payee_totals_by_year"
    (big,) = answer(f"{served}.json?sql={urllib.parse.quote(sql)}&_shape=array")
    assert big["top"] < 50 * 10**12 < big["slip"]
