"""Flat records of a document (one row per flow), for tables, CSV, JSON and notebooks."""

from __future__ import annotations

from typing import Any

from flowviz.model import FlowDocument

FLOW_COLUMNS = (
    "flow_id",
    "source",
    "target",
    "amount_yen",
    "year",
    "link_type",
    "expense_item",
    "purpose",
    "contract_method",
    "bidders",
    "award_rate",
    "non_competitive",
    "non_competitive_reason",
    "contract_summary",
    "source_id",
    "target_id",
    "source_corporate_number",
    "target_corporate_number",
    "source_block",
    "target_block",
)


def flow_records(doc: FlowDocument) -> list[dict[str, Any]]:
    """One dict per flow, keys :data:`FLOW_COLUMNS`, amounts in integer yen."""
    ents = doc.entity_map
    rows = []
    for fl in doc.flows:
        s, t = ents.get(fl.source), ents.get(fl.target)
        c = fl.contract
        rows.append(
            {
                "flow_id": fl.id,
                "source": s.name if s else fl.source,
                "target": t.name if t else fl.target,
                "amount_yen": fl.amount_yen,
                "year": fl.year,
                "link_type": fl.link_type,
                "expense_item": fl.expense_item,
                "purpose": fl.purpose,
                "contract_method": c.method,
                "bidders": c.bidders,
                "award_rate": c.award_rate_pct,
                "non_competitive": c.is_non_competitive,
                "non_competitive_reason": c.non_competitive_reason,
                "contract_summary": c.summary,
                "source_id": fl.source,
                "target_id": fl.target,
                "source_corporate_number": s.corporate_number if s else None,
                "target_corporate_number": t.corporate_number if t else None,
                "source_block": s.block if s else None,
                "target_block": t.block if t else None,
            }
        )
    return rows


def summary(doc: FlowDocument) -> dict[str, Any]:
    """The figures ``flowviz info`` prints."""
    from flowviz.graph import chain_depth, roots, totals

    inflow, outflow = totals(doc)
    rs = roots(doc)
    total = sum(outflow.get(r, 0) for r in rs)
    p = doc.project
    return {
        "project_id": p.id,
        "number": p.number,
        "name": p.name,
        "ministry": p.ministry,
        "sheet_year": p.sheet_year,
        "flow_year": p.flow_year,
        "unit": doc.unit,
        "total_from_sources_yen": total,
        "sources": [doc.entity_map[r].name for r in rs if r in doc.entity_map],
        "entities": len(doc.entities),
        "flows": len(doc.flows),
        "chain_depth": chain_depth(doc),
        "partial": doc.partial,
        "partial_reason": doc.partial_reason,
        "warnings": [str(w) for w in doc.extra.get("problems", []) if w.severity == "warning"],
    }
