"""Contracts of one RS project as records (5-1 contract rows and named 5-4 contracts), with
their own contract values, and the organisations that hold them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flowviz import corpnum
from flowviz.kinds import model_kind as guess_kind
from flowviz.model import Contract, ContractRecord, Entity, Flow
from flowviz.money import parse_rate
from flowviz.store.rs_blocks import Block, Payee, ProjectRows, _key, _num
from flowviz.store.rs_blocks import block_order as _order


def _terms(row: dict[str, Any]) -> Contract:
    method = row.get("method") or ""
    free = method.startswith("随意契約") or method.startswith("補助")
    bidders = row.get("bidders")
    rate = parse_rate(row.get("award_rate"))
    return Contract(
        method=method,
        method_detail=row.get("method_detail") or "",
        bidders=None if (bidders in (None, 0) and free) else bidders,
        award_rate_pct=None if rate is None or (rate == 0 and free) else rate,
        non_competitive_reason=row.get("reason") or "",
        summary=row.get("contract_summary") or "",
    )


def contract_records(
    r: ProjectRows,
    blocks: dict[str, Block],
    node_of: dict[str, str],
    flows: list[Flow],
) -> tuple[list[ContractRecord], list[Entity]]:
    """Every contract of the project as its own record, and contractors not yet in the picture."""
    into: dict[str, str] = {}
    for fl in flows:
        into.setdefault(fl.target, fl.id)
    records: list[ContractRecord] = []
    extra: list[Entity] = []
    known: set[str] = set(node_of.values())
    for letter in _order(blocks):
        for pe in blocks[letter].payees.values():
            eid = _payee_id(blocks[letter], pe, node_of)
            for origin, row in pe.contract_rows:
                records.append(_record(f"5-1:{row['line']}", eid, row, letter, into, origin))
    for row in r.contracts:
        if not row["payee"] and row["amount"] is None:
            continue
        letter = row["block"] or ""
        b = blocks.get(letter)
        number = _num(row["corporate_number"])
        pe = b.payees.get(_key(row["payee"] or "", number)) if b else None
        if b is not None and pe is not None:
            eid = _payee_id(b, pe, node_of)
        else:
            eid = f"contract:{letter}/{_key(row['payee'] or '', number)}"
            if eid not in known:
                known.add(eid)
                extra.append(_contractor_entity(eid, row, number, b))
        rec = _record(f"5-4:{row['line']}", eid, row, letter or None, into, "5-4")
        records.append(replace(rec, buyer="ministry"))
    return records, extra


def _payee_id(b: Block, pe: Payee, node_of: dict[str, str]) -> str:
    return node_of.get(b.letter, "") if len(b.payees) == 1 else f"{b.letter}/{pe.key}"


def _record(
    rid: str, eid: str, row: dict[str, Any], block: str | None, into: dict[str, str], origin: str
) -> ContractRecord:
    return ContractRecord(
        id=rid,
        contractor=eid,
        terms=_terms(row),
        amount_yen=row.get("amount"),
        block=block,
        flow=into.get(eid),
        origin=f"RS {origin} line {row['line']}",
    )


def _contractor_entity(
    eid: str, row: dict[str, Any], number: str | None, b: Block | None
) -> Entity:
    name = row["payee"] or "（契約先名なし）"
    return Entity(
        id=eid,
        name=name,
        kind=guess_kind(name, row.get("corp_kind"), number),
        corporate_number=number if number and corpnum.is_valid(number) else None,
        block=row["block"] or None,
        block_name=b.name if b else "",
        role="国庫債務負担行為等による契約の契約先",
        location=row.get("location") or "",
    )
