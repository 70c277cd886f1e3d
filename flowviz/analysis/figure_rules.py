"""The rules about single figures behind :func:`flowviz.analysis.flags.flags`: FV009 amounts
published as not yet paid out but counted, FV011 suspect figures (kept as published)."""

from __future__ import annotations

from flowviz.analysis.rules import Add, Thresholds
from flowviz.i18n import free, namer
from flowviz.messages import msg
from flowviz.model import FlowDocument
from flowviz.money import format_amount, format_yen


def unexecuted_flags(doc: FlowDocument, add: Add) -> None:
    """FV009: 未執行 (not yet paid) lines counted in a published total."""
    ents = doc.entity_map
    for fl in doc.flows:
        unexecuted = [
            b for b in fl.breakdown if "未執行" in b.expense_item or "未執行" in b.purpose
        ]
        if not unexecuted:
            continue
        amount = sum(b.amount_yen for b in unexecuted if b.amount_yen is not None)
        name = namer(doc)
        add(
            "FV009",
            msg(
                "{payer} → {payee}: {total}のうち {amount} は「未執行」と公表されているが、シートの"
                "合計どおり額に含まれている",
                payer=name(ents[fl.source].name),
                payee=name(ents[fl.target].name),
                amount=format_yen(amount),
                total=format_amount(fl.amount_yen),
            ),
            flow=fl,
            amount_yen=fl.amount_yen,
            unexecuted_yen=amount,
            lines=[f"{b.expense_item} / {b.purpose}" for b in unexecuted],
        )


def implausible_flags(doc: FlowDocument, th: Thresholds, add: Add) -> None:
    """FV011: suspect figures (:mod:`flowviz.suspect`: beyond any plausible project, far above
    the project's execution or budget, an award rate above 100 %), and 費目 lines larger than
    the project's whole budget of the year. Kept as published; no other rule judges them."""
    sus = doc.suspects
    years = [y for y in doc.budget.years if y.year == doc.project.flow_year and not y.request]
    stated = [v for y in years for v in (y.total, y.executed) if v]
    budget = max(stated) if stated else None
    ents = doc.entity_map
    for fl in doc.flows:
        if fl.id in sus:
            add(
                "FV011",
                msg(
                    "{who}: {amount} は疑わしい数値: {why}。公表どおり残し、合計と他のルールから除外",
                    who=namer(doc)(ents[fl.target].name),
                    amount=format_amount(fl.amount_yen),
                    why=sus[fl.id],
                ),
                flow=fl,
                amount_yen=fl.amount_yen,
                budget_yen=budget,
                suspect=sus[fl.id],
            )
            continue
        for b in fl.breakdown:
            if (
                budget is None
                or b.amount_yen is None
                or b.amount_yen <= budget * th.implausible_ratio
            ):
                continue
            line = f"{b.expense_item} / {b.purpose}"
            add(
                "FV011",
                msg(
                    "{who}: 行「{line}」の {amount} は事業全体の予算・執行額 {budget} の{ratio}倍を"
                    "超える。単位か記入の誤りとみられる（数値は公表どおり）",
                    who=namer(doc)(ents[fl.target].name),
                    line=free(line),
                    amount=format_yen(b.amount_yen),
                    ratio=th.implausible_ratio,
                    budget=format_yen(budget),
                ),
                flow=fl,
                amount_yen=b.amount_yen,
                budget_yen=budget,
                line=line,
            )
    _suspect_contracts(doc, add)


def _suspect_contracts(doc: FlowDocument, add: Add) -> None:
    """FV011 for contract values judged suspect."""
    sus, ents = doc.suspects, doc.entity_map
    for c in doc.contracts:
        if c.id in sus:
            e = ents.get(c.contractor)
            add(
                "FV011",
                msg(
                    "{who}: 契約額 {amount} は疑わしい数値: {why}。公表どおり残し、合計と他のルールから除外",
                    who=namer(doc)(e.name) if e else c.contractor,
                    amount=format_amount(c.amount_yen),
                    why=sus[c.id],
                ),
                entity=e,
                contract=c,
                contract_value_yen=c.amount_yen,
                origin=c.origin,
                suspect=sus[c.id],
            )
