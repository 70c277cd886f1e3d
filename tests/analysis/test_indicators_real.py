"""Red flags that hold up, on the whole FY2024 RS year: the group detector on 7259; evidence
packs whose rows are the published lines; the findings page in headless Chromium, each flagged
unit once with a reason per indicator. (Two indicators recomputed from the CSVs with the
judging methods: ``test_judging_real.py``.) Skipped without ``../shared/data/rs2024``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.analysis.methods import methods_document
from flowviz.cli import app

from ..browser import probe_page, screenshot
from ..conftest import ROOT
from ..rs.test_fy2024_truth import RS2024, published
from ..store.test_questions_real import store  # noqa: F401  (the FY2024 store fixture)

pytestmark = pytest.mark.skipif(not RS2024.is_dir(), reason="../shared/data/rs2024 not present")
runner = CliRunner()


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
    html = page.read_text("utf-8")
    listed = re.findall(r"<li>(経済産業省[^<]*)<ul>", html)
    assert listed and len(listed) == len(set(listed))  # each flagged unit once
    rows = [r for r in _indicator_rows(store) if r["flagged"]]
    for unit in listed:  # every indicator it trips, each with its one-sentence reason
        tripped = {r["indicator"] for r in rows if r["unit"] == unit.replace("&amp;", "&")}
        block = html.split(f"<li>{unit}<ul>", 1)[1].split("</ul>", 1)[0]
        assert tripped and block.count("<li>") == len(tripped), unit
        assert all(
            s.rstrip().endswith((".", "。")) for s in re.findall(r"</b>: ([^<]*)</li>", block)
        )
    screenshot(page, tmp_path / "page.png", "1000,1400")
    assert (tmp_path / "page.png").stat().st_size > 20_000


def _indicator_rows(store: Path) -> list[dict]:  # noqa: F811
    rows = []
    for unit in ("bureau", "budget"):
        args = ["indicators", "--unit", unit, "--flagged", "--format", "json", "--db", str(store)]
        rows += json.loads(runner.invoke(app, args).stdout)
    return rows


def test_methods_document_is_generated_from_the_code():
    assert (ROOT / "docs" / "methods.md").read_text("utf-8") == methods_document()
