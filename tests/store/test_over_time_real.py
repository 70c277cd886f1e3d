"""The money-over-time pictures of the 0048 lineage and of NetOne Systems' income, read back:
no text overlaps at 800 px, every year is labelled as a money year, old-format years are marked
as publishing no route, and every drawn segment's amount is the one the data lists."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.cli import app

from ..conftest import SHARED
from ..render.svg_boxes import collisions, smallest_text_px
from .test_lineage_real import sheets_of

pytestmark = pytest.mark.skipif(
    not (SHARED / "judgit").is_dir(), reason="../shared/data not present"
)
NS = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parents[2]
YEN = re.compile(r"^FY(\d{4}) (.+) ([0-9,兆億万]+円)$")


def _segments(svg: ET.Element) -> dict[tuple[int, str], str]:
    out = {}
    for r in svg.iter(NS + "rect"):
        t = r.find(NS + "title")
        if t is not None:
            m = YEN.match(t.text)
            out[(int(m[1]), m[2])] = m[3]
    return out


def _check_picture(path: Path) -> ET.Element:
    text = path.read_text("utf-8")
    assert collisions(text) == []
    assert float(ET.fromstring(text).get("width")) == 800 and smallest_text_px(text) >= 11
    assert "支出年度" in text and "億円" in text and "CC BY 4.0" in text and "PDL1.0" in text
    return ET.fromstring(text)


def test_0048_lineage_over_time(decade_db: Path, tmp_path: Path):
    from flowviz.money import format_yen_ja

    out = tmp_path / "0048.svg"
    links = ROOT / "examples" / "links-0048.csv"
    args = ["history", "0048", "--ministry", "総務省", "--year", "2017", "--links", str(links)]
    res = CliRunner().invoke(app, [*args, "--svg", str(out), "--db", str(decade_db)])
    assert res.exit_code == 0, res.output
    svg = _check_picture(out)
    labels = {t.text for t in svg.iter(NS + "text")}
    assert {f"FY{y}" for y in range(2014, 2024)} <= labels
    kinds = {p.get("data-kind") for p in svg.iter(NS + "path")}
    assert {"join", "new", "gone"} <= kinds
    assert any("経路非公表" in (t.text or "") for t in svg.iter(NS + "text"))
    # J-LIS in FY2015 as the 2016 sheet (0046) lists it, in the same words
    listed = sum(
        p["支出額"]
        for d in sheets_of(2016)
        if d.get("事業ID") == 4347
        for p in d["支出先"]
        if p["法人番号"] == "3010005022218"
    )
    assert _segments(svg)[(2015, "地方公共団体情報システム機構")] == format_yen_ja(
        int(listed * 1_000_000)
    )


@pytest.mark.parametrize("by", ["ministry", "project"])
def test_netone_income_over_time(decade_db: Path, tmp_path: Path, by: str):
    out = tmp_path / "netone.svg"
    res = CliRunner().invoke(
        app,
        ["payee", "7010701007922", "--chart", str(out), "--chart-by", by, "--db", str(decade_db)],
    )
    assert res.exit_code == 0, res.output
    svg = _check_picture(out)
    assert {y for y, _ in _segments(svg)} == set(range(2014, 2024))
    assert ("府省庁別" if by == "ministry" else "事業別") in "".join(svg.itertext())
