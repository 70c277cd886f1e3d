"""The static Sankey SVG: every name, amount and 法人番号 is in it; honest widths; stable bytes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from flowviz.model import Entity, Flow, FlowDocument, Project
from flowviz.money import format_yen, format_yen_ja
from flowviz.render.figure import LayoutOptions
from flowviz.render.layout import sankey_layout
from flowviz.render.sankey_svg import sankey_svg

SVG = "{http://www.w3.org/2000/svg}"


def all_text(root: ET.Element) -> str:
    return "\n".join(
        "".join(el.itertext()) for el in root.iter() if el.tag in (f"{SVG}text", f"{SVG}title")
    )


def visible_text(root: ET.Element) -> str:
    return "\n".join("".join(el.itertext()) for el in root.iter(f"{SVG}text"))


def test_svg_has_names_amounts_numbers_units(example_doc):
    root = ET.fromstring(sankey_svg(sankey_layout(example_doc)))
    seen = visible_text(root)
    for e in example_doc.entities:
        assert e.name in seen
    for fl in example_doc.flows:
        assert format_yen_ja(fl.amount_yen) in seen
        assert format_yen(fl.amount_yen) in all_text(root)
    assert "3010005022218" in seen and "7010701007922" in seen
    assert "単位: 円" in seen and "原表の単位は百万円" in seen
    assert "事業番号 0048" in seen and "総務省" in seen and "平成29年度" in seen
    assert "出典:" in seen


def test_link_tooltips_carry_contract_metadata(example_doc):
    root = ET.fromstring(sankey_svg(sankey_layout(example_doc)))
    links = {g.get("data-flow"): g for g in root.iter(f"{SVG}g") if g.get("data-flow")}
    assert set(links) == {"f1", "f2", "f3"}
    tip = links["f3"].find(f"{SVG}title").text
    assert "契約方式: 随意契約（その他）" in tip
    assert "費目: 委託費" in tip and "使途: ＬＧＷＡＮの通信機器に対する設定作業等の支援" in tip
    assert "現行システムの開発事業者" in tip
    assert links["f3"].get("data-amount-yen") == "15000000"
    assert links["f3"].get("data-non-competitive") == "true"
    assert links["f1"].get("data-non-competitive") is None


def test_small_flows_are_widened_and_marked(example_doc):
    fig = sankey_layout(example_doc)
    by_id = {ln.flow.id: ln for ln in fig.links}
    # 26,818百万円 vs 15百万円: the small chain is drawn at the minimum width, and says so
    assert not by_id["f1"].widened
    assert by_id["f2"].widened and by_id["f3"].widened
    assert by_id["f2"].width == fig.options.min_link_px
    root = ET.fromstring(sankey_svg(fig))
    widened = [g for g in root.iter(f"{SVG}g") if g.get("data-widened") == "true"]
    assert {g.get("data-flow") for g in widened} == {"f2", "f3"}
    for g in widened:
        assert any(p.get("fill") == "url(#fv-widened)" for p in g.iter(f"{SVG}path"))
        assert "※" in "".join(g.find(f"{SVG}text").itertext())
    assert "金額より太く描いた流れ" in visible_text(root)


def test_true_widths_are_proportional(example_doc):
    fig = sankey_layout(example_doc)
    f1 = next(ln for ln in fig.links if ln.flow.id == "f1")
    # the biggest column holds 26,833百万円 in flow_height px
    assert abs(f1.width - fig.options.flow_height * 26_818 / 26_833) < 1e-6


def test_netone_chain_is_readable(example_doc):
    fig = sankey_layout(example_doc)
    nodes = {n.id: n for n in fig.nodes}
    assert [nodes[i].column for i in ("mic", "jlis", "netone")] == [0, 1, 2]
    assert nodes["netone"].height >= fig.options.min_link_px
    assert nodes["netone"].label_lines[0] == "C. ネットワンシステムズ株式会社"
    # NetOne sits level with J-LIS (no long diagonal)
    assert abs(nodes["netone"].y - nodes["jlis"].y) < 1


def test_output_is_byte_identical(example_doc):
    assert sankey_svg(sankey_layout(example_doc)) == sankey_svg(sankey_layout(example_doc))


def _fan(n: int) -> FlowDocument:
    ents = [Entity("m", "府省", "ministry")] + [
        Entity(f"p{i}", f"支出先{i}株式会社" * (1 + i % 3), "company") for i in range(n)
    ]
    flows = [Flow(f"f{i}", "m", f"p{i}", (i + 1) ** 3 * 1000) for i in range(n)]
    return FlowDocument(Project("fan", "扇形"), tuple(ents), tuple(flows))


def test_labels_never_overlap_in_a_column():
    fig = sankey_layout(_fan(40), LayoutOptions())
    line_h = fig.options.font_size * 1.3
    by_col: dict[int, list] = {}
    for n in fig.nodes:
        by_col.setdefault(n.column, []).append(n)
    for col in by_col.values():
        boxes = sorted(
            (
                n.y + n.height / 2 - line_h * len(n.label_lines) / 2,
                n.y + n.height / 2 + line_h * len(n.label_lines) / 2,
            )
            for n in col
        )
        for (a0, a1), (b0, b1) in zip(boxes, boxes[1:]):
            assert a1 <= b0 + 1e-6, (a0, a1, b0, b1)


def test_link_widths_sum_to_node_heights():
    fig = sankey_layout(_fan(12))
    src = next(n for n in fig.nodes if n.id == "m")
    assert abs(sum(ln.width for ln in fig.links) - src.height) < 1e-6
