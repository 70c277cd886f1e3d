"""Words about money for pictures and tables: tooltips, node amount lines, titles.

Shared by the Sankey layout and the DOT diagram, so both say the same thing about unknown,
negative and contract amounts.
"""

from __future__ import annotations

from flowviz.graph import Balance
from flowviz.i18n import english, free, namer, term
from flowviz.messages import msg
from flowviz.model import Contract, Flow, FlowDocument, kind_label
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
    name = namer(doc)
    s = name(clean(ents[fl.source].name)) if fl.source in ents else fl.source
    t = name(clean(ents[fl.target].name)) if fl.target in ents else fl.target
    a = fl.amount_yen
    lines = [f"{s} → {t}"]
    if a is None:
        lines.append(msg("金額: 金額不明（公表データに記載がない。0円ではない）"))
    elif a < 0:
        lines.append(msg("金額: {exact}（{short}）（控除・返納等の負の額）", **_both(a)))
    else:
        lines.append(msg("金額: {exact}（{short}）", **_both(a)))
    if a is not None and doc.unit != "円":
        lines.append(msg("原表: {amount}", amount=format_in_unit(a, doc.unit)))
    if not fl.route_published:
        lines.append(msg("経路: 公表データにない（支払元と支払先の間のつながりは不明）"))
    if fl.year:
        lines.append(msg("年度: {year}（{era}）", year=fl.year, era=wareki(fl.year)))
    for label, value in (
        (msg("種別"), term(clean(fl.link_type))),
        (msg("費目"), term(clean(fl.expense_item))),
        (msg("使途"), term(clean(fl.purpose))),
        (msg("注"), free(clean(fl.note))),
    ):
        if value:
            lines.append(f"{label}: {value}")
    terms = list(doc.flow_contracts.get(fl.id, ()))
    if not fl.contract.has_terms and fl.contract.summary:  # a 業務概要 without contract terms
        terms.insert(0, fl.contract)
    for c in terms:
        lines += contract_lines(c)
    for b in fl.breakdown:
        lines.append(
            msg(
                "内訳: {item} / {purpose} {amount}",
                item=term(clean(b.expense_item)),
                purpose=term(clean(b.purpose)),
                amount=format_amount(b.amount_yen),
            )
        )
    return lines


def _both(a: int) -> dict[str, str]:
    return {"exact": format_yen(a), "short": format_yen_short(a) if english() else format_yen_ja(a)}


def contract_lines(c: Contract) -> list[str]:
    """Tooltip lines of a contract's terms."""
    out = []
    for label, value in (
        (msg("契約方式"), term(clean(c.method))),
        (msg("具体的な契約方式"), term(clean(c.method_detail))),
        (msg("入札者数"), "" if c.bidders is None else str(c.bidders)),
        (msg("落札率"), "" if c.award_rate_pct is None else f"{format_rate(c.award_rate_pct)}%"),
        (msg("業務概要"), free(clean(c.summary))),
        (msg("随意契約等の理由"), free(clean(c.non_competitive_reason))),
    ):
        if value:
            out.append(f"{label}: {value}")
    return out


def describe_node(doc: FlowDocument, node_id: str, bal: Balance) -> list[str]:
    """Tooltip lines of an organisation: what came in and went on, and what stayed — only
    when the published rows can show it."""
    e = doc.entity_map.get(node_id)
    if e is None:
        return [node_id]
    shown = namer(doc)(clean(e.name))
    lines = [shown if clean(e.name) in shown else f"{shown} ({clean(e.name)})"]
    lines.append(msg("種類: {kind}", kind=kind_label(e.kind)))
    if e.corporate_number:
        lines.append(msg("法人番号: {number}", number=e.corporate_number))
    if e.block:
        block = f"{clean(e.block)} {namer(doc)(clean(e.block_name))}" if e.block_name else e.block
        lines.append(msg("ブロック: {block}", block=block.strip()))
    if e.role:
        lines.append(msg("役割: {role}", role=free(clean(e.role))))
    if e.location:
        lines.append(msg("所在地: {address}", address=free(clean(e.location))))
    if bal.links_in or bal.stated_yen is not None:
        lines.append(msg("受取: {amount}", amount=received_text(bal, exact=True)))
    if bal.links_out and bal.unknown_out:
        lines.append(
            msg(
                "支出: {amount}（ほか金額不明 {n}件）",
                amount=format_yen(bal.paid_yen),
                n=bal.unknown_out,
            )
        )
    elif bal.links_out:
        lines.append(msg("支出: {amount}", amount=format_yen(bal.paid_yen)))
    if bal.links_in:
        lines.append(_kept(doc, bal))
    contracts = [c for c in doc.contracts if c.contractor == node_id]
    if contracts:
        value = sum(c.amount_yen for c in contracts if c.amount_yen is not None)
        lines.append(
            msg(
                "契約: {n}件、契約額 {amount}（支払額ではない）",
                n=len(contracts),
                amount=format_yen(value),
            )
        )
    return lines


def _kept(doc: FlowDocument, bal: Balance) -> str:
    if bal.kept_yen is not None:
        return msg("手元に残った額: {amount}", amount=format_yen(bal.kept_yen))
    if doc.partial:
        return msg("手元に残った額: 公表データでは説明できない（5-1がなく支出先の一部のみ公表）")
    return msg("手元に残った額: 公表データでは説明できない（金額不明のつながりがある）")


def received_text(bal: Balance, exact: bool = False, short: bool = False) -> str:
    """受取 as the data states it: unknown, at least, a stated total, or the sum."""
    fmt = format_yen if exact else format_yen_short if short else format_yen_ja
    got = bal.received
    if got is None:
        return msg("金額不明")
    if bal.stated_yen is not None and bal.unknown_in:
        return msg("{amount}（支出元ごとの内訳は不明）", amount=fmt(got))
    if bal.received_is_lower_bound:
        return msg("{amount}以上（金額不明 {n}件）", amount=fmt(got), n=bal.unknown_in)
    return fmt(got)


def title_of(doc: FlowDocument) -> tuple[str, str]:
    p = doc.project
    name = term(clean(p.name)) if english() else clean(p.name)
    number = msg("事業番号 {number}", number=p.number) if p.number else p.id
    head = " ".join(x for x in (number, name) if x)
    ministry = clean(" ".join(x for x in (p.ministry, p.bureau, p.division) if x))
    parts = [namer(doc)(ministry) if ministry else ""]
    if p.sheet_year:
        parts.append(msg("{era}行政事業レビューシート", era=wareki(p.sheet_year)))
    if p.flow_year:
        parts.append(msg("資金の流れ: {era}実績", era=wareki(p.flow_year)))
    return head, " · ".join(x for x in parts if x)


def compact_amount(b: Balance) -> str:
    """One short figure for a small picture: what a payer paid out, else what it received."""
    if b.links_out:
        paid = b.paid_yen - b.paid_negative_yen
        if not paid and b.unknown_out:
            return msg("支出 金額不明")
        if b.unknown_out:
            return msg("支出 {amount}以上", amount=format_yen_short(paid))
        return msg("支出 {amount}", amount=format_yen_short(paid))
    return msg("受取 {amount}", amount=received_text(b, short=True))


def amount_line(b: Balance, short: bool = False) -> str:
    """受取 / 支出 as published: unknown is 金額不明, deductions are shown apart; ``short``
    rounds to 億/万 (marked 約) for a small picture."""
    fmt = format_yen_short if short else format_yen_ja
    parts = []
    if b.links_in or b.stated_yen is not None:
        parts.append(msg("受取 {amount}", amount=received_text(b, short=short)))
    if b.links_out:
        paid = b.paid_yen - b.paid_negative_yen
        if paid and b.unknown_out:
            parts.append(msg("支出 {amount}以上", amount=fmt(paid)))
        elif paid or not b.unknown_out:
            parts.append(msg("支出 {amount}", amount=fmt(paid)))
        else:
            parts.append(msg("支出 金額不明"))
        if b.paid_negative_yen:
            parts.append(msg("控除・返納 {amount}", amount=fmt(b.paid_negative_yen)))
    return " / ".join(parts) or msg("支払は公表されていない")
