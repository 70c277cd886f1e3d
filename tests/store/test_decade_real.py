"""A decade in one store: all nine old-format years and FY2024, checked against the published
files with plain ``json``/``csv`` arithmetic (never flowviz's readers).

Skipped when ``../shared/data`` is not beside the repository.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import unicodedata
import zipfile
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from flowviz.analysis.diff import load_diff
from flowviz.analysis.history import load_history
from flowviz.store.db import connect
from flowviz.store.queries import payee_answer, payee_rows, payee_totals

from ..conftest import ROOT

SHARED = ROOT.parent / "shared" / "data"
pytestmark = pytest.mark.skipif(
    not (SHARED / "judgit").is_dir(), reason="../shared/data not present"
)
NETONE = "7010701007922"


def sheets():
    for path in sorted((SHARED / "judgit").glob("judgit-*.ndjson.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                yield json.loads(line, parse_float=Decimal)


@pytest.fixture(scope="module")
def store(decade_store: Path) -> Path:
    """The session's decade store (tests/conftest.py), shared with other whole-decade tests."""
    return decade_store


def test_every_sheet_and_payee_row_is_stored(store: Path):
    n_sheets = n_payees = 0
    for d in sheets():
        n_sheets += 1
        n_payees += len(d["支出先"])
    con = connect(store)
    assert con.execute("SELECT COUNT(*) FROM sheets").fetchone()[0] == n_sheets == 47_597
    assert con.execute("SELECT COUNT(*) FROM sheet_payees").fetchone()[0] == n_payees == 699_361


def _fold(name: str) -> str:
    """The test's own plain folding: NFKC, no spaces or middle dots, no 株式会社/(株)."""
    s = unicodedata.normalize("NFKC", name or "")
    s = re.sub(r"[\s・･]", "", s)
    return re.sub(r"株式会社|\(株\)|㈱", "", s)


def netone(name: str, number: str | None) -> bool:
    """NetOne's rows: its 法人番号, or no number and exactly its name (matched by name)."""
    return number == NETONE or (not number and _fold(name) == "ネットワンシステムズ")


def test_netone_per_year_totals_equal_the_published_rows(store: Path):
    want: dict[int, Decimal] = defaultdict(Decimal)
    by_name = 0
    for d in sheets():
        for p in d["支出先"]:
            if netone(p["支出先名"], p.get("法人番号")):
                want[p["年度"]] += (p["支出額"] or 0) * 1_000_000
                by_name += not p.get("法人番号")
    (z,) = (SHARED / "rs2024").glob("5-3_*.zip")
    with zipfile.ZipFile(z) as zf:
        for r in csv.DictReader(io.StringIO(zf.read(zf.namelist()[0]).decode("utf-8-sig"))):
            if netone(r["支出先名"], r["法人番号"].strip()):
                want[int(r["事業年度"]) - 1] += Decimal(r["金額"].strip() or 0)
    assert by_name > 0  # rows without a 法人番号 are counted with their organisation
    rows = payee_rows(connect(store), NETONE)
    old_by_name = [r for r in rows if r["match"] == "by name" and r["record"] == "old-format payee"]
    assert len(old_by_name) == by_name
    rows = payee_rows(connect(store), NETONE)
    got = payee_totals(rows)["by_flow_year"]
    # the store takes sub-yen published figures at the nearest yen (listed in sheet_adjustments)
    assert set(got) == set(want)
    for year, yen in want.items():
        assert abs(got[year] - yen) < 1, (year, got[year], yen)
    ministries = {r["ministry"] for r in rows}
    assert {"総務省", "文部科学省", "厚生労働省"} <= ministries


def test_0048_history_spans_2015_to_2019_with_its_contractors(store: Path):
    h = load_history(connect(store), "0048", "総務省", 2017)
    old = [
        (m.year, m.number, m.evidence)
        for m in h.members
        if m.evidence == "project_uid" or m.year == 2017
    ]
    assert [(y, n) for y, n, _ in old] == [
        (2015, "0050"),
        (2016, "0046"),
        (2017, "0048"),
        (2018, "0044"),
        (2019, "0045"),
    ]
    names = {p.name for p in h.payees}
    assert {
        "地方公共団体情報システム機構",
        "ネットワンシステムズ株式会社",
        "日本電気株式会社",
    } <= names


def test_diff_names_what_appeared_and_vanished(store: Path):
    listed: dict[int, Counter] = {}
    for d in sheets():
        if d.get("事業ID") == 4347 and d["公開年度"] in (2016, 2017):
            c = Counter()
            for p in d["支出先"]:
                c[p["法人番号"] or p["支出先名"]] += p["支出額"] * 1_000_000
            listed[d["公開年度"] - 1] = c
    d = load_diff(connect(store), 2015, 2016, "0048", None, "総務省", 2017)
    new = {r["corporate_number"] or r["payee"] for r in d.rows if r["status"] == "new"}
    gone = {r["corporate_number"] or r["payee"] for r in d.rows if r["status"] == "gone"}
    assert new == set(listed[2016]) - set(listed[2015])
    assert gone == set(listed[2015]) - set(listed[2016])
    netone = next(r for r in d.rows if r["corporate_number"] == NETONE)
    assert netone["amount_2016_yen"] == listed[2016][NETONE]


@pytest.mark.parametrize(
    "spelling",
    [
        "ﾈｯﾄﾜﾝｼｽﾃﾑｽﾞ",
        "ネットワンシステムズ株式会社",
        "株式会社ネットワンシステムズ",
        "ネットワン・システムズ（株）",
        "ねっとわんしすてむず",
        "NetOne",
        NETONE,
    ],
)
def test_every_spelling_of_netone_reaches_one_organisation(store: Path, spelling: str):
    con = connect(store)
    match, rows = payee_answer(con, spelling)
    assert match.chosen is not None and match.chosen.corporate_number == NETONE
    want = payee_totals(payee_rows(con, NETONE))
    assert payee_totals(rows) == want


def test_a_name_of_several_organisations_is_listed_not_summed(store: Path):
    from typer.testing import CliRunner

    from flowviz.cli import app

    match, rows = payee_answer(connect(store), "日本電気")
    numbers = {o.corporate_number for o in match.matched}
    assert match.chosen is None and rows == []
    assert {"7010401022916", "4010405002454", "8010005004319"} <= numbers  # NEC, 検定所, 協会
    r = CliRunner().invoke(app, ["payee", "日本電気", "--db", str(store)])
    assert r.exit_code == 0 and "none is summed with another" in r.stdout
    assert "payments, total" not in r.stdout
    r = CliRunner().invoke(app, ["payee", "ﾈｯﾄﾜﾝxyz", "--db", str(store)])
    assert r.exit_code == 1 and "nearest names: ネットワ" in r.output


CAP, MIN_JUDGED, RATIO = 50 * 10**12, 10**8, 100


def _suspect(amount: Decimal, executed: Decimal | None) -> bool:
    """docs/methods.md, "Suspect figures", restated on the NDJSON's own numbers."""
    if abs(amount) > CAP:
        return True
    return bool(executed) and executed > 0 and amount >= MIN_JUDGED and amount > executed * RATIO


def test_no_ranking_of_the_decade_rests_on_a_suspect_figure(store: Path):
    """Every old-format year and ministry: the figures left out as suspect are exactly those the
    published rows make suspect, and no ministry's top payee or HHI includes one."""
    want: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for d in sheets():
        flow_year = d["公開年度"] - 1
        executed = next(
            (
                Decimal(b["執行額"]) * 10**6
                for b in d["予算"] or []
                if b.get("年度") == flow_year and b.get("執行額") is not None
            ),
            None,
        )
        groups: dict[tuple, Decimal] = defaultdict(Decimal)
        for p in d["支出先"]:
            if p["支出先名"] and p["支出額"] is not None:
                groups[(p["支出先名"], p.get("法人番号"))] += Decimal(p["支出額"]) * 10**6
        for amount in groups.values():
            if _suspect(amount, executed):
                want[(d["公開年度"], d["府省庁"])] += amount
    assert len(want) > 5  # the class is real across the decade
    con = connect(store)
    from flowviz.analysis.concentration import concentration
    from flowviz.store.questions import listed_payments, payee_ranking

    for year in range(2015, 2024):
        rows = concentration(listed_payments(con, year), "ministry")
        got = {r["ministry"]: r["suspect_yen"] for r in rows}
        for (y, ministry), amount in want.items():
            if y == year:
                assert abs(got[ministry] - amount) < 10, (year, ministry, got[ministry], amount)
        assert all(got[m] == 0 for m in got if (year, m) not in want)
        ranking = payee_ranking(con, year)
        left = sum(a for (y, _), a in want.items() if y == year)
        assert abs(ranking.suspect.yen - left) < 10
        top = ranking.rows[0]["amount_yen"]
        assert top < CAP
