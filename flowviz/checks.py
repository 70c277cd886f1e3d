"""Semantic checks on a document: references, duplicates, balance, cycles, budget identities.

Structural checks (types, units, 法人番号 check digits) happen while reading;
these need the whole document. Errors make the input unusable; warnings are
findings a reader should see (a node paying out more than it received, a
cycle, a budget row that does not add up).
"""

from __future__ import annotations

from flowviz.exceptions import Problem
from flowviz.model import FlowDocument
from flowviz.money import format_in_unit


def semantic_problems(doc: FlowDocument) -> list[Problem]:
    """Every semantic problem of ``doc``, errors first then warnings, in input order."""
    f = doc.file
    out: list[Problem] = []
    seen: dict[str, int] = {}
    for i, e in enumerate(doc.entities):
        if e.id in seen:
            out.append(
                Problem(
                    f,
                    f"$.entities[{i}].id",
                    f"duplicate entity id {e.id!r} (first used at $.entities[{seen[e.id]}]);"
                    " each entity needs its own id",
                )
            )
        else:
            seen[e.id] = i
    flow_ids: dict[str, int] = {}
    for i, fl in enumerate(doc.flows):
        if fl.id in flow_ids:
            out.append(
                Problem(
                    f,
                    f"$.flows[{i}].id",
                    f"duplicate flow id {fl.id!r} (first used at $.flows[{flow_ids[fl.id]}])",
                )
            )
        else:
            flow_ids[fl.id] = i
        for end in ("source", "target"):
            ref = getattr(fl, end)
            if ref and ref not in seen:
                out.append(
                    Problem(
                        f,
                        f"$.flows[{i}].{end}",
                        f"unknown entity {ref!r}; expected an id from $.entities ({_some(seen)})",
                    )
                )
        if fl.source and fl.source == fl.target:
            out.append(
                Problem(
                    f,
                    f"$.flows[{i}]",
                    f"flow from {fl.source!r} to itself; a flow must join two different entities",
                )
            )
    if any(p.severity == "error" for p in out):
        return out
    out.extend(duplicate_warnings(doc))
    out.extend(balance_warnings(doc))
    out.extend(cycle_warnings(doc))
    out.extend(breakdown_warnings(doc))
    out.extend(budget_warnings(doc))
    return out


def _some(ids: dict[str, int]) -> str:
    names = list(ids)[:5]
    more = ", …" if len(ids) > 5 else ""
    return "known: " + ", ".join(repr(n) for n in names) + more if names else "none defined"


def duplicate_warnings(doc: FlowDocument) -> list[Problem]:
    """Warn about flows identical in every field but the id: a row typed twice, or two real
    payments? Both are kept (and counted); the reader should check the source."""
    seen: dict[tuple, int] = {}
    out = []
    for i, fl in enumerate(doc.flows):
        key = (
            fl.source,
            fl.target,
            fl.amount_yen,
            fl.year,
            fl.expense_item,
            fl.purpose,
            fl.link_type,
            fl.contract,
        )
        if key in seen:
            out.append(
                Problem(
                    doc.file,
                    f"$.flows[{i}]",
                    f"same as $.flows[{seen[key]}] in every field but the id; both are counted"
                    " (remove one if it was entered twice)",
                    "warning",
                )
            )
        else:
            seen[key] = i
    return out


def balance_warnings(doc: FlowDocument) -> list[Problem]:
    """Warn where an entity pays out more than it received (a root pays freely); only where
    every amount into the entity is published (an unknown amount is no evidence of a gap)."""
    from flowviz.graph import balances

    out = []
    bal = balances(doc)
    for i, e in enumerate(doc.entities):
        b = bal.get(e.id)
        if b is None or not b.links_in or b.unknown_in or b.received is None or b.received < 0:
            continue
        if b.paid_yen > b.received:
            out.append(
                Problem(
                    doc.file,
                    f"$.entities[{i}]",
                    f"{e.name} pays out {format_in_unit(b.paid_yen, doc.unit)} but receives"
                    f" {format_in_unit(b.received, doc.unit)} (excess"
                    f" {format_in_unit(b.paid_yen - b.received, doc.unit)})",
                    "warning",
                )
            )
    return out


def cycle_warnings(doc: FlowDocument) -> list[Problem]:
    """Report cycles (allowed: real sheets have B→A reference links)."""
    from flowviz.graph import find_cycles

    out = []
    names = doc.entity_map
    for cyc in find_cycles(doc):
        path = " → ".join(names[n].name if n in names else n for n in cyc + [cyc[0]])
        out.append(Problem(doc.file, "$.flows", f"cycle in the money flow: {path}", "warning"))
    return out


def breakdown_warnings(doc: FlowDocument) -> list[Problem]:
    out = []
    for i, fl in enumerate(doc.flows):
        if fl.breakdown and fl.amount_yen is not None:
            if any(b.amount_yen is None for b in fl.breakdown):
                continue  # a blank line: the sum is a floor, nothing to compare
            s = sum(b.amount_yen for b in fl.breakdown)
            if s != fl.amount_yen:
                out.append(
                    Problem(
                        doc.file,
                        f"$.flows[{i}].breakdown",
                        f"breakdown adds up to {format_in_unit(s, doc.unit)}, the flow says"
                        f" {format_in_unit(fl.amount_yen, doc.unit)}",
                        "warning",
                    )
                )
    return out


def budget_warnings(doc: FlowDocument) -> list[Problem]:
    """Check 計 = 当初 + 補正 + 前年度から繰越し − 翌年度へ繰越し + 予備費等, and the carry chain."""
    out = []
    years = doc.budget.years
    for i, y in enumerate(years):
        w = f"$.budget.years[{i}]"
        parts = [y.initial, y.supplementary, y.carried_in, y.reserve]
        if y.total is not None and all(p is not None for p in parts) and not y.request:
            expected = sum(p for p in parts if p is not None)
            if not doc.budget.total_excludes_carry_over:
                expected -= y.carried_over or 0
            if expected != y.total:
                out.append(
                    Problem(
                        doc.file,
                        f"{w}.total",
                        f"計 is {format_in_unit(y.total, doc.unit)} but 当初+補正+繰越−翌年度繰越+予備費"
                        f" = {format_in_unit(expected, doc.unit)}",
                        "warning",
                    )
                )
        if i + 1 < len(years):
            nxt = years[i + 1]
            if (
                y.carried_over is not None
                and nxt.carried_in is not None
                and nxt.year == y.year + 1
                and y.carried_over != nxt.carried_in
                and not nxt.request
            ):
                out.append(
                    Problem(
                        doc.file,
                        f"$.budget.years[{i + 1}].carried_in",
                        f"前年度から繰越し {format_in_unit(nxt.carried_in, doc.unit)} differs from"
                        f" {y.year}'s 翌年度へ繰越し {format_in_unit(y.carried_over, doc.unit)}",
                        "warning",
                    )
                )
    return out
