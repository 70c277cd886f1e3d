"""Words about money for pictures and tables: tooltips, node amount lines, titles.

Shared by the Sankey layout and the DOT diagram, so both say the same thing about unknown,
negative and contract amounts.
"""

from __future__ import annotations

from flowviz.graph import Balance
from flowviz.model import KIND_LABELS_JA, Contract, Flow, FlowDocument
from flowviz.money import (
    format_amount,
    format_in_unit,
    format_rate,
    format_yen,
    format_yen_ja,
    format_yen_short,
)
from flowviz.text import clean, wareki


def describe_link(doc: FlowDocument, fl: Flow) -> list[str]:
    """Hover/tooltip lines of a flow: amounts, 費目・使途, contracts."""
    ents = doc.entity_map
    s = ents[fl.source].name if fl.source in ents else fl.source
    t = ents[fl.target].name if fl.target in ents else fl.target
    a = fl.amount_yen
    lines = [f"{clean(s)} → {clean(t)}"]
    if a is None:
        lines.append("金額: 金額不明（公表データに記載がない。0円ではない）")
    else:
        lines.append(
            f"金額: {format_yen(a)}（{format_yen_ja(a)}）"
            + ("（控除・返納等の負の額）" if a < 0 else "")
        )
        if doc.unit != "円":
            lines.append(f"原表: {format_in_unit(a, doc.unit)}")
    if not fl.route_published:
        lines.append("経路: 公表データにない（支払元と支払先の間のつながりは不明）")
    for label, value in (
        ("年度", f"{fl.year}（{wareki(fl.year)}）" if fl.year else ""),
        ("種別", fl.link_type),
        ("費目", fl.expense_item),
        ("使途", fl.purpose),
        ("注", fl.note),
    ):
        if value:
            lines.append(f"{label}: {clean(value)}")
    terms = list(doc.flow_contracts.get(fl.id, ()))
    if not fl.contract.has_terms and fl.contract.summary:  # a 業務概要 without contract terms
        terms.insert(0, fl.contract)
    for c in terms:
        lines += contract_lines(c)
    for b in fl.breakdown:
        lines.append(
            f"内訳: {clean(b.expense_item)} / {clean(b.purpose)} {format_amount(b.amount_yen)}"
        )
    return lines


def contract_lines(c: Contract) -> list[str]:
    """Tooltip lines of a contract's terms."""
    out = []
    for label, value in (
        ("契約方式", c.method),
        ("具体的な契約方式", c.method_detail),
        ("入札者数", "" if c.bidders is None else str(c.bidders)),
        ("落札率", "" if c.award_rate_pct is None else f"{format_rate(c.award_rate_pct)}%"),
        ("業務概要", c.summary),
        ("随意契約等の理由", c.non_competitive_reason),
    ):
        if value:
            out.append(f"{label}: {clean(value)}")
    return out


def describe_node(doc: FlowDocument, node_id: str, bal: Balance) -> list[str]:
    """Tooltip lines of an organisation: what came in and went on, and what stayed — only
    when the published rows can show it."""
    e = doc.entity_map.get(node_id)
    if e is None:
        return [node_id]
    lines = [clean(e.name), f"種類: {KIND_LABELS_JA.get(e.kind, e.kind)}"]
    if e.corporate_number:
        lines.append(f"法人番号: {e.corporate_number}")
    if e.block:
        lines.append(
            f"ブロック: {clean(e.block)}" + (f" {clean(e.block_name)}" if e.block_name else "")
        )
    for label, value in (("役割", e.role), ("所在地", e.location)):
        if value:
            lines.append(f"{label}: {clean(value)}")
    if bal.links_in or bal.stated_yen is not None:
        lines.append(f"受取: {received_text(bal, exact=True)}")
    if bal.links_out:
        more = f"（ほか金額不明 {bal.unknown_out}件）" if bal.unknown_out else ""
        lines.append(f"支出: {format_yen(bal.paid_yen)}{more}")
    if bal.links_in:
        if bal.kept_yen is not None:
            lines.append(f"手元に残った額: {format_yen(bal.kept_yen)}")
        else:
            why = "5-1がなく支出先の一部のみ公表" if doc.partial else "金額不明のつながりがある"
            lines.append(f"手元に残った額: 公表データでは説明できない（{why}）")
    contracts = [c for c in doc.contracts if c.contractor == node_id]
    if contracts:
        value = sum(c.amount_yen for c in contracts if c.amount_yen is not None)
        lines.append(f"契約: {len(contracts)}件、契約額 {format_yen(value)}（支払額ではない）")
    return lines


def received_text(bal: Balance, exact: bool = False, short: bool = False) -> str:
    """受取 as the data states it: unknown, at least, a stated total, or the sum."""
    fmt = format_yen if exact else format_yen_short if short else format_yen_ja
    got = bal.received
    if got is None:
        return "金額不明"
    if bal.stated_yen is not None and bal.unknown_in:
        return f"{fmt(got)}（支出元ごとの内訳は不明）"
    if bal.received_is_lower_bound:
        return f"{fmt(got)}以上（金額不明 {bal.unknown_in}件）"
    return fmt(got)


def title_of(doc: FlowDocument) -> tuple[str, str]:
    p = doc.project
    head = " ".join(x for x in (f"事業番号 {p.number}" if p.number else p.id, clean(p.name)) if x)
    parts = [clean(" ".join(x for x in (p.ministry, p.bureau, p.division) if x))]
    if p.sheet_year:
        parts.append(f"{wareki(p.sheet_year)}行政事業レビューシート")
    if p.flow_year:
        parts.append(f"資金の流れ: {wareki(p.flow_year)}実績")
    return head, " · ".join(x for x in parts if x)


def compact_amount(b: Balance) -> str:
    """One short figure for a small picture: what a payer paid out, else what it received."""
    if b.links_out:
        paid = b.paid_yen - b.paid_negative_yen
        if not paid and b.unknown_out:
            return "支出 金額不明"
        return f"支出 {format_yen_short(paid)}" + ("以上" if b.unknown_out else "")
    return f"受取 {received_text(b, short=True)}"


def amount_line(b: Balance, short: bool = False) -> str:
    """受取 / 支出 as published: unknown is 金額不明, deductions are shown apart; ``short``
    rounds to 億/万 (marked 約) for a small picture."""
    fmt = format_yen_short if short else format_yen_ja
    parts = []
    if b.links_in or b.stated_yen is not None:
        parts.append(f"受取 {received_text(b, short=short)}")
    if b.links_out:
        paid = b.paid_yen - b.paid_negative_yen
        if paid or not b.unknown_out:
            parts.append(f"支出 {fmt(paid)}" + ("以上" if b.unknown_out else ""))
        else:
            parts.append("支出 金額不明")
        if b.paid_negative_yen:
            parts.append(f"控除・返納 {fmt(b.paid_negative_yen)}")
    return " / ".join(parts) or "支払は公表されていない"
