"""The rules behind :func:`flowviz.analysis.flags.flags`, one function per family.

Each takes the document, the thresholds and ``add`` (which records one finding with its figures).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from flowviz import corpnum
from flowviz.analysis.common import pct
from flowviz.graph import Balance, balances, roots
from flowviz.i18n import namer, term
from flowviz.messages import N_, msg
from flowviz.model import Entity, Flow, FlowDocument
from flowviz.money import (
    IMPLAUSIBLE_YEN,
    format_amount,
    format_in_unit,
    format_rate,
    format_yen,
    format_yen_ja,
)
from flowviz.names import is_generic


@dataclass(frozen=True)
class Thresholds:
    award_rate_pct: Decimal = Decimal(95)
    pass_through_pct: Decimal = Decimal(90)
    chain_depth: int = 2
    #: the sheet requires a published reason for non-competitive / one-bidder awards from here
    reason_required_yen: int = 1_000_000_000
    #: no single payment or contract of a project is plausibly larger (the largest FY2023 project
    #: executed 24.7兆円): beyond it, suspect a unit or entry error
    implausible_yen: int = IMPLAUSIBLE_YEN
    #: a 費目 line this many times the project's whole budget (or execution) of the year
    implausible_ratio: int = 2


RULES = {
    "FV001": "non_competitive_award",
    "FV002": "one_bidder",
    "FV003": "high_award_rate",
    "FV004": "deep_redelegation",
    "FV005": "pass_through",
    "FV006": "no_named_final_recipient",
    "FV007": "missing_corporate_number",
    "FV008": "outflow_exceeds_inflow",
    "FV009": "unexecuted_amount_in_total",
    "FV010": "missing_published_reason",
    "FV011": "implausible_amount",
    "FV012": "incumbency",
    "FV013": "redelegation_within_group",
    "FV014": "shared_address",
}

Add = Callable[..., None]


def contract_flags(doc: FlowDocument, th: Thresholds, add: Add) -> None:
    """FV001 non-competitive, FV002 one bidder, FV003 award rate, FV010 reason missing."""
    ents = doc.entity_map
    flows = {f.id: f for f in doc.flows}
    for c in doc.all_contracts():
        t = c.terms
        e = ents.get(c.contractor)
        who = namer(doc)(e.name) if e else c.contractor
        paid = flows[c.flow].amount_yen if c.flow in flows else None
        value = c.amount_yen
        fig = {
            "contract_value_yen": value,
            "payment_yen": paid,
            "contract_method": t.method,
            "origin": c.origin,
        }
        what = _what(value, paid, bool(c.flow))
        if t.is_non_competitive:
            add(
                "FV001",
                msg(
                    "{who}: 競争性のない随意契約（{method}）、{what}",
                    who=who,
                    method=term(t.method),
                    what=what,
                ),
                entity=e,
                contract=c,
                reason=t.non_competitive_reason or None,
                **fig,
            )
        if t.is_one_bidder:
            add(
                "FV002",
                msg("{who}: 一者応札・一者応募（入札者数 1）、{what}", who=who, what=what),
                entity=e,
                contract=c,
                bidders=1,
                **fig,
            )
        if t.award_rate_pct is not None and t.award_rate_pct >= th.award_rate_pct:
            rate, limit = format_rate(t.award_rate_pct), format_rate(th.award_rate_pct)
            said = msg(
                "{who}: 落札率 {rate}% ≥ {threshold}%、{what}",
                who=who,
                rate=rate,
                threshold=limit,
                what=what,
            )
            add(
                "FV003",
                said,
                entity=e,
                contract=c,
                award_rate_pct=t.award_rate_pct,
                threshold_pct=th.award_rate_pct,
                **fig,
            )
        _reason_missing(c, who, e, value if value is not None else paid, fig, th, add)


def _what(value: int | None, paid: int | None, has_flow: bool) -> str:
    """A contract's value, and the payment of its flow when it has one."""
    if has_flow:
        return msg(
            "契約額 {value}（支払 {paid}）", value=format_amount(value), paid=format_amount(paid)
        )
    return msg("契約額 {amount}", amount=format_amount(value))


def _reason_missing(c, who: str, e, size: int | None, fig: dict, th: Thresholds, add: Add) -> None:  # noqa: ANN001
    """FV010: a non-competitive or one-bidder award of 10億円 or more without the published reason."""
    t = c.terms
    if not (t.is_non_competitive or t.is_one_bidder) or t.non_competitive_reason.strip():
        return
    if size is None or size < th.reason_required_yen:
        return
    key = (
        N_("{who}: 随意契約で {amount}（10億円以上）だが、理由及び改善策が公表されていない")
        if t.is_non_competitive
        else N_("{who}: 一者応札で {amount}（10億円以上）だが、理由及び改善策が公表されていない")
    )
    add(
        "FV010",
        msg(key, who=who, amount=format_yen_ja(size)),
        entity=e,
        contract=c,
        **fig,
    )


def depth_flags(doc: FlowDocument, th: Thresholds, add: Add) -> None:
    """FV004: one finding per chain at least ``chain_depth`` hops after the first."""
    hop_depth: dict[str, int] = {}
    by_source: dict[str, list[Flow]] = defaultdict(list)
    for fl in doc.flows:
        by_source[fl.source].append(fl)
    queue = deque((r, 0) for r in roots(doc))
    while queue:
        node, d = queue.popleft()
        for fl in by_source.get(node, []):
            if fl.id not in hop_depth:
                hop_depth[fl.id] = d
                queue.append((fl.target, d + 1))
    into: dict[str, Flow] = {}
    for f in doc.flows:
        if f.target not in into and f.id in hop_depth:
            into[f.target] = f
    for fl in doc.flows:
        d = hop_depth.get(fl.id, 0)
        if d >= th.chain_depth and not by_source.get(fl.target):
            chain = _chain_names(doc, fl, into)
            add(
                "FV004",
                msg(
                    "再委託等の深さ {depth}（≥ {limit}）: {chain}、最後の段で {amount}",
                    depth=d,
                    limit=th.chain_depth,
                    chain=" → ".join(namer(doc)(n) for n in chain),
                    amount=format_amount(fl.amount_yen),
                ),
                flow=fl,
                depth=d,
                chain=chain,
                amount_yen=fl.amount_yen,
                link_type=fl.link_type or None,
            )


def _chain_names(doc: FlowDocument, fl: Flow, into: dict[str, Flow]) -> list[str]:
    """Names along one upstream path to ``fl``'s target (first predecessor at each step)."""
    ents = doc.entity_map
    names = [ents[fl.target].name, ents[fl.source].name]
    visited = {fl.target, fl.source}
    node = fl.source
    while node in into:
        node = into[node].source
        if node in visited:  # a cycle: stop where it closes
            break
        visited.add(node)
        names.append(ents[node].name)
    return names[::-1]


def entity_flags(doc: FlowDocument, th: Thresholds, add: Add) -> None:
    """FV005 pass-through, FV006 no named recipient, FV007 法人番号, FV008 money from nowhere."""
    bal = balances(doc)
    sources = {r for r in roots(doc) if doc.entity_map[r].kind in ("ministry", "government")}
    for e in doc.entities:
        b = bal[e.id]
        if e.id in sources or not (b.links_in or b.links_out):
            continue
        _pass_through(doc, e, b, th, add)
        who = namer(doc)(e.name)
        _outflow_exceeds(e, b, add, who)
        _recipient(e, b, add, who)


def _pass_through(doc: FlowDocument, e: Entity, b: Balance, th: Thresholds, add: Add) -> None:
    """FV005, only where the rows account for all the money (``kept`` is known)."""
    got, paid = b.received, b.paid_yen
    if b.kept_yen is None or not got or paid <= 0 or paid > got:
        return
    passed = pct(paid, got)
    if passed is None or passed < th.pass_through_pct:
        return
    unit = (
        msg(
            " [{got}のうち残り {kept}]",
            kept=format_in_unit(got - paid, doc.unit),
            got=format_in_unit(got, doc.unit),
        )
        if doc.unit != "円"
        else ""
    )
    add(
        "FV005",
        msg(
            "{who} は {got} のうち {paid}（{passed}%）を支出し、{kept}（{kept_pct}%）が残った{unit}",
            who=namer(doc)(e.name),
            paid=format_yen(paid),
            got=format_yen(got),
            passed=passed,
            kept=format_yen(got - paid),
            kept_pct=pct(got - paid, got),
            unit=unit,
        ),
        entity=e,
        received_yen=got,
        passed_on_yen=paid,
        kept_yen=got - paid,
        kept_pct=pct(got - paid, got),
        passed_on_pct=passed,
    )


def _outflow_exceeds(e: Entity, b: Balance, add: Add, who: str) -> None:
    """FV008: paying out with nothing published coming in, or more than every known receipt."""
    got, paid = b.received, b.paid_yen
    if paid > 0 and not b.links_in:
        add(
            "FV008",
            msg(
                "{who} は {paid} を支出するが、受け取った資金は公表されていない",
                who=who,
                paid=format_yen(paid),
            ),
            entity=e,
            received_yen=None,
            paid_yen=paid,
            excess_yen=paid,
        )
    elif paid > 0 and got is not None and not b.unknown_in and paid > got:
        add(
            "FV008",
            msg(
                "{who} は {paid} を支出するが、受取は {got}（超過 {excess}）",
                who=who,
                paid=format_yen(paid),
                got=format_yen(got),
                excess=format_yen(paid - got),
            ),
            entity=e,
            received_yen=got,
            paid_yen=paid,
            excess_yen=paid - got,
        )


def _recipient(e: Entity, b: Balance, add: Add, who: str) -> None:
    """FV006 money ending at a group; FV007 an organisation without a valid 法人番号."""
    if not b.links_out and (e.kind == "block" or is_generic(e.name)):
        add(
            "FV006",
            msg(
                "{amount} は「{who}」で終わる。名前のある受取先ではなく集団で、最終的に誰が受け取った"
                "かはシートにない",
                amount=format_amount(b.received),
                who=who,
            ),
            entity=e,
            amount_yen=b.received,
        )
        return
    if e.kind not in ("company", "agency", "other") or is_generic(e.name):
        return
    why = None
    if not e.corporate_number:
        why = msg("法人番号がない")
    elif corpnum.problem(e.corporate_number):
        why = msg(
            "法人番号 {number} が正しくない（桁数かチェックデジット）", number=e.corporate_number
        )
    if why:
        add(
            "FV007",
            msg("{who}: {why}。他のデータと突き合わせられない", who=who, why=why),
            entity=e,
            amount_yen=b.received,
        )
