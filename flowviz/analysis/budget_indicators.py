"""Budget indicators per project, on one basis across the decade and conditioned on what the
budget is, so that carry-over by design is not an anomaly.

Basis (:func:`basis`): the gross budget 当初 + 補正 + 前年度から繰越し + 予備費等 and the
carry-over as a size (≥ 0). The RS 計 is gross; the old-format 計 is net of 翌年度へ繰越し,
which it prints negative, so the old-format figures are put on the gross basis before any rate
is taken. (The decade issue, #23, owns the one budget definition; it connects here.)

Class (:func:`budget_class`), first match wins, and every project is judged only against the
projects of its class:

- ``fund``: 基金 in the project's name (money held to be paid out over years);
- ``supplementary``: 補正 at least half of 当初 (a supplementary budget passed late in the
  year is carried whole into the next by design);
- ``multi-year``: the project has contracts under 国庫債務負担行為 (RS 5-4);
- ``ordinary``: the rest.

Carry-over and 予備費 are zero for most projects: occurrence and size are judged apart. Size:
among the projects where it occurs, Tukey fences on logit(share) within the class. Occurrence:
per ministry, the share of its projects of the class where it occurs, against funnel limits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from flowviz.analysis.budget_basis import carried_over, gross, row_definition
from flowviz.analysis.funnel import TAIL
from flowviz.analysis.judging import Measured, judge

CLASSES = ("fund", "supplementary", "multi-year", "ordinary")
PARTS = ("initial", "supplementary", "carried_in", "reserve")


def basis(b: dict[str, Any]) -> tuple[int | None, int | None]:
    """(gross budget, carried over ≥ 0) in yen on the one definition of
    :mod:`flowviz.analysis.budget_basis`; None where a part is not published."""
    return gross(b), carried_over(b, row_definition(b))


def budget_class(b: dict[str, Any]) -> str:
    """What the budget is (see the module's docstring): fund, supplementary, multi-year or
    ordinary."""
    if "基金" in (b.get("project") or "") or "基金" in (b.get("accounts") or ""):
        return "fund"
    initial, supp = b.get("initial") or 0, b.get("supplementary") or 0
    if supp > 0 and 2 * supp >= initial:
        return "supplementary"
    if b.get("multi_year"):
        return "multi-year"
    return "ordinary"


def _pct(num: int | None, den: int | None) -> Decimal | None:
    return Decimal(num) * 100 / den if num is not None and den else None


def _execution(b: dict[str, Any]) -> Decimal | None:
    return _pct(b["executed"], basis(b)[0])


def _carried(b: dict[str, Any]) -> Decimal | None:
    gross, co = basis(b)
    return _pct(co, gross)


def _reserve(b: dict[str, Any]) -> Decimal | None:
    gross = basis(b)[0]
    return _pct(b["reserve"], gross) if (b["reserve"] or 0) > 0 else _pct(0, gross)


def _over_plan(b: dict[str, Any]) -> Decimal | None:
    return _pct(b["executed"], (b["initial"] or 0) + (b["supplementary"] or 0) or None)


Measure = Callable[[dict[str, Any]], Decimal | None]
#: name, risk, what, measure, method: ``tukey-logit`` ones are zero-inflated (size and occurrence)
BUDGET_INDICATORS: tuple[tuple[str, str, str, Measure, str], ...] = (
    ("execution_rate_pct", "low", "executed ÷ gross budget", _execution, "tukey"),
    ("carried_over_pct", "high", "carried over ÷ gross budget", _carried, "tukey-logit"),
    ("reserve_pct", "high", "予備費等 used (> 0) ÷ gross budget", _reserve, "tukey-logit"),
    ("over_plan_pct", "high", "executed ÷ (当初 + 補正)", _over_plan, "tukey"),
)
BUDGET_NOTES = {n: what for n, _, what, _, _ in BUDGET_INDICATORS}


def _key(b: dict[str, Any]) -> tuple:
    return (b["ministry"] or "", b["project_id"] or "", b["project"] or "")


def budget_indicators(
    budgets: Iterable[dict[str, Any]], fence_k: Decimal = Decimal("1.5"), tail: float = TAIL
) -> list[dict[str, Any]]:
    """Every budget indicator per project within its class; for zero-inflated ones the size
    among projects where it occurs, and the occurrence per ministry (``…_occurs_pct``)."""
    rows = list(budgets)
    out = []
    for name, risk, _what, measure, method in BUDGET_INDICATORS:
        values, occurs = {}, defaultdict(lambda: [0, 0, []])
        for b in rows:
            v, cls = measure(b), budget_class(b)
            if method == "tukey-logit" and v is not None:
                o = occurs[(b["ministry"] or "", cls)]
                o[0], o[1] = o[0] + (v > 0), o[1] + 1
                o[2].append(b)
                if v == 0:
                    continue  # judged by occurrence only
            values[_key(b)] = Measured(_key(b), v, 1, cls, [b])
        out += judge(name, risk, "project", values, 1, method, fence_k, tail)
        if occurs:
            per = {
                k: Measured((k[0],), Decimal(h) * 100 / n, n, k[1], rs, hits=h)
                for k, (h, n, rs) in occurs.items()
            }
            out += judge(
                name.replace("_pct", "_occurs_pct"), risk, "ministry", per, 1, "funnel-share"
            )
    return out
