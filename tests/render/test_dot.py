"""DOT source is golden-tested; the SVG from the real `dot` is checked structurally."""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from flowviz.render.dot import dot_source, pen_width
from flowviz.render.figure import NON_COMPETITIVE_COLOR
from flowviz.render.output import run_dot

from ..conftest import DATA

GOLDEN = DATA / "golden" / "0048.dot"
SVG = "{http://www.w3.org/2000/svg}"


def test_dot_source_matches_golden(example_doc):
    src = dot_source(example_doc)
    if os.environ.get("FLOWVIZ_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(src, "utf-8")
    assert src == GOLDEN.read_text("utf-8")


def test_dot_is_installed():
    assert shutil.which("dot"), "graphviz must be installed (./bootstrap.sh installs it)"


def test_dot_svg_has_names_numbers_amounts_and_cjk_font(example_doc):
    svg = run_dot(dot_source(example_doc), "svg").decode("utf-8")
    root = ET.fromstring(svg)
    text = "\n".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    for e in example_doc.entities:
        assert e.name in text
    assert "法人番号 3010005022218" in text and "法人番号 7010701007922" in text
    assert "268億1,800万円" in text and "1,500万円" in text
    assert "随意契約（その他）" in text and "再委託" in text
    fonts = {t.get("font-family") for t in root.iter(f"{SVG}text")}
    assert fonts == {"Noto Sans CJK JP"}
    # tooltips carry the metadata into the SVG
    titles = [a.get("{http://www.w3.org/1999/xlink}title") or "" for a in root.iter(f"{SVG}a")]
    assert any("契約方式: 随意契約（その他）" in t for t in titles)
    assert any("法人番号: 7010701007922" in t for t in titles)
    # clusters for the ministry and each block
    clusters = [g for g in root.iter(f"{SVG}g") if g.get("class") == "cluster"]
    labels = {"".join(t.itertext()) for g in clusters for t in g.iter(f"{SVG}text")}
    assert {"府省庁", "ブロック A", "ブロック B", "ブロック C"} <= labels


def test_dot_svg_is_deterministic(example_doc):
    assert run_dot(dot_source(example_doc), "svg") == run_dot(dot_source(example_doc), "svg")


def test_non_competitive_edges_are_red(example_doc):
    src = dot_source(example_doc)
    red = [
        line for line in src.splitlines() if "->" in line and f'"{NON_COMPETITIVE_COLOR}b0"' in line
    ]
    assert len(red) == 2


def test_pen_width_is_log_scaled_and_bounded():
    assert pen_width(15, 15, 26818) == 1.0
    assert pen_width(26818, 15, 26818) == 12.0
    mid = pen_width(634, 15, 26818)  # geometric middle
    assert 6.0 < mid < 7.0


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_raster_and_pdf(example_doc, fmt, tmp_path: Path):
    data = run_dot(dot_source(example_doc), fmt)
    assert data[:4] in (b"\x89PNG", b"%PDF")
