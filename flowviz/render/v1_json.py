"""Write a document back as input format v1 JSON (``flowviz export``), amounts in 円."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flowviz.model import Contract, FlowDocument
from flowviz.render.tables import to_json


def _drop_empty(d: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """Without empty values, except ``keep`` (a flow's ``amount: null`` means not published)."""
    return {k: v for k, v in d.items() if k in keep or v not in (None, "", [], {}, ())}


def document_to_data(doc: FlowDocument) -> dict[str, Any]:
    """A JSON-ready dict that :func:`flowviz.sources.flow_json.document_from_data` reads back equal."""
    p = doc.project
    project = _drop_empty(
        {
            "id": p.id,
            "number": p.number,
            "name": p.name,
            "ministry": p.ministry,
            "bureau": p.bureau,
            "division": p.division,
            "sheet_year": p.sheet_year,
            "flow_year": p.flow_year,
            "start_year": p.start_year,
            "end_year": p.end_year,
            "account": p.account,
            "implementation": p.implementation,
            "legal_basis": list(p.legal_basis),
            "policy": p.policy,
            "measure": p.measure,
            "plans": list(p.plans),
            "related_projects": list(p.related_projects),
            "source": _drop_empty(vars(p.source).copy()),
            "notes": list(p.notes),
        }
    )
    years = [
        _drop_empty(
            {
                "year": y.year,
                "label": y.label,
                "initial": y.initial,
                "supplementary": y.supplementary,
                "carried_in": y.carried_in,
                "carried_over": y.carried_over,
                "reserve": y.reserve,
                "total": y.total,
                "executed": y.executed,
                "execution_rate_pct": y.execution_rate_pct,
                "request": y.request or None,
            }
        )
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
    entities = []
    for e in doc.entities:
        d = asdict(e)
        d["stated_received"] = d.pop("stated_received_yen")
        entities.append(_drop_empty(d))
    flows = []
    for f in doc.flows:
        c = f.contract
        flows.append(
            _drop_empty(
                {
                    "id": f.id,
                    "source": f.source,
                    "target": f.target,
                    "amount": f.amount_yen,
                    "route_published": None if f.route_published else False,
                    "year": f.year,
                    "link_type": f.link_type,
                    "expense_item": f.expense_item,
                    "purpose": f.purpose,
                    "contract": _drop_empty(_terms(c)),
                    "breakdown": [
                        {
                            "expense_item": b.expense_item,
                            "purpose": b.purpose,
                            "amount": b.amount_yen,
                        }
                        for b in f.breakdown
                    ],
                    "note": f.note,
                },
                keep=("amount",),
            )
        )
    out: dict[str, Any] = {"flowviz": 1, "unit": "円", "project": project}
    if budget:
        out["budget"] = budget
    out["entities"] = entities
    out["flows"] = flows
    if doc.contracts:
        out["contracts"] = [
            _drop_empty(
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
            for c in doc.contracts
        ]
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
