"""Whole-ministry exports of the decade store, read back with networkx (GEXF) and the
followthemoney model (FtM), against plain NDJSON arithmetic: organisations are one node across
projects, listed payees of old-format sheets are never payments, weights only where published."""

from __future__ import annotations

import gzip
import io
import json
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import networkx as nx
from typer.testing import CliRunner

from flowviz.cli import app

from ..conftest import SHARED

runner = CliRunner()
NETONE = "7010701007922"
NEC = "7010401022916"
MIC = "総務省"


def _fold(name: str) -> str:
    """The test's own folding: NFKC, no spaces or middle dots, no 株式会社/(株)."""
    s = re.sub(r"[\s・･]", "", unicodedata.normalize("NFKC", name or ""))
    return re.sub(r"株式会社|\(株\)|㈱", "", s)


def mic_2017() -> list[dict]:
    with gzip.open(SHARED / "judgit" / "judgit-2017.ndjson.gz", "rt", encoding="utf-8") as f:
        sheets = [json.loads(line, parse_float=Decimal) for line in f]
    return [s for s in sheets if s["府省庁"] == MIC]


def export(store: Path, *args: str) -> str:
    r = runner.invoke(app, ["export", *args, "--db", str(store)])
    assert r.exit_code == 0, r.output
    return r.stdout


def test_ministry_gexf_merges_organisations_and_marks_unpublished_routes(decade_store: Path):
    g = nx.read_gexf(io.StringIO(export(decade_store, "-f", "gexf", "-m", MIC, "--year", "2017")))
    sheets = mic_2017()
    assert g.number_of_edges() == sum(len(s["支出先"]) for s in sheets)
    ministry = [n for n, d in g.nodes(data=True) if d["label"] == MIC]
    assert len(ministry) == 1 and g.nodes[ministry[0]]["projects"] == len(sheets)
    # old-format sheets publish no route: every edge is a listed payee, never a payment
    kinds = {(d["edge_kind"], d["route"]) for _, _, d in g.edges(data=True)}
    assert kinds == {
        (
            "listed_payee",
            "支出先として記載（資金の経路は公表されていない） / listed payee, route not published",
        )
    }

    # NEC's rows by its 法人番号; the folded name 日本電気 is published with two valid numbers
    # (7010401022916 and 4130001007762), so unnumbered 日本電気 rows stay an organisation of
    # their own (the identity rule: a name joins only the one number that uses it)
    rows = [(s["事業番号"], p) for s in sheets for p in s["支出先"] if p["法人番号"] == NEC]
    (nec,) = [n for n, d in g.nodes(data=True) if d.get("corporate_number") == NEC]
    assert g.nodes[nec]["projects"] == len({number for number, _ in rows}) > 10
    by_name = [n for n in g.nodes if n == "name:日本電気"]
    assert by_name and g.in_degree(by_name[0]) == sum(
        1
        for s in sheets
        for p in s["支出先"]
        if _fold(p["支出先名"]) == "日本電気"
        and not (p["法人番号"] or "").startswith(("7010401022916", "4130001007762"))
    )
    weights = [d.get("weight") for _, _, d in g.in_edges(nec, data=True)]
    want = [int(p["支出額"] * 1_000_000) for _, p in rows if p["支出額"] is not None]
    assert sorted(w for w in weights if w is not None) == sorted(want)


def test_rs_ministry_gexf_weighs_only_published_amounts(decade_store: Path):
    g = nx.read_gexf(io.StringIO(export(decade_store, "-f", "gexf", "-m", MIC, "--year", "2024")))
    payments = [d for _, _, d in g.edges(data=True) if d["edge_kind"] == "payment"]
    assert payments and all(
        ("weight" in d) == d["amount_published"] == ("amount_yen" in d) for d in payments
    )
    assert any(not d["amount_published"] for d in payments)  # some 5-2 links have no amount


def test_ftm_of_old_format_sheets_asserts_no_payment(decade_store: Path):
    from followthemoney import model

    text = export(decade_store, "-f", "ftm", "-m", MIC, "--year", "2017")
    proxies = [model.get_proxy(json.loads(line)) for line in text.splitlines()]
    by_schema: dict[str, list] = {}
    for p in proxies:
        by_schema.setdefault(p.schema.name, []).append(p)
    assert "Payment" not in by_schema
    links = by_schema["UnknownLink"]
    assert len(links) == sum(len(s["支出先"]) for s in mic_2017())
    assert all("route not published" in p.first("role") for p in links)
    ids = {p.id for p in proxies}
    assert len(ids) == len(proxies)
    for p in links:
        assert p.first("subject") in ids and p.first("object") in ids
    netone = [p for p in proxies if p.first("registrationNumber", quiet=True) == NETONE]
    assert len(netone) == 1  # one entity across the ministry's sheets
    # unnumbered rows of one folded name are one organisation across sheets, as in payee
    unnumbered = {
        p.id
        for p in proxies
        if p.schema.is_a("LegalEntity")
        and not p.first("registrationNumber", quiet=True)
        and _fold(p.first("name")) == "日本電気"
    }
    assert len(unnumbered) == 1
    (nec,) = unnumbered
    pointing = [p for p in links if p.first("object") == nec]
    assert len(pointing) == sum(
        1
        for s in mic_2017()
        for r in s["支出先"]
        if _fold(r["支出先名"]) == "日本電気"
        and not (r["法人番号"] or "").startswith(("7010401022916", "4130001007762"))
    )


def test_repeated_projects_and_the_size_bound(decade_store: Path, monkeypatch):
    g = nx.read_graphml(
        io.StringIO(export(decade_store, "-f", "graphml", "-p", "2017:総務省:0048", "-p", "7259"))
    )
    assert {d["project"] for _, _, d in g.edges(data=True)} == {
        "sheet2017-総務省-0048",
        "rs2024-7259",
    }
    import flowviz.render.store_graph as store_graph

    monkeypatch.setattr(store_graph, "MAX_GRAPH_FLOWS", 100)
    r = runner.invoke(
        app, ["export", "-f", "gexf", "-m", MIC, "--year", "2017", "--db", str(decade_store)]
    )
    assert r.exit_code == 1 and "limit 100" in r.output and "--ministry" in r.output
    r = runner.invoke(app, ["export", "-f", "csv", "-m", MIC, "--db", str(decade_store)])
    assert r.exit_code == 1 and "ftm, graphml, gexf" in r.output
