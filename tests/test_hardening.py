"""Hostile names stay inert in every output; output paths stay in their folder; writes are atomic;
money reconciles through every transformation (property-based)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from flowviz.analysis import payees, source_total, trace
from flowviz.analysis.aggregate import aggregate_documents
from flowviz.analysis.records import flow_records
from flowviz.cli import app
from flowviz.exceptions import OutputError, RenderTooLarge
from flowviz.graph import roots, totals
from flowviz.model import Contract, Entity, Flow, FlowDocument, Project
from flowviz.money import IMPLAUSIBLE_YEN
from flowviz.render.api import RenderOptions, render_document, render_texts
from flowviz.render.dot import dot_source
from flowviz.render.layout import sankey_layout
from flowviz.render.output import atomic_write, output_path, run_dot
from flowviz.render.sankey_svg import sankey_svg
from flowviz.render.tables import to_csv, to_json
from flowviz.render.v1_json import document_to_data
from flowviz.sources import read
from flowviz.sources.flow_json import document_from_data
from flowviz.text import safe_filename

from .browser import probe_page
from .conftest import DATA

HOSTILE = DATA / "hostile.json"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def hostile():
    return read(HOSTILE)


def test_sankey_svg_is_well_formed_and_inert(hostile):
    svg = sankey_svg(sankey_layout(hostile))
    root = ET.fromstring(svg)  # well-formed XML despite the names
    tags = {el.tag.split("}")[1] for el in root.iter()}
    assert tags <= {
        "svg",
        "title",
        "desc",  # the generated alternative text (render/alt_text.py)
        "defs",
        "pattern",
        "line",
        "style",
        "rect",
        "text",
        "tspan",
        "g",
        "path",
        "metadata",  # the ordering certificate (render/measures.py): data, never drawn
        "quality",
    }
    assert not any(k.startswith("on") for el in root.iter() for k in el.attrib)
    # tspans of a wrapped label sit on their own lines: join them back
    text = "|".join("".join(t.itertext()).replace("\n", "") for t in root.iter(f"{SVG}text"))
    assert "</text><script>alert(1)</script>" in text  # shown as text, not markup
    assert "\u202e" not in svg  # bidi override dropped
    assert "改行 を含む 名前 株式会社" in text  # newlines and tabs folded into spaces


def test_dot_source_parses_to_exactly_the_graph(hostile):
    svg = run_dot(dot_source(hostile), "svg").decode("utf-8")
    root = ET.fromstring(svg)
    classes = [g.get("class") for g in root.iter(f"{SVG}g")]
    assert classes.count("node") == len(hostile.entities)
    assert classes.count("edge") == len(hostile.flows)
    assert "evil" not in [g.findtext(f"{SVG}title") for g in root.iter(f"{SVG}g")]
    text = "\n".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert '"]; evil [label="x' in text and "末尾が\\" in text


def test_light_page_runs_no_injected_script_in_chromium(hostile, tmp_path: Path):
    from .browser import LIGHT_PROBE_TAIL

    (page,) = render_document(hostile, tmp_path, RenderOptions(formats=("html",)))
    seen = probe_page(page, LIGHT_PROBE_TAIL)
    assert seen["errors"] == [] and seen["pwned"] is False and seen["title"] != "pwned"
    assert seen["imgs"] == 0 and seen["external"] == 0
    assert seen["nodes"] == len(hostile.entities)
    text = page.read_text("utf-8")
    assert "<script>window.__pwned" not in text and "<img src=x" not in text


def test_html_runs_no_injected_script_in_chromium(hostile, tmp_path: Path):
    paths = render_document(hostile, tmp_path, RenderOptions(formats=("plotly",)))
    seen = probe_page(paths[0])
    assert seen["errors"] == []
    assert seen["pwned"] is False and seen["title"] != "pwned"
    assert seen["imgs"] == 0
    assert seen["nodes"] == len(hostile.entities)
    html = paths[0].read_text("utf-8")
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    hover = seen["node_customdata"] + seen["link_customdata"]
    assert any("&lt;/text&gt;&lt;script&gt;alert(1)" in c for c in hover)  # escaped for plotly
    assert not any("<script" in c or "<img" in c for c in hover)
    # …and shown to the reader as the literal name
    assert any("</text><script>alert(1)</scrip" in t for t in seen["node_text"])


def test_csv_neutralises_formulas(hostile):
    rows = list(csv.DictReader(io.StringIO(to_csv(flow_records(hostile)))))
    targets = {r["target"] for r in rows}
    assert '\'=HYPERLINK("http://example.invalid","click")' in targets
    assert "'+1+2" in targets and "'@SUM(A1:A2)" in targets
    assert all(not r["target"].startswith(("=", "+", "-", "@")) for r in rows)
    assert (
        to_csv([{"amount_yen": -24017000}]).splitlines()[1] == "-24017000"
    )  # numbers stay numbers


def test_json_outputs_round_trip_hostile_text(hostile):
    back = document_from_data(
        json.loads(to_json(document_to_data(hostile)), parse_float=Decimal), "x.json"
    )
    assert [e.name for e in back.entities] == [e.name for e in hostile.entities]


@pytest.mark.parametrize(
    "stem",
    [
        "../../etc/passwd",
        "/etc/passwd",
        "..",
        ".",
        "",
        "CON",
        "nul.txt",
        "a/b\\c",
        "\x00x",
        "名前/../../x",
        "." * 300,
    ],
)
def test_output_names_cannot_leave_the_folder(tmp_path: Path, stem: str):
    p = output_path(tmp_path, stem, ".svg")
    assert p.parent == tmp_path.resolve()
    assert p.name.endswith(".svg") and not p.name.startswith(".")
    assert safe_filename(stem).upper().split(".")[0] not in {"CON", "NUL"}


def test_hostile_project_id_writes_inside_out(hostile, tmp_path: Path):
    out = tmp_path / "out"
    paths = render_document(
        hostile, out, RenderOptions(sankey=True, dot=True, formats=("svg", "dot"))
    )
    assert all(p.parent == out.resolve() for p in paths)
    assert {p.name for p in out.iterdir()} == {p.name for p in paths}


def test_atomic_write_keeps_old_file_on_failure(tmp_path: Path, monkeypatch):
    target = tmp_path / "a.svg"
    target.write_text("old", "utf-8")

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OutputError, match="No space left on device"):
        atomic_write(target, "new")
    assert target.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.svg"]  # no temp file left behind


def test_failed_render_writes_nothing(tmp_path: Path):
    doc = read(DATA / "small_chain.json")
    with pytest.raises(Exception):  # noqa: B017 - any failure in the middle
        render_document(doc, tmp_path, RenderOptions(formats=("svg", "nope")))
    assert list(tmp_path.iterdir()) == []


def _chain(n: int) -> FlowDocument:
    ents = [Entity("root", "府省", "ministry")] + [
        Entity(f"e{i}", f"会社{i}", "company") for i in range(n)
    ]
    flows = [Flow("f0", "root", "e0", 7)] + [
        Flow(f"f{i}", f"e{i - 1}", f"e{i}", 7) for i in range(1, n)
    ]
    return FlowDocument(Project("deep", "深い連鎖"), tuple(ents), tuple(flows))


def test_huge_graphs_are_refused_with_advice():
    with pytest.raises(RenderTooLarge, match=r"10,001 organisations .* --focus ENTITY.*--top N"):
        render_texts(_chain(10_000), RenderOptions(formats=("svg",)))


def test_focus_narrows_a_huge_graph():
    from flowviz.analysis import focus_set

    doc = _chain(10_000)
    small = {"root", "e0", "e1", "f0", "f1"}
    out = render_texts(doc, RenderOptions(formats=("svg",), highlight=small))
    assert "会社1" in out[".sankey.svg"] and "会社2" not in out[".sankey.svg"]
    assert len(focus_set(doc, "会社9999")) == 20_001


def test_ten_thousand_level_chain_json_loads_and_validates(tmp_path: Path):
    n = 10_000
    data = {
        "flowviz": 1,
        "unit": "円",
        "project": {"id": "deep", "name": "deep"},
        "entities": [{"id": f"e{i}", "name": f"e{i}"} for i in range(n + 1)],
        "flows": [{"source": f"e{i}", "target": f"e{i + 1}", "amount": 5} for i in range(n)],
    }
    f = tmp_path / "deep.json"
    f.write_text(json.dumps(data), "utf-8")
    r = CliRunner().invoke(app, ["info", str(f)])
    assert r.exit_code == 0 and f"depth:     {n} hops" in r.output
    r = CliRunner().invoke(app, ["render", str(f), "--out", str(tmp_path)])
    assert r.exit_code == 1 and "too many to read" in r.output and "Traceback" not in r.output


# -- exact money, property-based ------------------------------------------------

# below the suspect cap (flowviz.suspect: 50兆円 a line): plausible money reconciles to the yen
amounts = st.integers(min_value=0, max_value=IMPLAUSIBLE_YEN)


@st.composite
def documents(draw, pid: str = "p"):
    n = draw(st.integers(1, 10))
    ents = [Entity("root", "府省", "ministry")]
    ents += [
        Entity(
            f"e{i}",
            draw(st.sampled_from(["株式会社A", "B機構", "C市", "株式会社A"])) + str(i % 3),
            "company",
            draw(st.sampled_from([None, "3010005022218", "7010701007922"])),
        )
        for i in range(n)
    ]
    flows = [Flow("f0", "root", "e0", draw(amounts))]
    for b in range(1, n):
        for j, a in enumerate(
            sorted(draw(st.sets(st.integers(-1, b - 1), min_size=1, max_size=2)))
        ):
            src = "root" if a < 0 else f"e{a}"
            flows.append(
                Flow(
                    f"f{b}_{j}",
                    src,
                    f"e{b}",
                    draw(amounts),
                    contract=Contract(
                        method=draw(st.sampled_from(["", "随意契約（その他）", "一般競争契約"]))
                    ),
                )
            )
    ministry = draw(st.sampled_from(["総務省", "経済産業省", "財務省"]))
    return FlowDocument(Project(pid, pid, ministry=ministry), tuple(ents), tuple(flows), unit="円")


@settings(max_examples=120, deadline=None)
@given(st.lists(documents(), min_size=1, max_size=6), st.integers(1, 4))
def test_aggregation_top_n_and_others_reconcile(docs, top):
    docs = [
        FlowDocument(
            Project(f"p{i}", f"事業{i}", number=str(i), ministry=d.project.ministry),
            d.entities,
            d.flows,
            unit="円",
        )
        for i, d in enumerate(docs)
    ]
    agg = aggregate_documents(docs, 2024, None, top)
    inflow, outflow = totals(agg)
    (root,) = roots(agg) if agg.flows else ("gov",)
    total = source_total(docs)
    assert outflow.get(root, 0) == total
    # every column passes on exactly what it received
    for e in agg.entities:
        if e.id.startswith(("min:", "prj:", "others:ministries", "others:projects")):
            assert inflow.get(e.id, 0) == outflow.get(e.id, 0)
    last = [e.id for e in agg.entities if e.id.startswith("pay:") or e.id == "others:payees"]
    assert sum(inflow.get(p, 0) for p in last) == total
    assert sum(r["kept_yen"] for r in payees(docs)) == total


@settings(max_examples=80, deadline=None)
@given(documents(), st.sampled_from(["円", "千円", "百万円", "億円"]))
def test_export_and_reload_keep_every_yen(doc, unit):
    data = document_to_data(doc)
    back = document_from_data(json.loads(to_json(data), parse_float=Decimal), "x.json")
    assert [f.amount_yen for f in back.flows] == [f.amount_yen for f in doc.flows]
    # the same money written in a larger unit converts back exactly, never through float
    factor = {"円": 1, "千円": 1000, "百万円": 10**6, "億円": 10**8}[unit]
    data["unit"] = unit
    for f in data["flows"]:
        f["amount"] = Decimal(f["amount"]) / factor
    text = to_json(data)
    again = document_from_data(json.loads(text, parse_float=Decimal), "y.json")
    assert [f.amount_yen for f in again.flows] == [f.amount_yen for f in doc.flows]


@settings(max_examples=80, deadline=None)
@given(documents())
def test_layout_widths_follow_money_and_trace_hops_are_exact(doc):
    fig = sankey_layout(doc)
    for ln in fig.links:
        assert ln.value == ln.flow.amount_yen
        if not ln.widened:
            assert ln.width >= fig.options.min_link_px
    for p in trace(doc):
        for h in p.hops:
            assert h.flow.amount_yen == next(f.amount_yen for f in doc.flows if f.id == h.flow.id)


def test_case_count_is_reported():
    bad = json.loads((DATA / "bad" / "expected.json").read_text("utf-8"))
    names = json.loads(HOSTILE.read_text("utf-8"))["entities"]
    assert len(bad) >= 30 and len(names) >= 15
    assert re.match(r"\.\./", json.loads(HOSTILE.read_text("utf-8"))["project"]["id"])
