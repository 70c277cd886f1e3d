"""Exports for the tools people already use: FollowTheMoney (Aleph), GraphML/GEXF (Gephi),
and plain node/edge tables (spreadsheets, Datasette, pandas).

All built from the same model; amounts stay integer yen (text in FtM, as its ``amount`` type
expects; ``long`` integers in GraphML/GEXF).
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Iterator
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from flowviz.analysis.records import CONTRACT_COLUMNS, contract_records, flow_records
from flowviz.graph import balances, build_graph
from flowviz.model import ContractRecord, Entity, FlowDocument
from flowviz.money import format_rate
from flowviz.names import normalise_name
from flowviz.render.tables import to_csv, to_json
from flowviz.text import xml_safe

NODE_COLUMNS = (
    "id",
    "name",
    "kind",
    "corporate_number",
    "block",
    "block_name",
    "role",
    "location",
    "received_yen",
    "paid_yen",
    "kept_yen",
)


def node_records(doc: FlowDocument) -> list[dict[str, Any]]:
    """One row per organisation; ``kept_yen`` is empty where the published rows cannot show it."""
    bal = balances(doc)
    out = []
    for e in doc.entities:
        row = {k: v for k, v in asdict(e).items() if k in NODE_COLUMNS}
        b = bal[e.id]
        row.update(
            received_yen=b.received if b.links_in or b.stated_yen is not None else 0,
            paid_yen=b.paid_yen,
            kept_yen=b.kept_yen if b.links_in else (0 if b.links_out else b.kept_yen),
            links_without_amount=b.unknown_in + b.unknown_out,
        )
        out.append(row)
    return out


def tables_json(doc: FlowDocument) -> str:
    return to_json(
        {
            "project": doc.project.id,
            "unit": "円",
            "nodes": node_records(doc),
            "edges": flow_records(doc),
            "contracts": contract_records(doc),
        }
    )


def tables_csv(doc: FlowDocument) -> dict[str, str]:
    """``{".nodes.csv": …, ".edges.csv": …, ".contracts.csv": …}``."""
    return {
        ".nodes.csv": to_csv(node_records(doc), (*NODE_COLUMNS, "links_without_amount")),
        ".edges.csv": to_csv(flow_records(doc)),
        ".contracts.csv": to_csv(contract_records(doc), CONTRACT_COLUMNS),
    }


# -- GraphML / GEXF -----------------------------------------------------------------


def _plain(v: Any) -> Any:
    """Attribute values Gephi understands, typed: str, int, bool, and double for rates (a
    Decimal 落札率 such as 99.9); amounts stay integer yen. ``None`` is left out by the callers,
    so a column is never a mix of numbers and empty strings."""
    if isinstance(v, str):
        return xml_safe(v)
    if isinstance(v, (bool, int, float)):
        return v
    if isinstance(v, Decimal):
        return float(v)  # a rate or share, never money: amounts are int
    if isinstance(v, (tuple, list)):
        return json.dumps(
            [dataclasses.asdict(x) if dataclasses.is_dataclass(x) else x for x in v],
            ensure_ascii=False,
            default=str,
        )
    return str(v)


def gephi_graph(doc: FlowDocument):
    """The model graph with attribute values GraphML/GEXF can carry. Money edges have
    ``edge_kind=payment`` (``amount_published`` false and no weight when not published);
    contracts without a flow are ``edge_kind=contract`` edges from the buyer, weightless."""
    g = build_graph(doc)
    h = g.__class__()
    h.graph.update({k: _plain(v) for k, v in g.graph.items() if v is not None})
    nodes = {r["id"]: r for r in node_records(doc)}
    for n, data in g.nodes(data=True):
        attrs = {k: _plain(v) for k, v in data.items() if v is not None}
        attrs["label"] = xml_safe(str(data.get("name", n)))
        for k in ("received_yen", "paid_yen", "kept_yen"):
            v = nodes.get(n, {}).get(k)
            if v is not None:
                attrs[k] = v
        h.add_node(xml_safe(n), **attrs)
    for s, t, k, data in g.edges(keys=True, data=True):
        attrs = {key: _plain(v) for key, v in data.items() if v is not None}
        attrs["edge_kind"] = "payment"
        attrs["amount_published"] = data["amount_yen"] is not None
        if data["amount_yen"] is not None:
            attrs["weight"] = data["amount_yen"]
        h.add_edge(xml_safe(s), xml_safe(t), key=xml_safe(k), **attrs)
    for c in doc.contracts:
        if c.flow is None and c.buyer and xml_safe(c.buyer) in h and xml_safe(c.contractor) in h:
            attrs = {"edge_kind": "contract", "contract_method": c.terms.method, "origin": c.origin}
            if c.amount_yen is not None:
                attrs["contract_value_yen"] = c.amount_yen
            if c.terms.bidders is not None:
                attrs["bidders"] = c.terms.bidders
            h.add_edge(xml_safe(c.buyer), xml_safe(c.contractor), key=xml_safe(c.id), **attrs)
    return h


def graph_xml_chunks(doc: FlowDocument, fmt: str) -> Iterator[str]:
    """GraphML or GEXF of ``doc`` element by element (flowviz/render/graph_xml.py): written as
    built, so memory is the graph's, not an XML tree's. The GEXF meta holds the sheet year, not
    today's date, so the bytes depend on the data only."""
    from flowviz import __version__
    from flowviz.render.graph_xml import gexf_chunks, graphml_chunks

    if fmt == "graphml":
        return graphml_chunks(gephi_graph(doc))
    about = xml_safe(
        f"{doc.project.id} {doc.project.name}; sheet year {doc.project.sheet_year or '?'}"
    )
    return gexf_chunks(gephi_graph(doc), f"flowviz {__version__}", about)


def graphml(doc: FlowDocument) -> str:
    return "".join(graph_xml_chunks(doc, "graphml"))


def gexf(doc: FlowDocument) -> str:
    return "".join(graph_xml_chunks(doc, "gexf"))


# -- FollowTheMoney -----------------------------------------------------------------

_FTM_SCHEMA = {
    "government": "PublicBody",
    "ministry": "PublicBody",
    "local_government": "PublicBody",
    "agency": "PublicBody",
    "company": "Company",
    "block": "Organization",
    "individual": "LegalEntity",
    "other": "Organization",
}


def _entity_key(doc: FlowDocument, e: Entity) -> tuple[str, ...]:
    """Stable id parts: 法人番号 when known (merges across projects and re-exports in Aleph),
    the name for public bodies, else the project and entity id."""
    if e.corporate_number:
        return ("jp-corporate-number", e.corporate_number)
    if e.kind in ("government", "ministry"):
        return ("jp-public-body", normalise_name(e.name))
    return ("flowviz", doc.project.id, e.id)


def ftm_entities(doc: FlowDocument) -> Iterator[dict[str, Any]]:
    """FollowTheMoney entities (dicts) made with the ``followthemoney`` model itself."""
    from followthemoney import model

    ids: dict[str, str] = {}
    for e in doc.entities:
        proxy = model.make_entity(_FTM_SCHEMA.get(e.kind, "Organization"))
        proxy.make_id("flowviz", *_entity_key(doc, e))
        proxy.add("name", e.name)
        proxy.add("country", "jp")
        proxy.add("jurisdiction", "jp")
        if e.corporate_number:
            proxy.add("registrationNumber", e.corporate_number)
        if e.location:
            proxy.add("address", e.location)
        if e.role:
            proxy.add("description", e.role)
        ids[e.id] = proxy.id
        yield proxy.to_dict()
    p = doc.project
    contract_of: dict[str, str] = {}
    for c in doc.all_contracts():
        made = list(_ftm_contract(model, doc, c, ids))
        yield from made
        if c.flow and c.flow not in contract_of:
            contract_of[c.flow] = made[0]["id"]
    for f in doc.flows:
        pay = model.make_entity("Payment")
        pay.make_id("flowviz", p.id, f.id)
        pay.add("payer", ids[f.source])
        pay.add("beneficiary", ids[f.target])
        if f.amount_yen is not None:  # not published: no amount, never 0
            pay.add("amount", str(f.amount_yen))
            pay.add("currency", "JPY")
        pay.add("purpose", f.purpose)
        pay.add("summary", " / ".join(x for x in (f.link_type, f.expense_item) if x))
        pay.add("programme", f"{p.number} {p.name}".strip())
        pay.add("recordId", f.id)
        if f.amount_yen is None:
            pay.add("description", "金額不明（公表されていない）")
        if f.year:
            pay.add("date", str(f.year))
        if p.source.url:
            pay.add("sourceUrl", p.source.url)
        if f.id in contract_of:
            pay.add("contract", contract_of[f.id])
        yield pay.to_dict()


def _ftm_contract(model, doc: FlowDocument, c: ContractRecord, ids: dict[str, str]):  # noqa: ANN001, ANN202
    """A Contract and its ContractAward, both with the contract value (契約額), not a payment."""
    p, t = doc.project, c.terms
    contract = model.make_entity("Contract")
    contract.make_id("flowviz", p.id, c.id, "contract")
    buyer = c.buyer or next((f.source for f in doc.flows if f.id == c.flow), None)
    if buyer in ids:
        contract.add("authority", ids[buyer])
    title = t.summary or p.name
    contract.add("title", title)
    contract.add("name", title)
    contract.add("method", t.method)
    if c.amount_yen is not None:
        contract.add("amount", str(c.amount_yen))
        contract.add("currency", "JPY")
    contract.add("program", p.name)
    if t.bidders is not None:
        contract.add("notes", f"入札者数 {t.bidders}")
    if t.award_rate_pct is not None:
        contract.add("notes", f"落札率 {format_rate(t.award_rate_pct)}%")
    if c.origin:
        contract.add("notes", f"出典: {c.origin}")
    yield contract.to_dict()
    award = model.make_entity("ContractAward")
    award.make_id("flowviz", p.id, c.id, "award")
    award.add("contract", contract.id)
    if c.contractor in ids:
        award.add("supplier", ids[c.contractor])
    if c.amount_yen is not None:
        award.add("amount", str(c.amount_yen))
        award.add("currency", "JPY")
    award.add("decisionReason", t.non_competitive_reason)
    award.add("summary", t.method_detail)
    yield award.to_dict()


def ftm_json_lines(doc: FlowDocument) -> str:
    buf = io.StringIO()
    for d in ftm_entities(doc):
        buf.write(json.dumps(d, ensure_ascii=False, sort_keys=True))
        buf.write("\n")
    return buf.getvalue()


#: above this, GraphML/GEXF (an XML tree built in memory) are refused in favour of CSV
MAX_GRAPH_FLOWS = 200_000

EXPORTS = {
    "ftm": ".ftm.json",
    "graphml": ".graphml",
    "gexf": ".gexf",
    "json": ".tables.json",
}


def export_texts(doc: FlowDocument, fmt: str) -> dict[str, str | Iterator[str]]:
    """Suffix → text for an export format (``v1`` is the input format itself); GraphML and
    GEXF come as an iterator of strings, to be written as they are built."""
    if fmt == "v1":
        from flowviz.render.v1_json import document_to_json

        return {".json": document_to_json(doc)}
    if fmt == "csv":
        return tables_csv(doc)
    if fmt == "json":
        return {EXPORTS[fmt]: tables_json(doc)}
    if fmt in ("graphml", "gexf") and len(doc.flows) > MAX_GRAPH_FLOWS:
        from flowviz.exceptions import RenderTooLarge

        raise RenderTooLarge(
            f"{doc.file or doc.project.id}: {len(doc.flows):,} flows make a {fmt.upper()} file Gephi"
            f" cannot open (limit {MAX_GRAPH_FLOWS:,}); export --format csv, which streams any size"
        )
    if fmt in ("graphml", "gexf"):
        return {EXPORTS[fmt]: graph_xml_chunks(doc, fmt)}
    if fmt == "ftm":
        return {EXPORTS[fmt]: ftm_json_lines(doc)}
    from flowviz.render.api import FormatError

    raise FormatError(
        f"unknown export format {fmt!r}; expected v1, ftm, graphml, gexf, csv or json"
    )
