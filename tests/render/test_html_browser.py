"""The interactive page, loaded in real headless Chromium."""

from __future__ import annotations

import json
import os
from pathlib import Path

from flowviz.render.api import RenderOptions, render_document
from flowviz.render.layout import sankey_layout
from flowviz.render.sankey_plotly import plotly_figure

from ..browser import LIGHT_PROBE_TAIL, probe_page
from ..conftest import DATA

GOLDEN = DATA / "golden" / "0048.plotly.json"


def test_plotly_figure_matches_golden(example_doc):
    fig = json.dumps(
        plotly_figure(sankey_layout(example_doc)), ensure_ascii=False, indent=1, sort_keys=True
    )
    if os.environ.get("FLOWVIZ_UPDATE_GOLDEN"):
        GOLDEN.write_text(fig + "\n", "utf-8")
    assert fig + "\n" == GOLDEN.read_text("utf-8")


def test_hover_data_has_contract_fields(example_doc):
    fig = plotly_figure(sankey_layout(example_doc))
    link = fig["data"][0]["link"]
    assert link["value"][0] == 26_818_000_000
    hover = link["customdata"][2]
    for part in (
        "15,000,000円",
        "1,500万円",
        "費目: 委託費",
        "使途:",
        "契約方式: 随意契約（その他）",
        "随意契約等の理由",
    ):
        assert part in hover
    node_hover = " ".join(fig["data"][0]["node"]["customdata"])
    assert "法人番号: 3010005022218" in node_hover and "受取: 15,000,000円" in node_hover


def test_light_page_is_small_and_interactive_in_chromium(example_doc, tmp_path: Path):
    (html,) = render_document(example_doc, tmp_path, RenderOptions(formats=("html",)))
    assert html.stat().st_size < 300_000
    seen = probe_page(html, LIGHT_PROBE_TAIL)
    assert seen["errors"] == [] and seen["external"] == 0
    assert seen["nodes"] == 4 and seen["links"] == 3
    assert "金額: 15,000,000円" in seen["panel"] or "法人番号" in seen["panel"]
    # clicking ネットワンシステムズ keeps its chain (3 nodes, 2 links) and fades the rest
    assert seen["faded_after_click"] == 2


def test_light_page_for_a_project_with_no_flows(tmp_path: Path):
    from flowviz.model import Entity, FlowDocument, Project

    doc = FlowDocument(Project("empty", "空の事業"), (Entity("m", "省", "ministry"),), ())
    (html,) = render_document(doc, tmp_path, RenderOptions(formats=("html",)))
    seen = probe_page(
        html, LIGHT_PROBE_TAIL.replace("last.dispatchEvent", "last && last.dispatchEvent")
    )
    assert seen["errors"] == [] and "公表されていない" in seen["empty"]


def test_plotly_page_renders_offline_in_chromium(example_doc, tmp_path: Path):
    (html,) = render_document(example_doc, tmp_path, RenderOptions(formats=("plotly",)))
    text = html.read_text("utf-8")
    assert "<script src=" not in text  # plotly.js is inlined: works offline
    seen = probe_page(html)
    assert seen["errors"] == []
    assert seen["nodes"] == 4 and seen["links"] == 3
    labels = " ".join(seen["node_text"])
    assert "ネットワンシステムズ株式会社" in labels and "268億1,800万円" in labels
    assert any("随意契約（その他）" in c for c in seen["link_customdata"])
    assert any("法人番号: 7010701007922" in c for c in seen["node_customdata"])


def test_plotly_numbers_are_the_true_amounts_and_thin_flows_are_outlined(example_doc):
    fig = sankey_layout(example_doc)
    data = plotly_figure(fig)["data"][0]["link"]
    assert data["value"] == [f.amount_yen for f in example_doc.flows]
    widened = [ln.widened for ln in fig.links]
    assert any(widened)
    assert [w > 0 for w in data["line"]["width"]] == widened


def test_plotly_shared_page_loads_its_script_from_beside_it(example_doc, tmp_path: Path):
    written = render_document(example_doc, tmp_path, RenderOptions(formats=("plotly-shared",)))
    page = next(p for p in written if p.name.endswith(".html"))
    assert page.stat().st_size < 50_000 and (tmp_path / "plotly.min.js").is_file()
    assert 'src="plotly.min.js"' in page.read_text("utf-8")
    seen = probe_page(page)
    assert seen["errors"] == [] and seen["nodes"] == 4
