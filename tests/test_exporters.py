"""Exports for Aleph (FtM), Gephi (GraphML/GEXF), tables; the notebook API; the HTML report."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
from typer.testing import CliRunner

import flowviz
from flowviz.cli import app
from flowviz.render.exports import export_texts, ftm_entities, gexf, graphml
from flowviz.render.report import report_html

from .browser import probe_page, screenshot
from .conftest import EXAMPLE

runner = CliRunner()


def test_ftm_export_loads_with_the_followthemoney_model(example_doc):
    from followthemoney import model

    proxies = [model.get_proxy(d) for d in ftm_entities(example_doc)]
    by_schema: dict[str, list] = {}
    for p in proxies:
        by_schema.setdefault(p.schema.name, []).append(p)
    assert len(by_schema["Payment"]) == 3
    numbers = {
        p.first("registrationNumber", quiet=True)
        for p in proxies
        if p.first("registrationNumber", quiet=True)
    }
    assert numbers == {"3010005022218", "7010701007922"}
    netone = next(
        p for p in proxies if p.first("registrationNumber", quiet=True) == "7010701007922"
    )
    assert (
        netone.schema.name == "Company" and netone.first("name") == "ネットワンシステムズ株式会社"
    )
    pay = next(p for p in by_schema["Payment"] if p.first("beneficiary") == netone.id)
    assert pay.first("amount") == "15000000" and pay.first("currency") == "JPY"
    assert {c.first("method") for c in by_schema["Contract"]} - {None} == {"随意契約（その他）"}
    award = next(a for a in by_schema["ContractAward"] if a.first("supplier") == netone.id)
    assert "現行システムの開発事業者" in award.first("decisionReason")
    for p in proxies:  # every reference points at an entity of the export
        for prop, value in p.itervalues():
            if prop.type.name == "entity":
                assert value in {q.id for q in proxies}


def test_ftm_ids_are_stable_across_exports(example_doc):
    assert [d["id"] for d in ftm_entities(example_doc)] == [
        d["id"] for d in ftm_entities(flowviz.read(str(EXAMPLE)))
    ]


def test_graphml_and_gexf_read_back(example_doc):
    for text, reader in (
        (graphml(example_doc), nx.read_graphml),
        (gexf(example_doc), nx.read_gexf),
    ):
        g = reader(io.StringIO(text))
        assert set(g.nodes) == {"mic", "lg", "jlis", "netone"}
        amounts = sorted(int(d["amount_yen"]) for _, _, d in g.edges(data=True))
        assert amounts == [15_000_000, 15_000_000, 26_818_000_000]
        assert g.nodes["netone"]["corporate_number"] == "7010701007922"
        assert any(
            d.get("contract_method") == "随意契約（その他）" for _, _, d in g.edges(data=True)
        )


def test_tables_csv_and_json(example_doc):
    texts = export_texts(example_doc, "csv")
    nodes = list(csv.DictReader(io.StringIO(texts[".nodes.csv"])))
    edges = list(csv.DictReader(io.StringIO(texts[".edges.csv"])))
    assert {n["id"] for n in nodes} == {"mic", "lg", "jlis", "netone"}
    assert sum(int(e["amount_yen"]) for e in edges) == 26_848_000_000
    jlis = next(n for n in nodes if n["id"] == "jlis")
    assert (jlis["received_yen"], jlis["paid_yen"], jlis["kept_yen"]) == (
        "15000000",
        "15000000",
        "0",
    )
    data = json.loads(export_texts(example_doc, "json")[".tables.json"])
    assert len(data["nodes"]) == 4 and len(data["edges"]) == 3


def test_cli_export_formats(tmp_path: Path):
    for fmt, suffix in (
        ("ftm", "ftm.json"),
        ("graphml", "graphml"),
        ("gexf", "gexf"),
        ("json", "json"),
    ):
        out = tmp_path / f"x.{suffix}"
        r = runner.invoke(app, ["export", str(EXAMPLE), "--format", fmt, "--out", str(out)])
        assert r.exit_code == 0, r.output
        assert out.stat().st_size > 0
    r = runner.invoke(
        app, ["export", str(EXAMPLE), "--format", "csv", "--out", str(tmp_path / "csv")]
    )
    assert r.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == [
        "mic-2017-0048.contracts.csv",
        "mic-2017-0048.edges.csv",
        "mic-2017-0048.nodes.csv",
    ]


def test_notebook_api():
    fv = flowviz.load(str(EXAMPLE))
    assert fv.graph.number_of_edges() == 3
    assert [r["amount_yen"] for r in fv.flows] == [26_818_000_000, 15_000_000, 15_000_000]
    assert fv.sankey()._repr_svg_().startswith("<?xml")
    assert "ネットワンシステムズ株式会社" in fv.dot()._repr_svg_()
    assert "268億3,300万円" in fv._repr_html_()
    assert fv.trace(target="ネットワン")[-1]["to"] == "ネットワンシステムズ株式会社"
    assert {f["rule_id"] for f in fv.flags()} >= {"FV001", "FV005"}
    assert fv.sankey(focus="ネットワン").layout.nodes


def test_report_in_chromium(example_doc, tmp_path: Path):
    page = tmp_path / "report.html"
    page.write_text(report_html(example_doc), "utf-8")
    html = page.read_text("utf-8")
    assert "<script" not in html  # no script at all: nothing to run, nothing to fetch
    seen = probe_page(page)
    assert seen["errors"] == []
    sections = {s["id"]: s for s in seen["sections"]}
    assert list(sections) == [
        "metadata",
        "sankey",
        "dot",
        "flows",
        "payees",
        "contracts",
        "flags",
        "budget",
    ]
    for s in sections.values():
        assert s["height"] > 20, s["id"]
    assert sections["sankey"]["svgs"] == 1 and sections["dot"]["svgs"] == 1
    assert sections["flows"]["rows"] == 4 and sections["payees"]["rows"] == 4
    assert "FV005" in sections["flags"]["text"] and "26,818,000,000円" in sections["flows"]["text"]
    assert "31,727,000,000円" in sections["budget"]["text"] and sections["budget"]["svgs"] == 1
    png = tmp_path / "report.png"
    screenshot(page, png, "1300,3000")
    assert png.stat().st_size > 50_000  # a real, non-blank picture


def test_cli_report(tmp_path: Path):
    r = runner.invoke(app, ["report", str(EXAMPLE), "--out", str(tmp_path)])
    assert r.exit_code == 0
    assert (tmp_path / "mic-2017-0048.report.html").exists()
