"""Exports for the tools people already use: FollowTheMoney (Aleph), GraphML/GEXF (Gephi),
and plain node/edge tables (spreadsheets, Datasette, pandas).

All built from the same model; amounts stay integer yen (text in FtM, as its ``amount`` type
expects; ``long`` integers in GraphML/GEXF).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from flowviz.analysis.records import flow_records
from flowviz.graph import build_graph, totals
from flowviz.model import Entity, FlowDocument
from flowviz.names import normalise_name
from flowviz.render.tables import to_csv, to_json

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
    inflow, outflow = totals(doc)
    out = []
    for e in doc.entities:
        row = {k: v for k, v in asdict(e).items() if k in NODE_COLUMNS}
        got = inflow.get(e.id, 0)
        row.update(
            received_yen=got, paid_yen=outflow.get(e.id, 0), kept_yen=got - outflow.get(e.id, 0)
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
        }
    )


def tables_csv(doc: FlowDocument) -> dict[str, str]:
    """``{".nodes.csv": …, ".edges.csv": …}``."""
    return {
        ".nodes.csv": to_csv(node_records(doc), NODE_COLUMNS),
        ".edges.csv": to_csv(flow_records(doc)),
    }


# -- GraphML / GEXF -----------------------------------------------------------------


def _plain(v: Any) -> Any:
    """Attribute values Gephi understands: str, int, float, bool (no None, Decimal, tuples)."""
    if v is None:
        return ""
    if isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, (tuple, list)):
        return json.dumps(
            [vars(x) if hasattr(x, "__dict__") else x for x in v], ensure_ascii=False, default=str
        )
    return str(v)


def gephi_graph(doc: FlowDocument):
    """The model graph with attribute values GraphML/GEXF can carry."""
    g = build_graph(doc)
    h = g.__class__()
    h.graph.update({k: _plain(v) for k, v in g.graph.items()})
    inflow, outflow = totals(doc)
    for n, data in g.nodes(data=True):
        attrs = {k: _plain(v) for k, v in data.items()}
        attrs["label"] = data.get("name", n)
        attrs["received_yen"] = inflow.get(n, 0)
        attrs["paid_yen"] = outflow.get(n, 0)
        h.add_node(n, **attrs)
    for s, t, k, data in g.edges(keys=True, data=True):
        attrs = {key: _plain(v) for key, v in data.items()}
        attrs["weight"] = data["amount_yen"]
        h.add_edge(s, t, key=k, **attrs)
    return h


def graphml(doc: FlowDocument) -> str:
    import networkx as nx

    return "\n".join(nx.generate_graphml(gephi_graph(doc))) + "\n"


def gexf(doc: FlowDocument) -> str:
    import networkx as nx

    return "\n".join(nx.generate_gexf(gephi_graph(doc))) + "\n"


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
    for f in doc.flows:
        c = f.contract
        contract_id = None
        if c.method or c.bidders is not None or c.award_rate_pct is not None:
            contract = model.make_entity("Contract")
            contract.make_id("flowviz", p.id, f.id, "contract")
            contract.add("authority", ids[f.source])
            contract.add("title", c.summary or f.purpose or p.name)
            contract.add("name", c.summary or f.purpose or p.name)
            contract.add("method", c.method)
            contract.add("amount", str(f.amount_yen))
            contract.add("currency", "JPY")
            contract.add("program", p.name)
            if c.bidders is not None:
                contract.add("notes", f"入札者数 {c.bidders}")
            if c.award_rate_pct is not None:
                contract.add("notes", f"落札率 {c.award_rate_pct}%")
            contract_id = contract.id
            yield contract.to_dict()
            award = model.make_entity("ContractAward")
            award.make_id("flowviz", p.id, f.id, "award")
            award.add("contract", contract_id)
            award.add("supplier", ids[f.target])
            award.add("amount", str(f.amount_yen))
            award.add("currency", "JPY")
            award.add("decisionReason", c.non_competitive_reason)
            award.add("summary", c.method_detail)
            yield award.to_dict()
        pay = model.make_entity("Payment")
        pay.make_id("flowviz", p.id, f.id)
        pay.add("payer", ids[f.source])
        pay.add("beneficiary", ids[f.target])
        pay.add("amount", str(f.amount_yen))
        pay.add("currency", "JPY")
        pay.add("purpose", f.purpose)
        pay.add("summary", " / ".join(x for x in (f.link_type, f.expense_item) if x))
        pay.add("programme", f"{p.number} {p.name}".strip())
        pay.add("recordId", f.id)
        if f.year:
            pay.add("date", str(f.year))
        if p.source.url:
            pay.add("sourceUrl", p.source.url)
        if contract_id:
            pay.add("contract", contract_id)
        yield pay.to_dict()


def ftm_json_lines(doc: FlowDocument) -> str:
    buf = io.StringIO()
    for d in ftm_entities(doc):
        buf.write(json.dumps(d, ensure_ascii=False, sort_keys=True))
        buf.write("\n")
    return buf.getvalue()


EXPORTS = {
    "ftm": ".ftm.json",
    "graphml": ".graphml",
    "gexf": ".gexf",
    "json": ".tables.json",
}


def export_texts(doc: FlowDocument, fmt: str) -> dict[str, str]:
    """Suffix → text for an export format (``v1`` is the input format itself)."""
    if fmt == "v1":
        from flowviz.render.v1_json import document_to_json

        return {".json": document_to_json(doc)}
    if fmt == "csv":
        return tables_csv(doc)
    if fmt == "json":
        return {EXPORTS[fmt]: tables_json(doc)}
    if fmt == "graphml":
        return {EXPORTS[fmt]: graphml(doc)}
    if fmt == "gexf":
        return {EXPORTS[fmt]: gexf(doc)}
    if fmt == "ftm":
        return {EXPORTS[fmt]: ftm_json_lines(doc)}
    from flowviz.render.api import FormatError

    raise FormatError(
        f"unknown export format {fmt!r}; expected v1, ftm, graphml, gexf, csv or json"
    )
