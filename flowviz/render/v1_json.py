"""Write a document back as input format v1 JSON (``flowviz export``), amounts in 円."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flowviz.model import Contract, ContractRecord, Entity, Flow, FlowDocument
from flowviz.render.tables import to_json


def _drop_empty(d: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """Without empty values, except ``keep`` (a flow's ``amount: null`` means not published)."""
    return {k: v for k, v in d.items() if k in keep or v not in (None, "", [], {}, ())}


def _plain(obj: Any) -> dict[str, Any]:
    """A dataclass as a dict without empty values (tuples become lists, nested dataclasses dicts)."""
    return _drop_empty({k: list(v) if isinstance(v, tuple) else v for k, v in asdict(obj).items()})


def document_to_data(doc: FlowDocument) -> dict[str, Any]:
    """A JSON-ready dict that :func:`flowviz.sources.flow_json.document_from_data` reads back equal."""
    project = _plain(doc.project)
    if "source" in project:
        project["source"] = _drop_empty(project["source"])
    years = [
        _drop_empty({**asdict(y), "request": y.request or None, "sources": dict(y.sources)})
        for y in doc.budget.years
    ]
    budget = _drop_empty(
        {
            "years": years,
            "breakdown": [
                {"name": b.name, "amounts": {str(k): v for k, v in b.amounts}}
                for b in doc.budget.breakdown
            ],
            "breakdown_note": doc.budget.breakdown_note,
            "total_excludes_carry_over": doc.budget.total_excludes_carry_over or None,
        }
    )
    out: dict[str, Any] = {"flowviz": 1, "unit": "円", "project": project}
    if budget:
        out["budget"] = budget
    out["entities"] = [_entity(e) for e in doc.entities]
    out["flows"] = [_flow(f) for f in doc.flows]
    if doc.contracts:
        out["contracts"] = [_contract(c) for c in doc.contracts]
    if doc.findings:
        out["findings"] = list(doc.findings)
    if doc.partial:
        out["partial"] = True
        out["partial_reason"] = doc.partial_reason
    return out


def document_to_json(doc: FlowDocument) -> str:
    return to_json(document_to_data(doc))


def _terms(c: Contract) -> dict[str, Any]:
    return {
        "method": c.method,
        "method_detail": c.method_detail,
        "bidders": c.bidders,
        "award_rate_pct": c.award_rate_pct,
        "non_competitive_reason": c.non_competitive_reason,
        "summary": c.summary,
    }


def _entity(e: Entity) -> dict[str, Any]:
    d = asdict(e)
    d["stated_received"] = d.pop("stated_received_yen")
    return _drop_empty(d)


def _flow(f: Flow) -> dict[str, Any]:
    """A flow; ``amount: null`` is kept (not published), and so is a negative amount."""
    return _drop_empty(
        {
            "id": f.id,
            "source": f.source,
            "target": f.target,
            "amount": f.amount_yen,
            "route_published": None if f.route_published else False,
            "amount_is_lower_bound": True if f.amount_is_lower_bound else None,
            "year": f.year,
            "link_type": f.link_type,
            "expense_item": f.expense_item,
            "purpose": f.purpose,
            "contract": _drop_empty(_terms(f.contract)),
            "breakdown": [
                {"expense_item": b.expense_item, "purpose": b.purpose, "amount": b.amount_yen}
                for b in f.breakdown
            ],
            "note": f.note,
        },
        keep=("amount",),
    )


def _contract(c: ContractRecord) -> dict[str, Any]:
    return _drop_empty(
        {
            "id": c.id,
            "contractor": c.contractor,
            "amount": c.amount_yen,
            "block": c.block,
            "flow": c.flow,
            "buyer": c.buyer,
            "origin": c.origin,
            **_terms(c.terms),
        }
    )
