"""Old-format sheets: read exactly (Decimal 百万円 → yen), stored with provenance, replaced not
duplicated, all or nothing; a project across years; a sheet drawn without invented routes."""

from __future__ import annotations

import gzip
import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.analysis.history import load_history
from flowviz.cli import app
from flowviz.exceptions import FlowDataError
from flowviz.render.layout import sankey_layout
from flowviz.render.sankey_svg import sankey_svg
from flowviz.sources.judgit import read_sheets
from flowviz.store.db import connect
from flowviz.store.importer import import_paths
from flowviz.store.sheet_document import document_from_sheet

from ..conftest import DATA

SHEETS = DATA / "judgit" / "0048-4347.ndjson"
runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "flowviz.db"
    import_paths(path, [SHEETS])
    return path


def test_amounts_are_exact_yen_from_the_json_text():
    (s2017,) = [s for s in read_sheets(SHEETS) if s.year == 2017]
    raw = next(
        json.loads(x, parse_float=Decimal)
        for x in SHEETS.open()
        if '"公開年度": 2017' in x or '"公開年度":2017' in x
    )
    want = [int(p["支出額"] * 1_000_000) for p in raw["支出先"]]
    assert [p["amount"] for p in s2017.payees] == want == [26_818_000_000, 15_000_000, 15_000_000]
    assert s2017.key == "2017:総務省:0048" and s2017.project_uid == 4347
    assert s2017.file.endswith("0048-4347.ndjson") and s2017.line == 3


def test_gzip_folder_and_single_sheet_read_the_same(tmp_path: Path):
    gz = tmp_path / "x.ndjson.gz"
    gz.write_bytes(gzip.compress(SHEETS.read_bytes()))
    folder = tmp_path / "data" / "2015" / "総務省"
    folder.mkdir(parents=True)
    first = SHEETS.read_text("utf-8").splitlines()[0]
    (folder / "0050.json").write_text(
        json.dumps(json.loads(first), ensure_ascii=False, indent=1), "utf-8"
    )
    assert [s.key for s in read_sheets(gz)] == [s.key for s in read_sheets(SHEETS)]
    (one,) = read_sheets(tmp_path / "data")
    assert one.key == "2015:総務省:0050"


def test_sub_yen_figures_are_listed_never_silent(tmp_path: Path):
    line = json.loads(SHEETS.read_text("utf-8").splitlines()[0])
    line["予算"][0]["当初予算"] = 4.300000000000001
    line["支出先"][0]["支出額"] = 8.666666666666666
    path = tmp_path / "x.ndjson"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", "utf-8")
    (s,) = read_sheets(path)
    assert [(a["published"], a["yen"]) for a in s.adjustments] == [
        ("4.300000000000001", 4_300_000),
        ("8.666666666666666", 8_666_667),
    ]
    db = tmp_path / "f.db"
    import_paths(db, [path])
    rows = connect(db).execute("SELECT published, yen, reason FROM sheet_adjustments").fetchall()
    assert len(rows) == 2 and "float artifact" in rows[0][2] and "fraction" in rows[1][2]


def test_reimport_replaces_and_a_bad_file_leaves_the_store(db: Path, tmp_path: Path):
    import_paths(db, [SHEETS])
    con = connect(db)
    assert con.execute("SELECT COUNT(*) FROM sheets").fetchone()[0] == 5
    assert con.execute("SELECT COUNT(*) FROM sheet_payees WHERE year = 2017").fetchone()[0] == 3
    con.close()
    bad = tmp_path / "bad.ndjson"
    bad.write_text(SHEETS.read_text("utf-8") + "{not json\n", "utf-8")
    with pytest.raises(FlowDataError, match=r"bad.ndjson: line 6"):
        import_paths(db, [bad])
    assert connect(db).execute("SELECT COUNT(*) FROM sheets").fetchone()[0] == 5


def test_history_follows_the_project_across_its_numbers(db: Path):
    h = load_history(connect(db), "0048", "総務省", 2017)
    assert [(m.year, m.number) for m in h.members] == [
        (2015, "0050"),
        (2016, "0046"),
        (2017, "0048"),
        (2018, "0044"),
        (2019, "0045"),
    ]
    fy2015 = next(b for b in h.budget if b.year == 2015)
    assert (
        fy2015.values["initial"] == 50_508_000_000
        and fy2015.values["supplementary"] == 27_859_000_000
    )
    # the 2015 sheet stated FY2015 before its 補正 passed: a revision, not a disagreement
    assert any("2015 sheet 0050 states 0円" in d for d in fy2015.revisions)
    assert not fy2015.disagreements
    names = {p.name for p in h.payees}
    assert {"地方公共団体情報システム機構", "ネットワンシステムズ株式会社"} <= names


def test_the_2017_sheet_draws_no_route_and_states_the_excess(db: Path):
    doc = document_from_sheet(connect(db), "2017:総務省:0048")
    assert all(not f.route_published for f in doc.flows)
    assert any("15百万円 上回る" in n for n in doc.findings)
    svg = ET.fromstring(sankey_svg(sankey_layout(doc)))
    netone = [
        g
        for g in svg.iter("{http://www.w3.org/2000/svg}g")
        if g.get("data-flow") and g.get("data-route") == "unpublished"
    ]
    assert len(netone) == 3
    text = " ".join(svg.itertext())
    assert "経路は公表データにない" in text and "15百万円 上回る" in text


def test_cli_history_and_unknown_sheet(db: Path):
    r = runner.invoke(
        app, ["history", "0048", "--ministry", "総務省", "--year", "2017", "--db", str(db)]
    )
    assert r.exit_code == 0 and "ネットワンシステムズ株式会社" in r.stdout
    r = runner.invoke(app, ["info", "-p", "2017:総務省:9999", "--db", str(db)])
    assert r.exit_code == 1 and "no old-format sheet" in r.output


def test_example_0048_agrees_with_the_official_database(example_doc):
    line = next(
        x
        for x in SHEETS.read_text("utf-8").splitlines()
        if '"事業番号": "0048"' in x or '"事業番号":"0048"' in x
    )
    sheet = json.loads(line, parse_float=Decimal)
    official = {b["年度"]: b for b in sheet["予算"]}
    mine = {y.year: y for y in example_doc.budget.years}
    for year, field, ja in [
        (2015, "initial", "当初予算"),
        (2015, "supplementary", "補正予算"),
        (2014, "supplementary", "補正予算"),
        (2014, "reserve", "予備費等"),
    ]:
        assert getattr(mine[year], field) == int(official[year][ja] * 1_000_000)
        assert dict(mine[year].sources)[field]


def test_history_page_draws_every_year_to_one_scale(db: Path, tmp_path: Path):
    from flowviz.analysis.history import member_documents
    from flowviz.render.figure import LayoutOptions
    from flowviz.render.history_report import shared_scale

    con = connect(db)
    h = load_history(con, "0048", "総務省", 2017)
    docs = member_documents(con, h.members)
    scale = shared_scale(docs)
    ratios = set()
    for d in docs:
        fig = sankey_layout(d, LayoutOptions(scale_yen=scale))
        big = max(
            (ln for ln in fig.links if ln.style == "band" and not ln.widened),
            key=lambda ln: ln.value,
        )
        ratios.add(round(big.width / big.value * 1e12, 3))
    assert len(ratios) == 1  # px per yen is the same in every year's picture
    r = runner.invoke(
        app,
        [
            "report",
            "--history",
            "0048",
            "--ministry",
            "総務省",
            "--year",
            "2017",
            "--db",
            str(db),
            "--out",
            str(tmp_path),
        ],
    )
    assert r.exit_code == 0, r.output
    page = (tmp_path / r.stdout.strip().split("/")[-1]).read_text("utf-8")
    assert page.count("<svg") >= len(docs) + 1 and "同じ縮尺" in page


def test_payee_chart_is_well_formed_svg(db: Path, tmp_path: Path):
    out = tmp_path / "netone.svg"
    r = runner.invoke(app, ["payee", "7010701007922", "--db", str(db), "--chart", str(out)])
    assert r.exit_code == 0, r.output
    svg = ET.parse(out).getroot()
    bars = [
        e
        for e in svg.iter("{http://www.w3.org/2000/svg}rect")
        if e.find("{http://www.w3.org/2000/svg}title") is not None
    ]
    assert {b.find("{http://www.w3.org/2000/svg}title").text.split()[0] for b in bars} == {"FY2016"}
