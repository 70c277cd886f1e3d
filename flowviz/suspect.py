"""Suspect figures: published numbers that cannot be right on the sheet's own terms.

A figure is *suspect* when the sheet itself contradicts it — a payee paid a hundred times what
the whole project executed, a contract worth a hundred times the project's largest yearly
budget, an award rate above 100 %, or any single line above 50兆円 (half the national budget).
Such figures are kept exactly as published and marked wherever they appear; totals, rankings,
concentration and indicators leave them out by default and say how much they left out, and no
red-flag rule (FV001–FV014) fires on them: they get their own finding (FV011).

This is decided here once, for every command (per project and store-wide): the store queries
and the model both call :func:`payment`, :func:`contract_value` and :func:`award_rate`.
The thresholds and their known false positives are in ``docs/methods.md``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flowviz.messages import N_, msg
from flowviz.money import IMPLAUSIBLE_YEN, format_yen_ja

#: a :class:`flowviz.model.FlowDocument` (not imported: the model calls this module)
FlowDocument = Any

#: a payee listed at this many times the project's 執行額 for the year is a unit or entry error,
#: not re-delegated money counted twice (which reaches 2–3× at most in the old-format sheets)
EXECUTION_RATIO = 100
#: a contract value this many times the project's largest stated yearly budget (multi-year
#: contracts of 国庫債務負担行為 span a few years, not a hundred)
BUDGET_RATIO = 100
#: below this no figure is judged against the budget: tiny projects have noisy ratios
MIN_JUDGED_YEN = 100_000_000
#: unit slips that turn a figure that fits into one that does not (千円 or 円 typed as 百万円)
UNIT_SLIPS = (1_000, 1_000_000)


def _slip(amount: int, fits: int) -> str:
    """``" (÷1,000 would fit: likely a unit slip)"`` when dividing by a unit factor fits."""
    for factor in UNIT_SLIPS:
        if amount % factor == 0 and 0 < amount // factor <= fits * 2:
            return msg("; ÷{factor} では収まる（単位の誤りとみられる）", factor=f"{factor:,}")
    return ""


def _against(amount: int | None, base: int | None, ratio: int, what: str) -> str:
    """Why ``amount`` is suspect against the sheet's own ``base`` figure (``what`` names it)."""
    if amount is None:
        return ""
    if abs(amount) > IMPLAUSIBLE_YEN:
        fits = base if base and base > 0 else IMPLAUSIBLE_YEN
        return msg("50兆円を超える（{amount}）", amount=format_yen_ja(amount)) + _slip(
            abs(amount), fits
        )
    if base is not None and base > 0 and amount >= MIN_JUDGED_YEN and amount > base * ratio:
        times = f"{amount // base:,}"
        return msg(what, base=format_yen_ja(base), times=times) + _slip(amount, base)
    return ""


def payment(amount: int | None, executed: int | None) -> str:
    """Why a payment (a payee's amount) is suspect, or ``""``.

    ``executed``: the project's 執行額 for the flow year, when published.
    """
    return _against(amount, executed, EXECUTION_RATIO, N_("事業の執行額 {base} の{times}倍"))


def contract_value(value: int | None, budget: int | None) -> str:
    """Why a contract value (契約額) is suspect, or ``""``.

    ``budget``: the largest yearly budget (計) or execution the project states, when published.
    """
    return _against(value, budget, BUDGET_RATIO, N_("事業の予算 {base} の{times}倍"))


def award_rate(rate: Decimal | float | None) -> str:
    """Why an award rate (落札率, percent) is suspect, or ``""``: above 100 % a price was
    awarded above its own ceiling, which the rules forbid; a unit or entry error."""
    if rate is None:
        return ""
    if Decimal(str(rate)) > 100:
        return msg("落札率が100%を超える（{rate}%）", rate=rate)
    return ""


def flow_year_execution(doc: FlowDocument) -> int | None:
    """The project's 執行額 for the year its flows were paid (2-1, or the old-format 予算 row)."""
    for y in doc.budget.years:
        if y.year == doc.project.flow_year and not y.request:
            return y.executed
    return None


def largest_budget(doc: FlowDocument) -> int | None:
    """The largest yearly budget (計) or execution the sheet states, request years aside."""
    stated = [v for y in doc.budget.years if not y.request for v in (y.total, y.executed) if v]
    return max(stated) if stated else None


def document_suspects(doc: FlowDocument) -> dict[str, str]:
    """Flow id or contract id → why its figure is suspect (see the module doc). A derived
    document (an aggregate of many projects) has none of its own: its sums leave out the
    suspect figures of the projects it adds up."""
    if doc.extra.get("derived"):
        return {}
    executed = flow_year_execution(doc)
    budget = largest_budget(doc)
    out: dict[str, str] = {}
    for fl in doc.flows:
        why = payment(fl.amount_yen, executed)
        if why:
            out[fl.id] = why
    for c in doc.contracts:
        why = contract_value(c.amount_yen, budget) or award_rate(c.terms.award_rate_pct)
        if why:
            out[c.id] = why
    for fl in doc.flows:
        if fl.id not in out and award_rate(fl.contract.award_rate_pct):
            out[fl.id] = award_rate(fl.contract.award_rate_pct)
    return out


def drawn_excess(doc: FlowDocument) -> tuple[int, int, int] | None:
    """(drawn, executed, largest flow) when the money drawn out of the ministry exceeds the
    project's 執行額 for the flow year; ``None`` otherwise or when either is not published.
    Suspect flows are counted: the excess is what the reader would otherwise see."""
    executed = flow_year_execution(doc)
    out = [
        fl.amount_yen
        for fl in doc.flows
        if fl.source == "ministry" and fl.amount_yen is not None and fl.amount_yen > 0
    ]
    if executed is None or not out or sum(out) <= executed:
        return None
    return sum(out), executed, max(out)


def excess_note(doc: FlowDocument) -> str:
    """The finding for :func:`drawn_excess`, with its likely cause, or ``""``."""
    found = drawn_excess(doc)
    if found is None:
        return ""
    drawn, executed, largest = found
    if largest > executed * EXECUTION_RATIO:
        cause = msg(
            "1行の金額が執行額の100倍を超えており、単位の誤りとみられる（疑わしい数値として合計から除外）"
        )
    elif largest > executed:
        cause = msg(
            "1行だけで執行額を上回る: 複数の支出先をまとめた行か、複数年度分の記載とみられる"
        )
    else:
        cause = msg(
            "再委託などで同じ資金が複数のブロックに計上されているか、執行額に含まれない支出とみられる"
        )
    return msg(
        "図の支出の合計 {drawn} は執行額 {executed} を {excess} 上回る。{cause}",
        drawn=format_yen_ja(drawn),
        executed=format_yen_ja(executed),
        excess=format_yen_ja(drawn - executed),
        cause=cause,
    )
