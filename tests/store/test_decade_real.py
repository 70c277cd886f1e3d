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


def valid_number(number: str | None) -> bool:
    """The NTA's check digit (法人番号の指定等に関する省令 第2条), restated: 9 − (Σ digit × (1 or 2,
    alternating from the right) mod 9)."""
    if not number or len(number) != 13 or not number.isdigit() or number == "9999999999999":
        return False
    body = number[1:][::-1]
    total = sum(int(d) * (1 if i % 2 == 0 else 2) for i, d in enumerate(body))
    return int(number[0]) == 9 - total % 9


def netone(name: str, number: str | None) -> bool:
    """NetOne's rows: its 法人番号, or no valid number and exactly its name (matched by name)."""
    return number == NETONE or (not valid_number(number) and _fold(name) == "ネットワンシステムズ")


def test_netone_per_year_totals_equal_the_published_rows(store: Path):
    want: dict[int, Decimal] = defaultdict(Decimal)
    by_name = 0
    for d in sheets():
        for p in d["支出先"]:
            if netone(p["支出先名"], p.get("法人番号")):
                want[p["年度"]] += (p["支出額"] or 0) * 1_000_000
                by_name += p.get("法人番号") != NETONE
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


DENTSU_OLD, DENTSU = "4010401048922", "5010401143788"


def rs_rows():
    """(sheet year, flow year, payee, 法人番号, yen) of every FY2024 5-3 row, read with csv."""
    (z,) = (SHARED / "rs2024").glob("5-3_*.zip")
    with zipfile.ZipFile(z) as zf:
        for r in csv.DictReader(io.StringIO(zf.read(zf.namelist()[0]).decode("utf-8-sig"))):
            yen = r["金額"].strip()
            year = int(r["事業年度"])
            yield (
                year,
                year - 1,
                r["支出先名"],
                r["法人番号"].strip(),
                Decimal(yen) if yen else None,
            )


def old_rows():
    for d in sheets():
        for p in d["支出先"]:
            yen = None if p["支出額"] is None else p["支出額"] * 1_000_000
            yield d["公開年度"], p["年度"], p["支出先名"], p.get("法人番号"), yen


def test_a_renumbered_company_is_one_organisation(store: Path):
    """The bundled identities file: 電通's rows under its old number up to sheet year 2020 are
    株式会社電通's; later rows under the old number stay with the holding company."""
    want: dict[int, Decimal] = defaultdict(Decimal)
    for year, flow_year, _name, number, yen in [*old_rows(), *rs_rows()]:
        if yen is not None and (number == DENTSU or (number == DENTSU_OLD and year <= 2020)):
            want[flow_year] += yen
    con = connect(store)
    rows = [r for r in payee_rows(con, DENTSU) if r["match"] != "by name"]  # suspect ones too
    got: dict[int, Decimal] = defaultdict(Decimal)
    for r in rows:
        got[r["flow_year"]] += r["amount_yen"] or 0
    assert {y: round(v) for y, v in want.items()} == {y: v for y, v in got.items()}
    assert {r["year"] for r in rows if r["match"] == "linked"} == {2016, 2017, 2018, 2019, 2020}
    holding = payee_rows(con, DENTSU_OLD)
    assert holding and all(r["year"] > 2020 for r in holding)
    match, _ = payee_answer(con, DENTSU)
    from flowviz.store.queries import organisation_lines

    text = "\n".join(organisation_lines(match))
    assert f"+ rows under {DENTSU_OLD} in sheet years up to 2020" in text


def test_history_follows_the_renumbering(store: Path):
    """内閣府 事業諸費 (JUDGIT! 事業ID of the 2018 sheet 0004): 電通 is one payee from 2015 on."""
    uid = next(
        d["事業ID"]
        for d in sheets()
        if (d["公開年度"], d["府省庁"], d["事業番号"]) == (2018, "内閣府", "0004")
    )
    want: dict[int, Decimal] = defaultdict(Decimal)
    linked = set()
    for d in sheets():
        if d["事業ID"] != uid or d["公開年度"] > 2020:
            continue
        for p in d["支出先"]:
            if p.get("法人番号") in (DENTSU, DENTSU_OLD) and p["支出額"] is not None:
                want[p["年度"]] += p["支出額"] * 1_000_000
            if p.get("法人番号") == DENTSU_OLD:
                linked.add(p["年度"])
    h = load_history(connect(store), "0004", "内閣府", 2018)
    (dentsu,) = [p for p in h.payees if p.corporate_number == DENTSU]
    assert not [p for p in h.payees if p.corporate_number == DENTSU_OLD]
    for year, yen in want.items():
        assert dentsu.by_year[year] == yen, year
    assert linked and dentsu.linked == linked


def _copy(store: Path, to: Path) -> Path:
    import sqlite3

    src, dst = sqlite3.connect(store), sqlite3.connect(to)
    src.backup(dst)
    src.close()
    dst.close()
    return to


NTT_DATA_OLD, NTT_DATA = "9010601021385", "6010601062093"
IDENTITY = ROOT / "tests" / "data" / "identity"


def test_a_users_identities_file_and_the_registry_change_every_answer(store: Path, tmp_path: Path):
    from typer.testing import CliRunner

    from flowviz.cli import app

    db = _copy(store, tmp_path / "copy.db")
    before = load_history(connect(db), "2021-官房-20-0009", "内閣官房", 2021)
    assert [p for p in before.payees if p.corporate_number == NTT_DATA_OLD]
    run = CliRunner().invoke
    r = run(app, ["identities", str(IDENTITY / "ntt-data.csv"), "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert f"{NTT_DATA_OLD} → {NTT_DATA}  sheet years up to 2024" in r.stdout
    assert f"{DENTSU_OLD} → {DENTSU}" in r.stdout  # the bundled links stay
    # payee: the new number's organisation now holds every row of the old number
    want: dict[int, Decimal] = defaultdict(Decimal)
    for _year, flow_year, _name, number, yen in [*old_rows(), *rs_rows()]:
        if yen is not None and number in (NTT_DATA, NTT_DATA_OLD):
            want[flow_year] += yen
    rows = [r for r in payee_rows(connect(db), NTT_DATA) if r["match"] != "by name"]
    got: dict[int, Decimal] = defaultdict(Decimal)
    for row in rows:
        if not row["record"].endswith("contract"):
            got[row["flow_year"]] += row["amount_yen"] or 0
    assert {y: round(v) for y, v in want.items()} == dict(got)
    # history: the payee is shown under the organisation it now belongs to, and says why
    after = load_history(connect(db), "2021-官房-20-0009", "内閣官房", 2021)
    assert not [p for p in after.payees if p.corporate_number == NTT_DATA_OLD]
    (ntt,) = [p for p in after.payees if p.corporate_number == NTT_DATA]
    assert ntt.linked == {2020} and ntt.name == "株式会社ＮＴＴデータ"
    r = run(
        app,
        [
            "history",
            "2021-官房-20-0009",
            "--ministry",
            "内閣官房",
            "--year",
            "2021",
            "--db",
            str(db),
        ],
    )
    assert "joined by the identities file" in r.stdout
    # the registry: closures, successors, and numbers it does not hold stop naming a company
    match, _ = payee_answer(connect(db), "株式会社電通")
    assert match.chosen is None  # 4010400000000 (a typo that passes the check digit) uses the name
    r = run(app, ["registry", str(IDENTITY / "registry.csv"), "--complete", "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "registry: 5 of the store's" in r.stdout and "not registered" in r.stdout
    r = run(app, ["payee", NTT_DATA_OLD, "--db", str(db)])
    assert "closed 2030-07-01 (合併による解散等)" in r.stdout
    assert f"successor: {NTT_DATA}" in r.stdout
    match, rows = payee_answer(connect(db), "株式会社電通")
    assert match.chosen is not None and match.chosen.corporate_number == DENTSU
    assert any(
        row["corporate_number"] == "4010400000000" and row["match"] == "by name" for row in rows
    )
    r = run(app, ["payee", DENTSU, "--db", str(db)])
    assert "registered: 株式会社電通 (DENTSU INC.)" in r.stdout


def test_every_year_ranks_each_yen_once_under_one_identity(store: Path):
    """The whole class, every old-format year: each listed yen of the NDJSON is ranked once or
    counted apart (groups, anonymised, suspect), never lost or counted twice by the identity
    joins; and a row published with a valid 法人番号 is ranked under that number unless the
    identities file links it (check digit restated in the test)."""
    from flowviz.store.identity_links import bundled_links
    from flowviz.store.questions import listed_payments, payee_ranking

    links = bundled_links()
    want: dict[int, Decimal] = defaultdict(Decimal)
    for year, _flow_year, name, _number, yen in old_rows():
        if yen is not None and name:
            want[year] += yen
    con = connect(store)
    for year in sorted(want):
        ranking = payee_ranking(con, year)
        got = sum(r["amount_yen"] or 0 for r in ranking.rows)
        got += ranking.group_names.yen + ranking.masked_names.yen + ranking.suspect.yen
        rows = listed_payments(con, year)
        assert abs(got - want[year]) < len(rows), year  # sub-yen figures taken at the nearest yen
        for r in rows:
            num = r["corporate_number"]
            if valid_number(num) and not any(
                link.corporate_number == num and link.covers(year) for link in links
            ):
                assert r["organisation"] == num and r["identity"] == "", (year, r["payee"])
            elif r["identity"] == "by name":
                assert not valid_number(num) or r["organisation"] != num
