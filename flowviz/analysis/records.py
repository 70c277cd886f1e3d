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
    "amount_published",
    "route_published",
    "contracts",
)


SHORT_FLOW_COLUMNS = (
    "source",
    "target",
    "amount_yen",
    "year",
    "link_type",
    "expense_item",
    "contract_method",
)


def flow_records(doc: FlowDocument) -> list[dict[str, Any]]:
    """One dict per flow, keys :data:`FLOW_COLUMNS`, amounts in integer yen."""
    ents = doc.entity_map
    rows = []
    for fl in doc.flows:
        s, t = ents.get(fl.source), ents.get(fl.target)
        terms = doc.flow_contracts.get(fl.id, ())
        c = terms[0] if terms else fl.contract
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
                "non_competitive": any(t.is_non_competitive for t in terms),
                "non_competitive_reason": c.non_competitive_reason,
                "contract_summary": c.summary,
                "source_id": fl.source,
                "target_id": fl.target,
                "source_corporate_number": s.corporate_number if s else None,
                "target_corporate_number": t.corporate_number if t else None,
                "source_block": s.block if s else None,
                "target_block": t.block if t else None,
                "amount_published": fl.amount_yen is not None,
                "route_published": fl.route_published,
                "contracts": len(terms),
            }
        )
    return rows


CONTRACT_COLUMNS = (
    "contract_id",
    "contractor",
    "contractor_id",
    "corporate_number",
    "block",
    "contract_value_yen",
    "method",
    "method_detail",
    "bidders",
    "award_rate",
    "non_competitive",
    "one_bidder",
    "reason",
    "summary",
    "flow_id",
    "origin",
)


def contract_records(doc: FlowDocument) -> list[dict[str, Any]]:
    """One row per contract, with its contract value (契約額) — never a payment."""
    ents = doc.entity_map
    rows = []
    for c in doc.all_contracts():
        e = ents.get(c.contractor)
        t = c.terms
        rows.append(
            {
                "contract_id": c.id,
                "contractor": e.name if e else c.contractor,
                "contractor_id": c.contractor,
                "corporate_number": e.corporate_number if e else None,
                "block": c.block,
                "contract_value_yen": c.amount_yen,
                "method": t.method,
                "method_detail": t.method_detail,
                "bidders": t.bidders,
                "award_rate": t.award_rate_pct,
                "non_competitive": t.is_non_competitive,
                "one_bidder": t.is_one_bidder,
                "reason": t.non_competitive_reason,
                "summary": t.summary,
                "flow_id": c.flow,
                "origin": c.origin,
            }
        )
    return rows


def summary(doc: FlowDocument) -> dict[str, Any]:
    """The figures ``flowviz info`` prints; unknown amounts are counted, never summed as 0円."""
    from flowviz.graph import chain_depth, roots
    from flowviz.suspect import flow_year_execution

    rs = set(roots(doc))
    sus = doc.suspects
    suspect = [fl for fl in doc.flows if fl.source in rs and fl.id in sus]
    out_of_sources = [fl for fl in doc.flows if fl.source in rs and fl.id not in sus]
    known = [fl.amount_yen for fl in out_of_sources if fl.amount_yen is not None]
    deductions = sum(a for a in known if a < 0)
    known = [a for a in known if a >= 0]
    out_of_sources = [fl for fl in out_of_sources if fl.amount_yen is None or fl.amount_yen >= 0]
    contracts = doc.all_contracts()
    values = [c.amount_yen for c in contracts if c.amount_yen is not None and c.id not in sus]
    p = doc.project
    return {
        "project_id": p.id,
        "number": p.number,
        "name": p.name,
        "ministry": p.ministry,
        "sheet_year": p.sheet_year,
        "flow_year": p.flow_year,
        "unit": doc.unit,
        "total_from_sources_yen": sum(known) if known else None,
        "executed_yen": flow_year_execution(doc),
        "suspect_yen": sum(fl.amount_yen or 0 for fl in suspect),
        "suspect_flows": len(suspect),
        "total_is_lower_bound": bool(known)
        and (
            len(known) < len(out_of_sources)
            or any(fl.amount_is_lower_bound for fl in out_of_sources)
        ),
        "deductions_from_sources_yen": deductions,
        "routes_unpublished": sum(1 for fl in doc.flows if not fl.route_published),
        "notes": list(doc.findings),
        "links_from_sources": len(out_of_sources),
        "links_from_sources_without_amount": len(out_of_sources) - len(known),
        "links_without_amount": sum(1 for fl in doc.flows if fl.amount_yen is None),
        "negative_flows": sum(
            1 for fl in doc.flows if fl.amount_yen is not None and fl.amount_yen < 0
        ),
        "sources": [doc.entity_map[r].name for r in rs if r in doc.entity_map],
        "entities": len(doc.entities),
        "flows": len(doc.flows),
        "contracts": len(contracts),
        "contract_value_yen": sum(values) if values else None,
        "contracts_without_value": len(contracts)
        - len(values)
        - sum(1 for c in contracts if c.id in sus),
        "suspect_contracts": sum(1 for c in contracts if c.id in sus),
        "chain_depth": chain_depth(doc),
        "partial": doc.partial,
        "partial_reason": doc.partial_reason,
        "warnings": [str(w) for w in doc.extra.get("problems", []) if w.severity == "warning"],
    }


def total_text(s: dict[str, Any]) -> str:
    """The ``total:`` line of ``info``: exact, at least, or not published — never a false 0円."""
    from flowviz.money import format_in_unit, format_yen, format_yen_ja

    t, missing = s["total_from_sources_yen"], s["links_from_sources_without_amount"]
    who = ", ".join(s["sources"])
    executed = s.get("executed_yen")
    spent = (
        f"; 執行額 (spent) in FY{s['flow_year']}: {format_yen(executed)} ({format_yen_ja(executed)}),"
        " as published"
        if executed is not None
        else ""
    )
    if t is None and s.get("suspect_flows"):
        return (
            f"no figure to quote: the only amounts listed ({format_yen(s['suspect_yen'])}) are"
            f" suspect (kept as published, see FV011){spent}"
        )
    if t is None and not s["links_from_sources"]:
        return f"not published: the sheet lists no payee with an amount{spent}"
    if t is None:
        return (
            f"not published ({missing} of {s['links_from_sources']} links from {who} have no"
            f" amount){spent}"
        )
    head = f"{format_yen(t)} ({format_yen_ja(t)}; {format_in_unit(t, s['unit'])} as published)"
    neg = s.get("deductions_from_sources_yen") or 0
    tail = f"; deductions and returns {format_yen(neg)} shown apart" if neg else ""
    if s.get("suspect_flows"):
        tail += (
            f"; {s['suspect_flows']} suspect figure(s) of {format_yen(s['suspect_yen'])} left out"
            " (kept as published, see FV011)"
        )
    if s.get("routes_unpublished") and s["routes_unpublished"] == s["flows"]:
        return (
            f"{head} listed in total; who paid whom is not published, so this may count money"
            f" twice where one payee paid another{tail}"
        )
    if s["total_is_lower_bound"]:
        why = (
            f"{missing} of {s['links_from_sources']} links have no amount"
            if missing
            else "some of the 費目 lines behind these links are blank"
        )
        return f"at least {head} from {who}; {why}{tail}"
    return f"{head} from {who}{tail}"


def info_lines(s: dict[str, Any]) -> list[str]:
    """The lines of ``flowviz info`` (table format)."""
    from flowviz.money import format_yen

    depth = s["chain_depth"]
    lines = [
        f"project:   {s['number'] or s['project_id']} {s['name']}",
        f"ministry:  {s['ministry']}",
        f"year:      sheet {s['sheet_year']}, flows {s['flow_year']}",
        f"total:     {total_text(s)}",
        f"entities:  {s['entities']}",
        f"flows:     {s['flows']}"
        + (
            f" ({s['links_without_amount']} without a published amount)"
            if s["links_without_amount"]
            else ""
        )
        + (
            f" ({s['negative_flows']} negative: deductions or returns)"
            if s["negative_flows"]
            else ""
        ),
    ]
    if s["contracts"]:
        if s["contract_value_yen"] is None:
            lines.append(f"contracts: {s['contracts']} (contract values not published)")
        else:
            n = s["contracts_without_value"]
            more = f", {n} without a value" if n else ""
            if s.get("suspect_contracts"):
                more += f", {s['suspect_contracts']} suspect value(s) left out (FV011)"
            lines.append(
                f"contracts: {s['contracts']}, contract value {format_yen(s['contract_value_yen'])}"
                f"{more} (契約額, not payments)"
            )
    lines.append(f"depth:     {depth} hop{'s' if depth != 1 else ''}")
    if s["partial"]:
        lines.append(f"partial:   amounts are partial: {s['partial_reason']}")
    lines += [f"note:      {n}" for n in s.get("notes", [])]
    lines += [f"warning:   {w}" for w in s["warnings"]]
    return lines
