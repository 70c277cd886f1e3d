"""Red flags that hold up, on the whole FY2024 RS year: two indicators computed here with the
``csv`` module and ``statistics.quantiles`` straight from the published 5-4 file, compared with
flowviz's values, quartiles and flagged units; the group detector on 7259; evidence packs whose
rows are the published lines; the findings page in headless Chromium. Skipped without
``../shared/data/rs2024``."""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.analysis.methods import methods_document
from flowviz.cli import app

from ..browser import probe_page, screenshot
from ..conftest import ROOT
from ..rs.published_rules import budgets_2024, suspect_contract
from ..rs.test_fy2024_truth import RS2024, P, published
from ..store.test_questions_real import store  # noqa: F401  (the FY2024 store fixture)

pytestmark = pytest.mark.skipif(not RS2024.is_dir(), reason="../shared/data/rs2024 not present")
runner = CliRunner()
FENCE_K, MIN_SAMPLE = Decimal("1.5"), 5


def cli_json(store: Path, *args: str) -> list[dict]:  # noqa: F811
    r = runner.invoke(app, [*args, "--format", "json", "--db", str(store)])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout, parse_float=Decimal)


def expected(per_unit: dict[str, tuple[int, int]]) -> dict[str, tuple]:
    """value, Q1, median, Q3, fence and flag per unit, from (hits, sample) counts."""
    values = {u: Decimal(h) * 100 / n for u, (h, n) in per_unit.items() if n}
    judged = [values[u] for u, (_, n) in per_unit.items() if n >= MIN_SAMPLE]
    q1, med, q3 = statistics.quantiles(judged, n=4, method="inclusive")
    fence = q3 + FENCE_K * (q3 - q1)
    q = Decimal("0.01")
    return {
        u: (
            v.quantize(q),
            q1.quantize(q),
            med.quantize(q),
            q3.quantize(q),
            fence.quantize(q),
            per_unit[u][1] >= MIN_SAMPLE and v > fence,
        )
        for u, v in values.items()
    }


def got(rows: list[dict], indicator: str) -> dict[str, tuple]:
    return {
        r["unit"]: (r["value"], r["q1"], r["median"], r["q3"], r["fence"], r["flagged"])
        for r in rows
        if r["indicator"] == indicator and r["value"] is not None
    }


def test_two_indicators_match_the_published_file(store: Path):  # noqa: F811
    non_comp: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    high_rate: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    budgets = budgets_2024()
    for r in published("5-4"):
        if suspect_contract(r, budgets):  # left out of indicators (docs/methods.md)
            continue
        unit = r["府省庁"]
        method = r[f"契約方式等{P}"].replace("(", "（")
        if method:
            non_comp[unit][1] += 1
            sole = method.startswith("随意契約") and not any(
                w in method for w in ("公募", "企画競争")
            )
            non_comp[unit][0] += sole
        rate = r[f"落札率（％）{P}"].strip()
        if rate:
            high_rate[unit][1] += 1
            high_rate[unit][0] += Decimal(rate) >= 95
    rows = cli_json(store, "indicators", "--unit", "ministry")
    for indicator, counts in (
        ("non_competitive_pct", non_comp),
        ("high_award_rate_pct", high_rate),
    ):
        want = expected({u: tuple(c) for u, c in counts.items()})
        have = got(rows, indicator)
        assert {u: w[0] for u, w in want.items()} == {u: h[0] for u, h in have.items()}
        judged = {u: h for u, h in have.items() if h[1] is not None}
        assert judged, indicator
        for u, h in judged.items():
            assert h[1:] == want[u][1:], (indicator, u)
    flagged = {r["unit"] for r in rows if r["flagged"] and r["indicator"] == "high_award_rate_pct"}
    assert flagged == {
        u for u, w in expected({u: tuple(c) for u, c in high_rate.items()}).items() if w[5]
    }


def test_group_detector_finds_hakuhodo_and_a_groups_file_changes_it(store: Path, tmp_path: Path):  # noqa: F811
    args = ["flags", "-p", "7259", "--rule", "FV013", "--format", "json", "--db", str(store)]
    found = json.loads(runner.invoke(app, args).stdout)
    assert [(f["figures"]["payer"], f["entity"], f["figures"]["relation"]) for f in found] == [
        ("株式会社博報堂", "株式会社博報堂プロダクツ", "likely")
    ]
    groups = tmp_path / "groups.csv"
    groups.write_text(
        "group,member,related\n"
        "博報堂,8010401024011,yes\n"
        "博報堂,4010601035588,no\n"  # ruled out: the name stem no longer counts
        "博報堂,5010001008813,yes\n",  # confirmed: 三井住友銀行 in the same (test) group
        "utf-8",
    )
    changed = json.loads(runner.invoke(app, [*args, "--groups", str(groups)]).stdout)
    assert [(f["entity"], f["figures"]["relation"]) for f in changed] == [
        ("株式会社三井住友銀行", "confirmed")
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text("group,member,related\n博報堂,,maybe\n", "utf-8")
    r = runner.invoke(app, [*args, "--groups", str(bad)])
    assert r.exit_code == 1 and "bad.csv: line 2" in r.output


def test_evidence_pack_cites_the_published_lines(store: Path, tmp_path: Path):  # noqa: F811
    out = tmp_path / "pack"
    r = runner.invoke(
        app, ["flags", "-p", "7259", "--rule", "FV013", "--evidence", str(out), "--db", str(store)]
    )
    assert r.exit_code == 0, r.output
    findings = json.loads((out / "findings.json").read_text("utf-8"))
    assert "F0001.md" in (out / "README.md").read_text("utf-8")
    text = (out / "F0001.md").read_text("utf-8")
    assert "flowviz flags -p 7259 --year 2024 --rule FV013" in text
    lines = {row["line"]: row for row in findings[0]["rows"]}
    csv_53 = published("5-3")  # line n of the file is row n - 2 (header, 1-based)
    for line, row in lines.items():
        if "5-3_" in row["file"]:
            assert csv_53[line - 2]["支出先名"] == row["cells"]["payee"]
            assert int(csv_53[line - 2]["金額"]) == row["cells"]["amount"]


def test_findings_page_for_meti_renders_in_chromium(store: Path, tmp_path: Path):  # noqa: F811
    r = runner.invoke(
        app,
        [
            "report",
            "--findings",
            "--ministry",
            "経済産業省",
            "--out",
            str(tmp_path),
            "--db",
            str(store),
        ],
    )
    assert r.exit_code == 0, r.output
    (page,) = tmp_path.glob("*.findings.html")
    seen = probe_page(
        page,
        "<script>window.addEventListener('load',function(){var p=document.createElement('pre');"
        "p.id='fv-probe';p.textContent=JSON.stringify({errors:window.__errors,"
        "charts:document.querySelectorAll('svg').length,title:document.title});"
        "document.body.appendChild(p);});</script>",
    )
    assert seen["errors"] == [] and seen["charts"] >= 9 and "経済産業省" in seen["title"]
    screenshot(page, tmp_path / "page.png", "1000,1400")
    assert (tmp_path / "page.png").stat().st_size > 20_000


def test_methods_document_is_generated_from_the_code():
    assert (ROOT / "docs" / "methods.md").read_text("utf-8") == methods_document()
