"""Truth on the national data: the whole FY2024 RS year, checked against the published files.

Every expected figure here is computed independently, with the ``csv`` module straight from the
ZIPs in ``../shared/data/rs2024/`` (RS system open data, PDL1.0), never with flowviz's reader.
The test is skipped when that folder is not beside the repository.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.analysis import flags
from flowviz.cli import app
from flowviz.render.exports import ftm_entities
from flowviz.render.layout import sankey_layout
from flowviz.render.sankey_svg import sankey_svg
from flowviz.render.v1_json import document_to_data
from flowviz.sources.rs_csv import read_files
from flowviz.store.db import connect, import_files
from flowviz.store.queries import payee_rows
from flowviz.store.rs_document import document_from_store

from ..conftest import ROOT

RS2024 = ROOT.parent / "shared" / "data" / "rs2024"
pytestmark = pytest.mark.skipif(not RS2024.is_dir(), reason="../shared/data/rs2024 not present")
runner = CliRunner()
P = "（国庫債務負担行為等による契約）"


def published(kind: str) -> list[dict[str, str]]:
    """The rows of one published file, read with the csv module only."""
    (zpath,) = RS2024.glob(f"{kind}_*.zip")
    with zipfile.ZipFile(zpath) as z:
        text = z.read(z.namelist()[0]).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("fy2024") / "flowviz.db"
    import_files(db, read_files(sorted(RS2024.glob("*.zip"))))
    return db


@pytest.fixture(scope="module")
def contracts_csv() -> list[dict[str, str]]:
    """Named 5-4 contracts, or rows with a contract value."""
    rows = published("5-4")
    return [r for r in rows if r[f"契約先名{P}"].strip() or r[f"契約額{P}"].strip()]


@pytest.fixture(scope="module")
def docs(store: Path, contracts_csv) -> dict[str, object]:
    con = connect(store)
    pids = sorted({r["予算事業ID"] for r in contracts_csv}, key=int)
    out = {pid: document_from_store(con, 2024, pid) for pid in pids}
    con.close()
    return out


def test_every_named_contract_reaches_payee_v1_and_ftm(store: Path, contracts_csv, docs):
    con = connect(store)
    by_number: dict[str, Counter] = {}
    for r in contracts_csv:
        number = r[f"契約先の法人番号{P}"].strip()
        if len(number) == 13 and number != "9999999999999":
            by_number.setdefault(number, Counter())[
                (r["予算事業ID"], int(r[f"契約額{P}"] or 0))
            ] += 1
    missing = []
    for number, want in by_number.items():
        rows = payee_rows(con, number)
        got = Counter(
            (r["project_id"], r["contract_value_yen"] or 0)
            for r in rows
            # rows without a number that join by name are the identity rule's (tested apart)
            if r["record"] == "5-4 contract" and r["match"] != "by name"
        )
        if got != want:
            missing.append(number)
    con.close()
    assert not missing, missing[:5]
    # every contract row of a project is a contract record of its v1 and FtM exports
    per_project = Counter(r["予算事業ID"] for r in contracts_csv)
    for pid, doc in docs.items():
        v1 = document_to_data(doc)
        assert (
            sum(1 for c in v1.get("contracts", []) if c["origin"].startswith("RS 5-4"))
            == per_project[pid]
        )
        awards = [e for e in ftm_entities(doc) if e["schema"] == "ContractAward"]
        assert len(awards) == len(doc.all_contracts())
        values = sorted(int(a["properties"].get("amount", ["0"])[0]) for a in awards)
        want = sorted(int(r[f"契約額{P}"] or 0) for r in contracts_csv if r["予算事業ID"] == pid)
        assert [v for v in values if v] == [w for w in want if w]


def _non_competitive(method: str) -> bool:
    m = method.replace(" ", "")
    return m.startswith("随意契約") and not any(k in m for k in ("企画競争", "公募", "少額"))


def test_flag_counts_equal_a_plain_count_of_the_csv(contracts_csv, docs):
    from .published_rules import budgets_2024, suspect_contract

    budgets = budgets_2024()
    sound = [r for r in contracts_csv if not suspect_contract(r, budgets)]
    want_fv001 = sum(1 for r in sound if _non_competitive(r[f"契約方式等{P}"]))
    want_fv002 = sum(1 for r in sound if r[f"入札者数（応募者数）{P}"].strip() in ("1", "1.0"))
    want_suspect = len(contracts_csv) - len(sound)
    found = Counter()
    fv010_on_suspect = []
    for doc in docs.values():
        for f in flags(doc):
            if f["contract_id"] and f["contract_id"].startswith("5-4:"):
                found[f["rule_id"]] += 1
                if f["rule_id"] == "FV010" and f["contract_id"] in doc.suspects:
                    fv010_on_suspect.append(f["contract_id"])
    assert found["FV001"] == want_fv001
    assert found["FV002"] == want_fv002
    # suspect contract values get their own finding and no other rule (32 in FY2024)
    assert found["FV011"] == want_suspect and want_suspect > 20
    assert fv010_on_suspect == []
    assert want_fv001 > 500 and want_fv002 > 500  # the real year, not an empty fixture


def test_award_rates_compare_as_numbers_in_sql(store: Path, contracts_csv):
    want = sum(
        1
        for r in contracts_csv
        if r[f"落札率（％）{P}"].strip() and Decimal(r[f"落札率（％）{P}"]) >= 95
    )
    con = connect(store)
    (got,) = con.execute("SELECT COUNT(*) FROM contracts WHERE award_rate >= 95").fetchone()
    texts = [r[0] for r in con.execute("SELECT DISTINCT CAST(award_rate AS TEXT) FROM contracts")]
    con.close()
    assert got == want
    assert not [t for t in texts if t and "E" in t.upper()]


def test_hakuhodo_payments_and_contracts_with_their_own_amounts(store: Path):
    r = runner.invoke(app, ["payee", "8010401024011", "--db", str(store), "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    contracts = {
        (x["project_id"], x["contract_value_yen"]) for x in rows if x["record"] == "5-4 contract"
    }
    assert ("7135", 421_190_126_014) in contracts and ("19897", 484_388_725_000) in contracts
    want = {
        (x["予算事業ID"], int(x[f"契約額{P}"]))
        for x in published("5-4")
        if x[f"契約先の法人番号{P}"].strip() == "8010401024011"
    }
    assert contracts == want
    pays = {
        x["project_id"]: x["amount_yen"]
        for x in rows
        if x["record"] == "5-3 payment" and x["block"] == "A"
    }
    want_7259 = sum(
        int(x["金額"])
        for x in published("5-3")
        if x["予算事業ID"] == "7259" and x["法人番号"] == "8010401024011"
    )
    assert pays["7259"] == want_7259


@pytest.mark.parametrize("pid", ["7135", "3649"])
def test_info_never_claims_a_zero_total(store: Path, pid: str):
    r = runner.invoke(app, ["info", "-p", pid, "--db", str(store)])
    assert r.exit_code == 0
    total = next(line for line in r.stdout.splitlines() if line.startswith("total:"))
    assert "total:     0円" not in total
    assert "not published" in total or "at least" in total


def test_3649_draws_the_unknown_link_as_unknown(store: Path):
    doc = document_from_store(connect(store), 2024, "3649")
    svg = ET.fromstring(sankey_svg(sankey_layout(doc)))
    links = [g for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("data-flow")]
    from_ministry = [
        g for g in links if g.get("data-flow") == "L" + str(_line_of_3649_ministry_link())
    ]
    assert from_ministry and from_ministry[0].get("data-style") == "unknown"
    assert from_ministry[0].get("data-amount-yen") == ""
    assert "金額不明" in "".join(from_ministry[0].itertext())


def _line_of_3649_ministry_link() -> int:
    """The CSV line (header = 1) of 3649's ministry → A row in 5-2, found independently."""
    for i, r in enumerate(published("5-2"), start=2):
        if r["予算事業ID"] == "3649" and r["担当組織からの支出"] == "TRUE":
            return i
    raise AssertionError("no ministry link for 3649")


def test_no_picture_draws_negative_or_unknown_as_a_band(store: Path):
    con = connect(store)
    pids = [r[0] for r in con.execute("SELECT project_id FROM projects WHERE year = 2024")]
    styles = Counter()
    for pid in pids:
        svg = ET.fromstring(sankey_svg(sankey_layout(document_from_store(con, 2024, pid))))
        for g in svg.iter("{http://www.w3.org/2000/svg}g"):
            if g.get("data-flow") is None:
                continue
            amount, style = g.get("data-amount-yen"), g.get("data-style")
            styles[style] += 1
            filled = [
                p
                for p in g.iter("{http://www.w3.org/2000/svg}path")
                if p.get("fill") not in (None, "none")
            ]
            if amount == "" or int(amount) <= 0:
                assert not filled and style in ("unknown", "negative", "zero"), (pid, amount)
        text = " ".join(t for t in svg.itertext())
        assert not re.search(r"\d[eE][+-]?\d", text), pid
    con.close()
    assert styles["unknown"] and styles["negative"] and styles["zero"]


def test_implausible_contract_value_is_flagged_not_fixed(docs):
    doc = docs["7538"]
    found = [f for f in flags(doc) if f["rule_id"] == "FV011" and f["contract_id"]]
    assert [f["figures"]["contract_value_yen"] for f in found] == [169_374_456_026_000]
    assert any(c.amount_yen == 169_374_456_026_000 for c in doc.contracts)
