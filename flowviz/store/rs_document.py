"""From the store to the model: one RS-system project becomes a :class:`FlowDocument`.

A pipeline of named steps, each saying only what the published rows say:

1. :func:`load_rows` — the project's rows of 5-1, 5-2, 5-3, 5-4 and 2-1;
2. :func:`collect_blocks` — blocks and their payees (5-1 payee totals, else 5-3 lines);
3. :func:`block_nodes` — a block with one payee *is* that payee; a block with several becomes a
   ``block`` entity paying each of them;
4. :func:`link_flows` — 5-2 links. A block reached by one link gets the block's amount on that
   link; a block reached by several keeps its amount once, on the node
   (``stated_received_yen``), and the links carry no amount (the split is not published).
   A block whose amount is not published gets links of unknown amount, never 0円;
5. :func:`unlinked_flows` — blocks with money but no 5-2 link are drawn from the ministry with
   ``route_published=False`` (the route is not in the data);
6. :func:`contract_records` — every 5-1 contract row and every named 5-4 contract becomes a
   :class:`ContractRecord` with its own contract value; a 5-4 contractor who is not a payee of
   its block is added as an organisation of that block (no flow: no payment is published);
7. :func:`budget_of` — the 2-1 budget table.

Without 5-1, 5-3 lists only the largest payee of each block: the document is ``partial`` and no
view states what anybody "kept".
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal
from typing import Any

from flowviz import corpnum
from flowviz.kinds import model_kind as guess_kind
from flowviz.messages import N_, msg
from flowviz.model import (
    BUDGET_AMOUNTS,
    Budget,
    BudgetYear,
    Entity,
    Flow,
    FlowDocument,
    Project,
    Source,
)
from flowviz.money import parse_rate
from flowviz.store.rs_blocks import (
    Block,
    Payee,
    ProjectRows,
    collect_blocks,
    load_rows,
)
from flowviz.store.rs_blocks import (
    block_order as _order,
)
from flowviz.store.rs_contracts import contract_records
from flowviz.suspect import excess_note
from flowviz.text import wareki

PARTIAL_REASON = N_(
    "5-1（支出情報）がないため、金額は5-3（費目・使途）に記載された支出先"
    "（各ブロックで支出額が最大の者）の分のみ。手元に残った額は公表データからは分からない"
)


def block_nodes(
    blocks: dict[str, Block], year: int, funders: dict[str, int]
) -> tuple[list[Entity], list[Flow], dict[str, str]]:
    """Entities per block, block → payee flows for multi-payee blocks, and letter → node id.

    ``funders``: how many distinct links reach each block; a block reached by several keeps its
    amount on the node, since the published rows do not split it among the links.
    """
    entities: list[Entity] = []
    flows: list[Flow] = []
    node_of: dict[str, str] = {}
    for letter in _order(blocks):
        b = blocks[letter]
        stated = b.total if funders.get(letter, 0) > 1 else None
        members = list(b.payees.values())
        if len(members) == 1:
            pe = members[0]
            eid = f"{letter}/{pe.key}"
            entities.append(_payee_entity(eid, pe, b, stated))
            node_of[letter] = eid
            continue
        eid = f"block:{letter}"
        entities.append(
            Entity(
                eid,
                b.name or f"ブロック{letter}",
                "block",
                None,
                letter,
                b.name,
                b.role,
                "",
                b.count,
                stated_received_yen=stated,
            )
        )
        node_of[letter] = eid
        for i, pe in enumerate(members):
            pid_ = f"{letter}/{pe.key}"
            entities.append(_payee_entity(pid_, pe, b, None))
            flows.append(
                _flow(
                    f"{letter}-p{i + 1}",
                    eid,
                    pid_,
                    pe.total,
                    pe.lines,
                    year,
                    "支出",
                    lower_bound=pe.total_is_lower_bound,
                )
            )
    return entities, flows, node_of


def count_funders(links: list[dict[str, Any]]) -> dict[str, int]:
    """Distinct payers (the ministry or a block) of each block in 5-2."""
    payers: dict[str, set[str]] = defaultdict(set)
    for ln in links:
        if ln["to_block"]:
            payers[ln["to_block"]].add("" if ln["from_ministry"] else (ln["from_block"] or ""))
    return {k: len(v) for k, v in payers.items()}


def link_flows(
    r: ProjectRows,
    blocks: dict[str, Block],
    node_of: dict[str, str],
    funders: dict[str, int],
    year: int,
    ministry: str,
) -> tuple[list[Entity], list[Flow], list[str]]:
    """Flows of the 5-2 links and the ministry's own overheads, with notes on what is unknown."""
    entities: list[Entity] = []
    flows: list[Flow] = []
    notes: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for ln in r.links:
        to, frm = ln["to_block"], ln["from_block"]
        if not to and not frm:
            if ln["overhead_amount"] is not None or ln["overhead_item"]:
                e, fl = overhead(ln, len(entities) + 1, year, ministry)
                entities.append(e)
                flows.append(fl)
            continue
        src = "ministry" if ln["from_ministry"] else node_of.get(frm)
        if not to or to not in node_of or src is None:
            continue
        pair = (src, to)
        if pair in seen:
            notes.append(
                msg(
                    "5-2の{line}行目は{first}行目と同じつながり（{frm}→{to}）のため一度だけ表示",
                    line=ln["line"],
                    first=seen[pair],
                    frm=frm or msg("府省庁"),
                    to=to,
                )
            )
            continue
        seen[pair] = ln["line"]
        b = blocks[to]
        shared = funders.get(to, 0) > 1
        members = list(b.payees.values())
        pe = members[0] if len(members) == 1 else None
        amount, lines = (None, ()) if shared else (b.total, (pe.lines if pe else ()))
        note = _link_note(to, funders[to] if shared else 0, amount)
        flows.append(
            _flow(
                f"L{ln['line']}",
                src,
                node_of[to],
                amount,
                lines,
                year,
                ln["link_type"] or "",
                note,
                lower_bound=not shared and b.total_is_lower_bound,
            )
        )
    return entities, flows, notes


def _link_note(block: str, funders: int, amount: int | None) -> str:
    """What a 5-2 link's amount cannot say: shared by several payers, or not published."""
    if funders:
        return msg(
            "ブロック{block}は{n}つの支出元から資金を受けるが、支出元ごとの内訳は"
            "公表されていない（ブロックの額は受取側に一度だけ表示）",
            block=block,
            n=funders,
        )
    return "" if amount is not None else msg("ブロック{block}の金額は公表データにない", block=block)


def overhead(ln: dict[str, Any], n: int, year: int, ministry: str) -> tuple[Entity, Flow]:
    """A 間接経費 row of 5-2: the ministry's own spending, as a node and a flow."""
    item = ln["overhead_item"] or ln["overhead"] or "間接経費"
    oid = f"overhead:{n}"
    entity = Entity(
        oid, f"{ministry}（間接経費: {item}）", "ministry", role="国自らが支出する間接経費"
    )
    flow = Flow(
        f"overhead-{n}",
        "ministry",
        oid,
        ln["overhead_amount"],
        year - 1,
        expense_item=item,
        link_type="間接経費",
    )
    return entity, flow


def unlinked_flows(
    blocks: dict[str, Block], node_of: dict[str, str], funders: dict[str, int], year: int
) -> tuple[list[Flow], list[str]]:
    """Blocks with listed payees but no 5-2 link: from the ministry, with the route marked
    unpublished, and the amount unknown where 5-3 leaves it blank."""
    flows, notes = [], []
    for letter in _order(blocks):
        b = blocks[letter]
        if funders.get(letter) or letter not in node_of or not b.payees:
            continue  # a listed payee with a blank amount is drawn too, as unknown (never 0円)
        members = list(b.payees.values())
        pe = members[0] if len(members) == 1 else None
        flows.append(
            _flow(
                f"unlinked-{letter}",
                "ministry",
                node_of[letter],
                b.total,
                pe.lines if pe else (),
                year,
                "",
                msg("5-2にこのブロックへのつながりがない（経路は公表データにない）"),
                route_published=False,
                lower_bound=b.total_is_lower_bound,
            )
        )
        notes.append(msg("ブロック{block}は5-2につながりがなく、経路不明として表示", block=letter))
    return flows, notes


def document_from_store(con: sqlite3.Connection, year: int, project_id: str) -> FlowDocument:
    """Build the flow document of one project of one year from the store (see module doc)."""
    pid = str(project_id).strip()
    r = load_rows(con, year, pid)
    ministry = r.project["ministry"] or "府省庁"
    blocks = collect_blocks(r)
    funders = count_funders(r.links)
    entities, flows, node_of = block_nodes(blocks, year, funders)
    over, linked, notes = link_flows(r, blocks, node_of, funders, year, ministry)
    unlinked, more = unlinked_flows(blocks, node_of, funders, year)
    flows = linked + unlinked + flows
    contracts, contractors = contract_records(r, blocks, node_of, flows)
    if flows and not any(f.source == "ministry" and f.route_published for f in flows):
        notes.append(
            msg(
                "5-2に府省庁からのつながりがない（ブロックだけで循環している）。"
                "資金の出どころは公表データにない"
            )
        )
    partial = not r.payments
    doc = FlowDocument(
        project=_project(r.project, year, pid, bool(r.payments)),
        findings=tuple(notes + more),
        entities=(Entity("ministry", ministry, "ministry"), *entities, *over, *contractors),
        flows=tuple(flows),
        unit="円",
        budget=budget_of(r.budgets, year),
        contracts=tuple(contracts),
        file=f"store:{year}/{pid}",
        partial=partial,
        partial_reason=msg(PARTIAL_REASON) if partial else "",
    )
    excess = excess_note(doc)
    return replace(doc, findings=(*doc.findings, excess)) if excess else doc


def _project(p: dict[str, Any], year: int, pid: str, has_51: bool) -> Project:
    return Project(
        id=f"rs{year}-{pid}",
        name=p["name"] or "",
        number=pid,
        ministry=p["ministry"] or "府省庁",
        bureau=p["bureau"] or "",
        division=" ".join(x for x in (p["department"], p["division"], p["office"]) if x),
        sheet_year=year,
        flow_year=year - 1,
        source=Source(
            document=msg(
                "{era}行政事業レビューシート（RSシステム オープンデータ）予算事業ID {pid}",
                era=wareki(year),
                pid=pid,
            ),
            section=("5-1/" if has_51 else "") + msg("5-2/5-3/5-4 支出先, 2-1 予算・執行"),
            url="https://rssystem.go.jp/",
            license=msg("公共データ利用規約 第1.0版 (PDL1.0)"),
        ),
    )


def _payee_entity(eid: str, pe: Payee, b: Block, stated: int | None) -> Entity:
    return Entity(
        id=eid,
        name=pe.name or b.name or "（名称なし）",
        kind=guess_kind(pe.name, pe.corp_kind, pe.number),
        # kept as published, also with a wrong check digit: FV007 says which (never "no 法人番号")
        corporate_number=pe.number
        if pe.number and pe.number != corpnum.INDIVIDUAL_PLACEHOLDER
        else None,
        block=pe.block,
        block_name=b.name,
        role=b.role,
        location=pe.location,
        payee_count=b.count,
        stated_received_yen=stated,
    )


def _flow(
    fid: str,
    src: str,
    dst: str,
    amount: int | None,
    lines: Any,
    year: int,
    link_type: str,
    note: str = "",
    *,
    route_published: bool = True,
    lower_bound: bool = False,
) -> Flow:
    lines = tuple(lines)
    top = max(
        lines,
        key=lambda b: b.amount_yen if b.amount_yen is not None else -(10**18),
        default=None,
    )
    if lower_bound and not note:
        note = msg("5-3の一部の金額が空欄のため、公表された分の合計（少なくともこの額）")
    return Flow(
        id=fid,
        source=src,
        target=dst,
        amount_yen=amount,
        year=year - 1,
        expense_item=top.expense_item if top else "",
        purpose=top.purpose if top else "",
        link_type=link_type,
        breakdown=lines,
        note=note,
        route_published=route_published,
        amount_is_lower_bound=lower_bound,
    )


def budget_of(rows: list[dict[str, Any]], year: int) -> Budget:
    """The 2-1 budget table: one column per budget year, and next year's request."""
    years: dict[int, BudgetYear] = {}
    request: int | None = None
    for r in rows:
        rate = parse_rate(r["execution_rate"])
        rate = rate * 100 if rate is not None else None
        years[r["budget_year"]] = BudgetYear(
            year=r["budget_year"],
            label=wareki(r["budget_year"]),
            execution_rate_pct=rate.quantize(Decimal("0.01")) if rate is not None else None,
            **{f: r[f] for f in BUDGET_AMOUNTS},
        )
        if r["budget_year"] == year and r["next_request"] is not None:
            request = r["next_request"]
    out = [years[y] for y in sorted(years)]
    if request is not None:
        out.append(
            BudgetYear(
                year=year + 1,
                label=msg("{era}要求", era=wareki(year + 1)),
                initial=request,
                total=request,
                request=True,
            )
        )
    return Budget(years=tuple(out), total_excludes_carry_over=True)
