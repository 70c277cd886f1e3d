"""Who received the money: per organisation, what came in, what went on, and — only where the
published rows can show it — what stayed; with the contracts each holds."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flowviz import corpnum
from flowviz.analysis.common import pct
from flowviz.exceptions import OptionError
from flowviz.graph import balances, roots, totals
from flowviz.kinds import KINDS, organisation_kind
from flowviz.model import Entity, FlowDocument
from flowviz.names import normalise_name

#: what the kept column says when the data cannot show it
NOT_ACCOUNTED = "not accounted for in the published rows"
#: a contractor (5-4) with no published payment: nothing is known of what it received
PAYMENT_NOT_PUBLISHED = "payment not published (contract only)"


def payee_key(e: Entity) -> str:
    """Merge key across files: the 法人番号 when present (and not the individuals' placeholder)."""
    if e.corporate_number and e.corporate_number != corpnum.INDIVIDUAL_PLACEHOLDER:
        return e.corporate_number
    return "name:" + normalise_name(e.name)


def _new_row(e: Entity) -> dict[str, Any]:
    return {
        "name": e.name,
        "corporate_number": e.corporate_number,
        "kind": e.kind,
        "role": "contractor",
        "received_direct_yen": None,
        "received_indirect_yen": None,
        "received_yen": None,
        "received_is_lower_bound": False,
        "links_without_amount": 0,
        "passed_on_yen": None,
        "kept_yen": None,
        "kept_pct": None,
        "kept_status": PAYMENT_NOT_PUBLISHED,
        "contracts": 0,
        "contract_value_yen": None,
        "projects": [],
        "blocks": [],
        "partial": False,
        "check": "",
    }


def _plus(a: int | None, b: int | None) -> int | None:
    """Sum of two figures where ``None`` is unknown: unknown only when both are."""
    if a is None:
        return b
    return a if b is None else a + b


def _add_entity(
    row: dict[str, Any], e: Entity, doc: FlowDocument, direct: int | None, bal: Any
) -> None:
    got = bal.received
    row["partial"] = row["partial"] or doc.partial
    row["received_yen"] = _plus(row["received_yen"], got)
    if got is not None:
        row["received_direct_yen"] = _plus(row["received_direct_yen"], direct or 0)
        row["received_indirect_yen"] = _plus(row["received_indirect_yen"], got - (direct or 0))
    row["received_is_lower_bound"] |= (
        got is None and bal.links_in > 0
    ) or bal.received_is_lower_bound
    row["links_without_amount"] += bal.unknown_in + bal.unknown_out
    row["passed_on_yen"] = _plus(row["passed_on_yen"], bal.paid_yen)
    if bal.links_out:
        row["role"] = "intermediary"
    elif row["role"] == "contractor":
        row["role"] = "final"
    kept = bal.kept_yen  # once any part is not accounted for, the organisation's kept is not
    if kept is None or row["kept_status"] == NOT_ACCOUNTED:
        row["kept_yen"] = None
        row["kept_status"] = NOT_ACCOUNTED
    else:
        row["kept_yen"] = (row["kept_yen"] or 0) + kept
        row["kept_status"] = "published"
    if doc.project.id not in row["projects"]:
        row["projects"].append(doc.project.id)
    if e.block and f"{doc.project.id}:{e.block}" not in row["blocks"]:
        row["blocks"].append(f"{doc.project.id}:{e.block}")


def payees(docs: Iterable[FlowDocument]) -> list[dict[str, Any]]:
    """Every recipient and contractor, merged across documents by 法人番号 or normalised name.

    ``kept_yen`` is a figure only when the data shows it: the document lists every payee (not
    ``partial``) and every link in and out has a published amount; otherwise it is ``None`` and
    ``kept_status`` says the money is not accounted for. Contracts count apart from payments:
    ``contract_value_yen`` is the 契約額 of the contracts held, never added to received money.
    """
    acc: dict[str, dict[str, Any]] = {}
    for doc in docs:
        rs = set(roots(doc))
        bal = balances(doc)
        direct: dict[str, int] = {}
        for fl in doc.flows:
            if fl.source in rs and fl.amount_yen is not None and fl.id not in doc.suspects:
                direct[fl.target] = direct.get(fl.target, 0) + fl.amount_yen
        contracts: dict[str, list[Any]] = {}
        for c in doc.all_contracts():
            contracts.setdefault(c.contractor, []).append(c)
        suspect_in: dict[
            str, str
        ] = {}  # suspect figures paid to an organisation: marked on its row
        for fl in doc.flows:
            if fl.id in doc.suspects:
                suspect_in.setdefault(fl.target, f"suspect figure left out: {doc.suspects[fl.id]}")
        for e in doc.entities:
            b = bal.get(e.id)
            in_flow = b is not None and (b.links_in or b.links_out)
            if e.id in rs or (not in_flow and e.id not in contracts):
                continue
            row = acc.setdefault(payee_key(e), _new_row(e))
            row["check"] = row["check"] or suspect_in.get(e.id, "")
            if in_flow:
                _add_entity(row, e, doc, direct.get(e.id), b)
            elif doc.project.id not in row["projects"]:
                row["projects"].append(doc.project.id)
            for c in contracts.get(e.id, ()):
                row["contracts"] += 1
                if c.amount_yen is not None:
                    row["contract_value_yen"] = (row["contract_value_yen"] or 0) + c.amount_yen
    rows = list(acc.values())
    for r in rows:
        r["kept_pct"] = pct(r["kept_yen"], r["received_yen"])
        r["projects"] = ";".join(r["projects"])
        r["blocks"] = ";".join(r["blocks"])
    rows.sort(key=_by_amount)
    return rows


def _by_amount(r: dict[str, Any]) -> tuple:
    """Largest published receipt first; organisations with no published figure last."""
    got = r["received_yen"]
    return (got is None, -(got or 0), r["name"])


def source_total(docs: Iterable[FlowDocument]) -> int:
    """Published money leaving the funding sources of all documents."""
    t = 0
    for doc in docs:
        _, outflow = totals(doc)
        t += sum(outflow.get(r, 0) for r in roots(doc))
    return t


def payees_footer(
    rows: list[dict[str, Any]], docs: list[FlowDocument], shown: int | None = None
) -> list[str]:
    """The lines under the payees table: the balance check (over every organisation, also
    when only ``shown`` of them are printed), or why it cannot be made."""
    from flowviz.money import format_yen

    lines = []
    if shown is not None and shown != len(rows):
        lines.append(
            f"{shown} of {len(rows)} organisations shown (--kind/--top); totals below are over all"
        )
    contract_only = sum(1 for r in rows if r["kept_status"] == PAYMENT_NOT_PUBLISHED)
    if contract_only:
        lines.append(
            f"note: {contract_only} organisations hold contracts (5-4) but no payment to them is"
            " published: received is blank, not 0"
        )
    rows = [r for r in rows if r["kept_status"] != PAYMENT_NOT_PUBLISHED]
    if all(r["kept_yen"] is not None for r in rows):
        kept = sum(r["kept_yen"] for r in rows)
        lines.append(
            f"total kept {format_yen(kept)} = total paid by funding sources {format_yen(source_total(docs))}"
        )
    else:
        n = sum(1 for r in rows if r["kept_yen"] is None)
        lines.append(
            f"note: kept is blank for {n} organisations: {NOT_ACCOUNTED} (amounts not published,"
            " or RS data without 5-1, where only the largest payee of each block is listed)"
        )
    if any(r["contracts"] for r in rows):
        lines.append(
            "note: contract_value_yen is the 契約額 of contracts held (may span years), not money received"
        )
    return lines


SORTS = {
    "amount": _by_amount,
    "name": lambda r: (r["name"],),
    "projects": lambda r: (-len(r["projects"]), -(r["received_yen"] or 0)),
    "rows": lambda r: (-len(r["blocks"]), -(r["received_yen"] or 0)),
}


def select(
    rows: list[dict[str, Any]],
    kind: str | None = None,
    sort: str = "amount",
    top: int | None = None,
) -> list[dict[str, Any]]:
    """Keep one kind of organisation (see :mod:`flowviz.kinds`), order, and cut to ``top``."""
    if kind and kind not in KINDS:
        raise OptionError(f"--kind {kind!r}: choose one of {', '.join(KINDS)}")
    if sort not in SORTS:
        raise OptionError(f"--sort {sort!r}: choose one of {', '.join(SORTS)}")
    if kind:
        rows = [r for r in rows if organisation_kind(r["name"], r["corporate_number"])[0] == kind]
    rows = sorted(rows, key=SORTS[sort])
    return rows[:top] if top else rows
