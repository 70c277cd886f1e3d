"""Whole-ministry and whole-year exports for Gephi and Aleph: the projects of the store as one
graph, each organisation one node across projects as the store's identity rules decide
(:class:`~flowviz.store.identity_links.Resolver`: by 法人番号 and its renumbering links, an
unnumbered name joining the one numbered organisation that uses exactly its folded name),
public bodies by name, blocks and その他 bundles per project. Edges keep their project; weights
only where the amount is published (``amount_published`` says so), and listed payees of
old-format sheets are ``listed_payee`` edges with the route caveat, never payments."""

from __future__ import annotations

import sqlite3
from typing import Any

from flowviz.exceptions import RenderTooLarge
from flowviz.model import Entity, FlowDocument
from flowviz.names import normalise_name
from flowviz.render.exports import MAX_GRAPH_FLOWS, ftm_entities, gephi_graph
from flowviz.render.graph_xml import gexf_chunks, graphml_chunks
from flowviz.store.identity_links import Resolver
from flowviz.text import xml_safe

#: names that bundle many payees (その他): never one organisation across projects
_BUNDLES = ("その他",)


def store_documents(con: sqlite3.Connection, year: int, ministry: str | None) -> list[FlowDocument]:
    """Every project of ``year`` (of one ministry), bounded by :data:`MAX_GRAPH_FLOWS`."""
    from flowviz.store.year_documents import year_documents

    try:
        return year_documents(con, year, ministry, max_rows=MAX_GRAPH_FLOWS)
    except ValueError as exc:  # too many rows: the advice is the graph's
        raise RenderTooLarge(
            f"{ministry or 'every ministry'} {year}: {exc} payee rows make a graph Gephi cannot"
            f" open (limit {MAX_GRAPH_FLOWS:,}); give --ministry, or --format csv per project"
        ) from None


def _node_keys(docs: list[FlowDocument], resolver: Resolver) -> dict[tuple[str, str], str]:
    """(project id, entity id) → the node id it is merged into."""
    out = {}
    for doc in docs:
        for e in doc.entities:
            if e.kind in ("ministry", "government"):
                node = "body:" + normalise_name(e.name)
            elif _merged_by_identity(e):
                key, _ = resolver.key(e.corporate_number, e.name, doc.project.sheet_year)
                node = key if key.startswith("name:") else f"jp:{key}"
            else:
                node = f"{doc.project.id}/{e.id}"
            out[doc.project.id, e.id] = node
    return out


def _merged_by_identity(e: Entity) -> bool:
    stem = normalise_name(e.name)
    return bool(stem) and e.kind not in ("block", "individual") and not e.name.startswith(_BUNDLES)


def merged_graph(docs: list[FlowDocument], title: str, resolver: Resolver) -> Any:
    """One MultiDiGraph of every document, nodes merged by identity (see the module doc)."""
    import networkx as nx

    keys = _node_keys(docs, resolver)
    g = nx.MultiDiGraph(title=title, projects=len(docs), unit="円")
    projects: dict[str, set[str]] = {}
    for doc in docs:
        pid = doc.project.id
        h = gephi_graph(doc)
        ids = {e.id: keys[pid, e.id] for e in doc.entities}
        for n, data in h.nodes(data=True):
            node = ids.get(n, f"{pid}/{n}")
            projects.setdefault(node, set()).add(pid)
            if node not in g:
                attrs = {k: v for k, v in data.items() if k not in ("id", "block", "block_name")}
                g.add_node(node, **attrs)
        for s, t, k, data in h.edges(keys=True, data=True):
            src, dst = ids.get(s, f"{pid}/{s}"), ids.get(t, f"{pid}/{t}")
            g.add_edge(src, dst, key=f"{pid}:{k}", **data, project=pid)
    for node, data in g.nodes(data=True):  # per-project balances do not add up across projects
        for k in ("received_yen", "paid_yen", "kept_yen"):
            data.pop(k, None)
        data["projects"] = len(projects[node])
    return g


def merged_ftm(docs: list[FlowDocument], resolver: Resolver) -> list[dict[str, Any]]:
    """FtM entities of every document, each organisation once: an organisation the identity
    rules join by name (or through a renumbering link) takes one id across projects, and every
    link, payment and contract pointing at it follows."""
    from followthemoney import model

    def ftm_id(*parts: str) -> str:  # as exports.ftm_entities makes them
        proxy = model.make_entity("LegalEntity")
        proxy.make_id("flowviz", *parts)
        return proxy.id

    keys = _node_keys(docs, resolver)
    seen: dict[str, dict[str, Any]] = {}
    for doc in docs:
        made = list(ftm_entities(doc))  # the document's entities first, in order
        ids: dict[str, str] = {}
        for e, d in zip(doc.entities, made, strict=False):
            node = keys[doc.project.id, e.id]
            if node.startswith("name:"):
                ids[d["id"]] = ftm_id("jp-organisation-name", node[5:])
            elif node.startswith("jp:") and node[3:] != e.corporate_number:
                ids[d["id"]] = ftm_id("jp-corporate-number", node[3:])
        for d in made:
            d["id"] = ids.get(d["id"], d["id"])
            for values in d["properties"].values():
                values[:] = [ids.get(v, v) for v in values]
            seen.setdefault(d["id"], d)
    return list(seen.values())


def many_texts(docs: list[FlowDocument], fmt: str, title: str, db: Any) -> str:
    """The text of a several-project export: FtM lines, GraphML or GEXF (organisations merged
    by the identity rules of the store at ``db``)."""
    import json

    from flowviz.store.db import connect

    con = connect(db)
    try:
        resolver = Resolver(con)
        resolver.owners()  # read while the store is open
    finally:
        con.close()
    if fmt == "ftm":
        return "".join(
            json.dumps(d, ensure_ascii=False, sort_keys=True) + "\n"
            for d in merged_ftm(docs, resolver)
        )
    flows = sum(len(d.flows) for d in docs)
    if flows > MAX_GRAPH_FLOWS:
        raise RenderTooLarge(
            f"{title}: {flows:,} flows make a graph Gephi cannot open (limit"
            f" {MAX_GRAPH_FLOWS:,}); give fewer projects or one --ministry"
        )
    g = merged_graph(docs, title, resolver)
    if fmt == "gexf":
        from flowviz import __version__

        about = xml_safe(f"{title}; {len(docs)} projects")
        return "".join(gexf_chunks(g, f"flowviz {__version__}", about))
    return "".join(graphml_chunks(g))
