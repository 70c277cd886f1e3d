"""A journalist's questions on the whole FY2024 RS year, each answered by one command and checked
against figures computed here with the ``csv`` module straight from the published ZIPs in
``../shared/data/rs2024/`` (RS system open data, PDL1.0). Skipped when that folder is absent."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.cli import app
from flowviz.sources.rs_csv import read_files
from flowviz.store.db import import_files

from ..rs.published_rules import budgets_2024, suspect_contract
from ..rs.test_fy2024_truth import RS2024, P, published


def suspect_contract_value(row: dict, budgets: dict) -> bool:
    """The published-rules test on a ``contracts --format json`` row."""
    rate = row["award_rate"]
    return suspect_contract(
        {
            f"契約額{P}": str(row["contract_value_yen"] or ""),
            f"落札率（％）{P}": "" if rate is None else str(rate),
            "予算事業ID": row["project_id"],
        },
        budgets,
    )


pytestmark = pytest.mark.skipif(not RS2024.is_dir(), reason="../shared/data/rs2024 not present")
runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("questions") / "flowviz.db"
    import_files(db, read_files(sorted(RS2024.glob("*.zip"))))
    return db


def cli_json(store: Path, *args: str) -> list[dict]:
    r = runner.invoke(app, [*args, "--format", "json", "--db", str(store)])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout, parse_float=Decimal)


def _int(text: str) -> int | None:
    t = text.strip().replace(",", "")
    return int(t) if re.fullmatch(r"-?\d+", t) else None


def test_sole_source_contracts_over_one_oku(store: Path):
    def sole_source(r: dict) -> bool:
        m = r[f"契約方式等{P}"]
        return m.startswith("随意契約") and not any(w in m for w in ("企画競争", "公募", "少額"))

    def non_competitive(r: dict) -> bool:
        return sole_source(r) or _int(r[f"入札者数（応募者数）{P}"]) == 1

    budgets = budgets_2024()
    chosen = [
        r for r in published("5-4") if non_competitive(r) and (_int(r[f"契約額{P}"]) or 0) >= 10**8
    ]
    expected = sorted(
        (r["予算事業ID"], _int(r[f"契約額{P}"])) for r in chosen if not suspect_contract(r, budgets)
    )
    rows = cli_json(store, "contracts", "--non-competitive", "--min-value", "1億")
    assert sorted((r["project_id"], r["contract_value_yen"]) for r in rows) == expected
    assert len(expected) > 1000
    # suspect values are listed only when asked, marked in the check column
    every = cli_json(
        store, "contracts", "--non-competitive", "--min-value", "1億", "--include-suspect"
    )
    assert len(every) == len(chosen) > len(expected)
    assert all(bool(r["check"]) == suspect_contract_value(r, budgets) for r in every)
    # "sole-source" is 随意契約 only: the one-bidder awards of competitive tenders are counted apart
    # over every matched contract, also when --top shows a few
    r = runner.invoke(
        app,
        ["contracts", "--non-competitive", "--min-value", "1億", "--top", "3", "--db", str(store)],
    )
    sole = sum(1 for x in chosen if sole_source(x) and not suspect_contract(x, budgets))
    n = len(expected)
    assert f"of these {n}: {sole} 随意契約 (sole-source), {n - sole} one-bidder" in r.stdout


def test_award_rate_in_sql_counts_like_the_published_column(store: Path):
    expected = sum(
        1
        for r in published("5-4")
        if r[f"落札率（％）{P}"].strip() and Decimal(r[f"落札率（％）{P}"]) >= 95
    )
    con = sqlite3.connect(store)
    (got,) = con.execute("select count(*) from contracts where award_rate >= 95").fetchone()
    con.close()
    assert got == expected > 900
    budgets = budgets_2024()
    sound = sum(
        1
        for r in published("5-4")
        if r[f"落札率（％）{P}"].strip()
        and Decimal(r[f"落札率（％）{P}"]) >= 95
        and not suspect_contract(r, budgets)
    )
    assert len(cli_json(store, "contracts", "--min-award-rate", "95")) == sound < expected


def test_companies_that_got_most_from_one_ministry(store: Path):
    sums: dict[str, int] = defaultdict(int)
    names: dict[str, str] = {}
    for r in published("5-3"):
        name, number = r["支出先名"], r["法人番号"].strip()
        if r["府省庁"] != "総務省" or not re.search("株式会社|合同会社|有限会社", name):
            continue
        key = number or name
        names.setdefault(key, name)
        sums[key] += _int(r["金額"]) or 0
    expected = sorted(sums.items(), key=lambda kv: -kv[1])[:5]
    rows = cli_json(store, "payees", "--ministry", "総務省", "--kind", "company", "--top", "5")
    assert [(r["corporate_number"] or r["payee"], r["amount_yen"]) for r in rows] == expected


def _depths() -> dict[str, int]:
    """Hops from the ministry to the farthest block, from 5-2 alone (longest simple path)."""
    links: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in published("5-2"):
        if r["支出先の支出先ブロック"].strip():
            links[r["予算事業ID"]][r["支出元の支出先ブロック"].strip()].add(
                r["支出先の支出先ブロック"].strip()
            )
    out = {}
    for pid, succ in links.items():
        targets = {t for ts in succ.values() for t in ts}
        starts = [t for s, ts in succ.items() if s == "" or s not in targets for t in ts]

        def longest(node: str, seen: frozenset[str], succ=succ) -> int:
            nxt = [t for t in succ.get(node, ()) if t not in seen]
            return 1 + max((longest(t, seen | {t}) for t in nxt), default=0)

        out[pid] = max(longest(t, frozenset({t})) for t in starts)
    return out


def test_projects_that_redelegate_five_levels_or_more(store: Path):
    expected = sorted(pid for pid, d in _depths().items() if d >= 5)
    rows = cli_json(store, "projects", "--min-depth", "5")
    assert sorted(r["project_id"] for r in rows) == expected
    assert "977" in expected  # 中米カリブ諸国との協力強化: 8 hops


def test_concentration_of_each_project_matches_the_published_amounts(store: Path):
    # projects whose every payee has a 法人番号: no group names (その他, 民間事業者) to leave out
    per_project: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    has_group_name: set[str] = set()
    for r in published("5-3"):
        if r["府省庁"] != "総務省" or not r["支出先名"].strip():
            continue
        if not r["法人番号"].strip():
            has_group_name.add(r["予算事業ID"])
        amount = _int(r["金額"])
        if amount is not None:
            per_project[r["予算事業ID"]][r["法人番号"].strip() or r["支出先名"]] += amount
    rows = cli_json(store, "concentration", "--by", "project", "--ministry", "総務省")
    got = {r["project_id"]: r for r in rows}
    checked = 0
    for pid, amounts in per_project.items():
        positive = [v for v in amounts.values() if v > 0]
        if pid in has_group_name or not positive:
            continue
        total = sum(positive)
        hhi = sum((Decimal(v) * 100 / total) ** 2 for v in positive)
        assert got[pid]["hhi"] == hhi.quantize(Decimal(1)), pid
        assert got[pid]["top1_share_pct"] == (Decimal(max(positive)) * 100 / total).quantize(
            Decimal("0.1")
        )
        assert got[pid]["total_yen"] == total
        checked += 1
    assert checked > 100


def test_empty_answers_still_print_the_csv_header(store: Path):
    r = runner.invoke(
        app, ["contracts", "--min-value", "1000兆", "--format", "csv", "--db", str(store)]
    )
    assert r.exit_code == 0 and r.stdout.splitlines()[0].startswith('"year","project_id"')


def test_excel_csv_has_a_bom_and_quotes_corporate_numbers(store: Path):
    r = runner.invoke(
        app, ["payees", "--kind", "company", "--top", "3", "--format", "excel", "--db", str(store)]
    )
    text = r.stdout_bytes.decode("utf-8")
    assert text.startswith("\ufeff") and text.count("\r\n") == 4
    first = text.split("\r\n")[1]
    assert re.search(r',"\d{13}",', first), first


def test_projects_and_info_agree_on_depth(store: Path):
    """The store's project_depths view counts hops as `info` does, on every project."""
    from flowviz.graph import depths
    from flowviz.store.db import connect
    from flowviz.store.rs_document import document_from_store

    con = connect(store)
    view = dict(con.execute("SELECT project_id, depth FROM project_depths WHERE year = 2024"))
    ids = [r[0] for r in con.execute("SELECT project_id FROM projects WHERE year = 2024")]
    differ = []
    for pid in ids:
        doc = document_from_store(con, 2024, pid)
        drawn = max(depths(doc).values(), default=0) if doc.flows else 0
        if drawn != (view.get(pid) or 0):
            differ.append((pid, drawn, view.get(pid)))
    con.close()
    assert len(ids) == 5664 and differ == []
