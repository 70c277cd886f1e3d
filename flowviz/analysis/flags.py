"""Red flags: fixed-threshold rules on one document, each finding with its figures.

Contract rules (FV001–FV003, FV010) are judged on every contract's own figures — its contract
value (契約額), never the flow amount. Money rules say only what the published rows show:
pass-through (FV005) needs a complete document, and unknown amounts never count as 0円.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from flowviz.analysis.figure_rules import implausible_flags, unexecuted_flags
from flowviz.analysis.groups import Groups, related_redelegations, shared_addresses
from flowviz.analysis.rules import (
    RULES,
    Add,
    Thresholds,
    contract_flags,
    depth_flags,
    entity_flags,
)
from flowviz.i18n import free, namer
from flowviz.messages import msg
from flowviz.model import ContractRecord, Entity, Flow, FlowDocument


def _adder(doc: FlowDocument, out: list[dict[str, Any]]) -> Add:
    ents = doc.entity_map

    def add(
        rule: str,
        message: str,
        *,
        flow: Flow | None = None,
        entity: Entity | None = None,
        contract: ContractRecord | None = None,
        **figures: Any,
    ) -> None:
        e = entity or (ents.get(flow.target) if flow else None)
        out.append(
            {
                "rule_id": rule,
                "rule": RULES[rule],
                "project_id": doc.project.id,
                "flow_id": flow.id if flow else (contract.flow if contract else None),
                "contract_id": contract.id if contract else None,
                "entity_id": e.id if e else None,
                "entity": e.name if e else None,
                "corporate_number": e.corporate_number if e else None,
                "amount_yen": figures.get("contract_value_yen", figures.get("amount_yen")),
                "message": message,
                "figures": figures,
            }
        )

    return add


def flags(
    doc: FlowDocument, th: Thresholds | None = None, groups: Groups | None = None
) -> list[dict[str, Any]]:
    """Rule-based findings, each with a stable rule id and the figures that triggered it;
    ``groups`` is the hand-kept company groups file (see :mod:`flowviz.analysis.groups`)."""
    th = th or Thresholds()
    out: list[dict[str, Any]] = []
    add = _adder(doc, out)
    contract_flags(doc, th, add)
    unexecuted_flags(doc, add)
    implausible_flags(doc, th, add)
    depth_flags(doc, th, add)
    entity_flags(doc, th, add)
    group_flags(doc, groups or Groups(), add)
    return without_suspect_grounds(doc, out)


#: rules whose finding rests on an organisation's money in and out (not on one figure)
_BALANCE_RULES = ("FV005", "FV006", "FV008")


def without_suspect_grounds(doc: FlowDocument, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop every finding but FV011 that rests on a suspect figure (the figure has its own
    FV011 finding): a contract with a suspect value, a flow with a suspect amount, or an
    organisation's balance that includes one."""
    sus = doc.suspects
    if not sus:
        return found
    touched = {x for fl in doc.flows if fl.id in sus for x in (fl.source, fl.target)}
    return [
        f
        for f in found
        if f["rule_id"] == "FV011"
        or not (
            f["flow_id"] in sus
            or f["contract_id"] in sus
            or (f["rule_id"] in _BALANCE_RULES and f["entity_id"] in touched)
        )
    ]


def group_flags(doc: FlowDocument, groups: Groups, add: Add) -> None:
    """FV013 re-delegation to a related organisation; FV014 payees sharing one 所在地."""
    name = namer(doc)
    for f, a, b, status, basis in related_redelegations(doc, groups):
        add(
            "FV013",
            msg(
                "{payer} は {payee} に資金を渡す。関連は{status}（{basis}）",
                payer=name(a.name),
                payee=name(b.name),
                status=msg("確か") if status == "confirmed" else msg("推定"),
                basis=basis,
            ),
            flow=f,
            entity=b,
            amount_yen=f.amount_yen,
            payer=a.name,
            relation=status,
            basis=basis,
        )
    for address, ents in shared_addresses(doc):
        add(
            "FV014",
            msg(
                "法人番号の異なる支出先 {n}者が同じ所在地（{address}）を公表: {names}",
                n=len(ents),
                address=free(address),
                names=", ".join(name(e.name) for e in ents),
            ),
            entity=ents[0],
            address=address,
            payees=[e.name for e in ents],
            corporate_numbers=[e.corporate_number for e in ents],
        )


def select(
    findings: list[dict[str, Any]],
    rules: list[str] | None = None,
    min_amount_yen: int | None = None,
) -> list[dict[str, Any]]:
    """Findings of the given rules, at least ``min_amount_yen`` (their contract value or amount)."""
    wanted = {r.strip().upper() for r in rules or []}
    unknown = wanted - set(RULES)
    if unknown:
        from flowviz.exceptions import FlowvizError

        raise FlowvizError(
            f"--rule: unknown rule {', '.join(sorted(unknown))}; expected one of {', '.join(RULES)}"
        )
    out = []
    for f in findings:
        if wanted and f["rule_id"] not in wanted:
            continue
        if min_amount_yen is not None and (
            f["amount_yen"] is None or f["amount_yen"] < min_amount_yen
        ):
            continue
        out.append(f)
    return out


def flags_by_flow(doc: FlowDocument, th: Thresholds | None = None) -> dict[str, list[str]]:
    """Flow id → rule ids, for marking pictures; entity findings mark the entity's outgoing flows."""
    marks: dict[str, list[str]] = defaultdict(list)
    out_of: dict[str, list[str]] = defaultdict(list)
    into: dict[str, list[str]] = defaultdict(list)
    for fl in doc.flows:
        out_of[fl.source].append(fl.id)
        into[fl.target].append(fl.id)
    for f in flags(doc, th):
        ids = [f["flow_id"]] if f["flow_id"] else out_of.get(f["entity_id"], [])
        if not ids:
            ids = into.get(f["entity_id"], [])
        for i in ids:
            if f["rule_id"] not in marks[i]:
                marks[i].append(f["rule_id"])
    return dict(marks)


def thresholds_from_options(award_rate: str, pass_through: str, chain_depth: int) -> Thresholds:
    """Thresholds from command-line text, refusing NaN, infinities and non-numbers by name."""
    from flowviz.exceptions import FlowvizError

    def pct_option(text: str, name: str) -> Decimal:
        try:
            d = Decimal(text.strip())
        except ArithmeticError:
            d = None
        if d is None or not d.is_finite() or not (0 <= d <= 1000):
            raise FlowvizError(f"{name}: expected a percentage such as 95 or 99.5, found {text!r}")
        return d

    if chain_depth < 0:
        raise FlowvizError(f"--chain-depth: expected 0 or more hops, found {chain_depth}")
    return Thresholds(
        pct_option(award_rate, "--award-rate"),
        pct_option(pass_through, "--pass-through"),
        chain_depth,
    )
