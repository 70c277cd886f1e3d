"""From the store to the model: one RS-system project becomes a :class:`FlowDocument`.

How the RS tables map to flows (the same shape as a hand-made JSON sheet):

- ministry → block (5-2 ``担当組織からの支出=TRUE``) and block → block re-delegation (``FALSE``),
  each with its link type (委託, 再委託, 補助金, 間接補助金 …);
- a block with one payee *is* that payee; a block with several becomes a ``block`` entity that
  pays each of them (the sheet does not say which payee passed money on);
- amounts: block and payee totals from 5-1 when present, else the sum of 5-3 lines (the sheet then
  lists only the largest payee of each block, so the document is marked partial);
- a block reached by several links is counted once: the direct payment (or the first link) carries
  the amount, the others are kept as reference links of 0円 with a note;
- 間接経費 rows become the ministry's own spending;
- negative 5-3 lines (deductions, returns) are kept as published in each flow's breakdown and sum.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from decimal import Decimal
from typing import Any

from flowviz import corpnum
from flowviz.exceptions import StoreError
from flowviz.model import (
    BreakdownLine,
    Budget,
    BudgetYear,
    Contract,
    Entity,
    Flow,
    FlowDocument,
    Project,
    Source,
)
from flowviz.store.db import query
from flowviz.text import wareki

PARTIAL_REASON = (
    "5-1（支出情報）がないため、金額は5-3（費目・使途）に記載された支出先"
    "（各ブロックで支出額が最大の者）の分のみ"
)
CORP_KINDS = {
    "101": "agency",
    "201": "local_government",
    "301": "company",
    "302": "company",
    "303": "company",
    "304": "company",
    "305": "company",
    "399": "other",
    "401": "company",
    "499": "other",
}


def guess_kind(name: str, corp_kind: str | None, number: str | None) -> str:
    if number == corpnum.INDIVIDUAL_PLACEHOLDER:
        return "individual"
    if corp_kind and corp_kind.strip() in CORP_KINDS:
        k = CORP_KINDS[corp_kind.strip()]
        if k != "other" or not name:
            return k
    n = name or ""
    if any(w in n for w in ("株式会社", "有限会社", "合同会社", "（株）", "(株)")):
        return "company"
    if any(
        w in n
        for w in (
            "機構",
            "独立行政法人",
            "国立大学法人",
            "法人",
            "公庫",
            "センター",
            "協会",
            "研究所",
        )
    ):
        return "agency"
    if n.endswith(("都", "道", "府", "県", "市", "区", "町", "村")) or "地方公共団体" in n:
        return "local_government"
    if any(w in n for w in ("省", "庁")) and len(n) <= 12:
        return "ministry"
    return "other"


def _num(v: Any) -> str | None:
    if not v:
        return None
    n = corpnum.normalise(str(v))
    return n or None


class _Payee:
    def __init__(self, block: str, name: str, number: str | None):
        self.block, self.name, self.number = block, name, number
        self.location = ""
        self.corp_kind: str | None = None
        self.others = False
        self.total_51: int | None = None
        self.lines: list[BreakdownLine] = []
        self.contracts: list[dict[str, Any]] = []

    @property
    def total(self) -> int:
        return self.total_51 if self.total_51 is not None else sum(b.amount_yen for b in self.lines)


def _key(name: str, number: str | None) -> str:
    return number if number and number != corpnum.INDIVIDUAL_PLACEHOLDER else f"name:{name}"


def document_from_store(con: sqlite3.Connection, year: int, project_id: str) -> FlowDocument:
    """Build the flow document of one project of one year from the store."""
    pid = str(project_id).strip()
    proj = query(con, "SELECT * FROM projects WHERE year = ? AND project_id = ?", (year, pid))
    if not proj:
        raise StoreError(
            f"project {pid} of {year} is not in the store; search with: flowviz projects {pid}"
        )
    p = proj[0]
    links = query(
        con, "SELECT * FROM block_links WHERE year=? AND project_id=? ORDER BY line", (year, pid)
    )
    pays = query(
        con, "SELECT * FROM payments WHERE year=? AND project_id=? ORDER BY line", (year, pid)
    )
    exps = query(
        con, "SELECT * FROM expenses WHERE year=? AND project_id=? ORDER BY line", (year, pid)
    )
    cons = query(
        con, "SELECT * FROM contracts WHERE year=? AND project_id=? ORDER BY line", (year, pid)
    )
    buds = query(
        con,
        "SELECT * FROM budgets WHERE year=? AND project_id=? AND (account IS NULL OR account='')"
        " AND budget_year IS NOT NULL ORDER BY budget_year, line",
        (year, pid),
    )
    ministry = p["ministry"] or "府省庁"

    blocks: dict[str, dict[str, Any]] = {}
    payees: dict[str, dict[str, _Payee]] = defaultdict(dict)

    def block(letter: str, name: str = "") -> dict[str, Any]:
        b = blocks.setdefault(letter, {"name": "", "role": "", "count": None, "total": None})
        if name and not b["name"]:
            b["name"] = name
        return b

    def payee(letter: str, name: str, number: str | None) -> _Payee:
        k = _key(name, number)
        if k not in payees[letter]:
            payees[letter][k] = _Payee(letter, name, number)
        return payees[letter][k]

    for ln in links:
        if ln["to_block"]:
            block(ln["to_block"], ln["to_name"])
        if ln["from_block"]:
            block(ln["from_block"], ln["from_name"])
    has_51 = bool(pays)
    current: _Payee | None = None
    for r in pays:
        b = block(r["block"], r["block_name"])
        if r["block_name"] and not r["payee"]:
            b.update(
                name=r["block_name"],
                role=r["role"] or b["role"],
                count=r["payee_count"],
                total=r["block_total"],
            )
            continue
        if r["payee"]:
            current = payee(r["block"], r["payee"], _num(r["corporate_number"]))
            current.location = r["location"] or current.location
            current.corp_kind = r["corp_kind"] or current.corp_kind
            current.others = bool(r["others"])
            current.total_51 = (
                r["payee_total"] if r["payee_total"] is not None else current.total_51
            )
        if (
            r["contract_summary"] or r["amount"] is not None or r["method"]
        ) and current is not None:
            current.contracts.append(r)
    for r in exps:
        block(r["block"])
        pe = payee(r["block"], r["payee"], _num(r["corporate_number"]))
        pe.lines.append(
            BreakdownLine(r["expense_item"] or "", r["purpose"] or "", r["amount"] or 0)
        )
    for r in cons:
        if not r["payee"]:
            continue
        pe = payees.get(r["block"], {}).get(_key(r["payee"], _num(r["corporate_number"])))
        if pe is not None:
            pe.contracts.append(r)

    entities: list[Entity] = [Entity("ministry", ministry, "ministry")]
    flows: list[Flow] = []
    node_of: dict[str, str] = {}
    notes: list[str] = []

    for letter in sorted(blocks, key=lambda s: (len(s), s)):
        b = blocks[letter]
        members = list(payees.get(letter, {}).values())
        if len(members) == 1:
            pe = members[0]
            eid = f"{letter}/{_key(pe.name, pe.number)}"
            entities.append(_payee_entity(eid, pe, b))
            node_of[letter] = eid
            continue
        eid = f"block:{letter}"
        entities.append(
            Entity(
                eid,
                b["name"] or f"ブロック{letter}",
                "block",
                None,
                letter,
                b["name"],
                b["role"] or "",
                "",
                b["count"],
            )
        )
        node_of[letter] = eid
        for i, pe in enumerate(members):
            pid_ = f"{letter}/{_key(pe.name, pe.number)}"
            entities.append(_payee_entity(pid_, pe, b))
            flows.append(_payee_flow(f"{letter}-p{i + 1}", eid, pid_, pe, year, "支出"))

    def block_total(letter: str) -> int:
        b = blocks[letter]
        if b["total"] is not None:
            return b["total"]
        return sum(pe.total for pe in payees.get(letter, {}).values())

    funded: set[str] = set()
    direct = {ln["to_block"] for ln in links if ln["from_ministry"] and ln["to_block"]}
    overhead_n = 0
    for ln in links:
        to, frm = ln["to_block"], ln["from_block"]
        if not to and not frm:
            if ln["overhead_amount"] is not None or ln["overhead_item"]:
                overhead_n += 1
                item = ln["overhead_item"] or ln["overhead"] or "間接経費"
                oid = f"overhead:{overhead_n}"
                entities.append(
                    Entity(
                        oid,
                        f"{ministry}（間接経費: {item}）",
                        "ministry",
                        role="国自らが支出する間接経費",
                    )
                )
                flows.append(
                    Flow(
                        f"overhead-{overhead_n}",
                        "ministry",
                        oid,
                        ln["overhead_amount"] or 0,
                        year - 1,
                        expense_item=item,
                        link_type="間接経費",
                    )
                )
            continue
        if not to or to not in node_of:
            continue
        src = "ministry" if ln["from_ministry"] else node_of.get(frm)
        if src is None:
            continue
        counted = to not in funded and (ln["from_ministry"] or to not in direct)
        amount = block_total(to) if counted else 0
        note = (
            ""
            if counted
            else f"参考標記: ブロック{to}の金額は別の流れに計上済み（二重計上を避けるため0円）"
        )
        if counted:
            funded.add(to)
        members = list(payees.get(to, {}).values())
        pe = members[0] if len(members) == 1 else None
        fl = _payee_flow(
            f"L{ln['line']}",
            src,
            node_of[to],
            pe,
            year,
            ln["link_type"] or "",
            amount=amount,
            note=note,
        )
        flows.append(fl)
    for letter in blocks:
        if letter not in funded and letter in node_of and block_total(letter):
            members = list(payees.get(letter, {}).values())
            pe = members[0] if len(members) == 1 else None
            flows.append(
                _payee_flow(
                    f"orphan-{letter}",
                    "ministry",
                    node_of[letter],
                    pe,
                    year,
                    "",
                    amount=block_total(letter),
                    note="5-2にこのブロックへのつながりがないため、府省庁からの支出として表示",
                )
            )
            notes.append(f"ブロック{letter}は5-2につながりがなく、府省庁からの支出として表示")

    budget = _budget(buds, year)
    partial = not has_51
    project = Project(
        id=f"rs{year}-{pid}",
        name=p["name"] or "",
        number=pid,
        ministry=ministry,
        bureau=p["bureau"] or "",
        division=" ".join(x for x in (p["department"], p["division"], p["office"]) if x),
        sheet_year=year,
        flow_year=year - 1,
        source=Source(
            document=f"{wareki(year)}行政事業レビューシート（RSシステム オープンデータ）予算事業ID {pid}",
            section="5-1/5-2/5-3/5-4 支出先, 2-1 予算・執行"
            if has_51
            else "5-2/5-3/5-4 支出先, 2-1 予算・執行",
            url="https://rssystem.go.jp/",
            license="公共データ利用規約 第1.0版 (PDL1.0)",
        ),
        notes=tuple(notes),
    )
    return FlowDocument(
        project=project,
        entities=tuple(entities),
        flows=tuple(flows),
        unit="円",
        budget=budget,
        file=f"store:{year}/{pid}",
        partial=partial,
        partial_reason=PARTIAL_REASON if partial else "",
    )


def _payee_entity(eid: str, pe: _Payee, b: dict[str, Any]) -> Entity:
    return Entity(
        id=eid,
        name=pe.name or b["name"] or "（名称なし）",
        kind=guess_kind(pe.name, pe.corp_kind, pe.number),
        corporate_number=pe.number
        if pe.number and corpnum.is_valid(pe.number) and pe.number != corpnum.INDIVIDUAL_PLACEHOLDER
        else None,
        block=pe.block,
        block_name=b["name"],
        role=b["role"] or "",
        location=pe.location,
        payee_count=b["count"],
    )


def _contract(pe: _Payee | None) -> Contract:
    if pe is None or not pe.contracts:
        summary = ""
        if pe is not None and pe.lines:
            summary = ""
        return Contract(summary=summary)
    c = max(pe.contracts, key=lambda r: r.get("amount") or 0)
    method = c.get("method") or ""
    free = method.startswith("随意契約") or method.startswith("補助")
    bidders = c.get("bidders")
    rate = c.get("award_rate")
    return Contract(
        method=method,
        method_detail=c.get("method_detail") or "",
        bidders=None if (bidders in (None, 0) and free) else bidders,
        award_rate_pct=None if (rate in (None, "0") and free) or rate is None else Decimal(rate),
        non_competitive_reason=c.get("reason") or "",
        summary=c.get("contract_summary") or "",
    )


def _payee_flow(
    fid: str,
    src: str,
    dst: str,
    pe: _Payee | None,
    year: int,
    link_type: str,
    *,
    amount: int | None = None,
    note: str = "",
) -> Flow:
    lines = tuple(pe.lines) if pe else ()
    top = max(lines, key=lambda b: b.amount_yen, default=None)
    return Flow(
        id=fid,
        source=src,
        target=dst,
        amount_yen=pe.total if amount is None and pe else (amount or 0),
        year=year - 1,
        expense_item=top.expense_item if top else "",
        purpose=top.purpose if top else "",
        link_type=link_type,
        contract=_contract(pe),
        breakdown=lines if amount is None or (pe and amount == pe.total) else (),
        note=note,
    )


def _budget(rows: list[dict[str, Any]], year: int) -> Budget:
    years: dict[int, BudgetYear] = {}
    request: int | None = None
    for r in rows:
        rate = Decimal(r["execution_rate"]) * 100 if r["execution_rate"] else None
        years[r["budget_year"]] = BudgetYear(
            year=r["budget_year"],
            label=wareki(r["budget_year"]),
            initial=r["initial"],
            supplementary=r["supplementary"],
            carried_in=r["carried_in"],
            carried_over=r["carried_over"],
            reserve=r["reserve"],
            total=r["total"],
            executed=r["executed"],
            execution_rate_pct=rate.quantize(Decimal("0.01")) if rate is not None else None,
        )
        if r["budget_year"] == year and r["next_request"] is not None:
            request = r["next_request"]
    out = [years[y] for y in sorted(years)]
    if request is not None:
        out.append(
            BudgetYear(
                year=year + 1,
                label=f"{wareki(year + 1)}要求",
                initial=request,
                total=request,
                request=True,
            )
        )
    return Budget(years=tuple(out), total_excludes_carry_over=True)
