"""How a unit is judged against the population, one method per kind of indicator.

- ``funnel-share``: shares with a sample size (one bidder, non-competitive …): beta-binomial
  control limits around the pooled rate (:mod:`flowviz.analysis.funnel`).
- ``funnel-mean``: means with a sample size (procedure grade): normal limits with τ².
- ``tukey``: Q3 + k × IQR (Q1 − k × IQR where low is the risk), quartiles by linear
  interpolation between order statistics (pandas' default), for indicators without a sample
  size whose distribution has no pile at one value.
- ``tukey-logit``: the same fences on logit(share), for the size of a zero-inflated share
  among the units where it occurs (0 < share ≤ 100 %, clipped to 0.05–99.95 %, and the
  value compared clipped: a share carried whole is not beyond a fence of 99.99 %).

Where Q1 = Q3 to 0.01 (half the units or more share one value) Tukey fences judge no unit: there is
no spread to judge against.

Every row carries value, sample, expected, lower and upper limits, population and method, and
``fence`` (the limit on the risk side) so a reader sees why.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flowviz.analysis.funnel import (
    TAIL,
    Population,
    mean_limits,
    mean_population,
    share_limits,
    share_population,
)


@dataclass
class Measured:
    key: tuple
    value: Decimal | None
    sample: int
    condition: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)
    hits: int | None = None  # shares: the count behind the value
    items: list[float] | None = None  # means: the items averaged


def quartiles(values: list[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """Q1, median, Q3 with linear interpolation between order statistics (pandas' default)."""
    v = sorted(values)

    def q(p: Decimal) -> Decimal:
        pos = (len(v) - 1) * p
        lo = int(pos)
        hi = min(lo + 1, len(v) - 1)
        return v[lo] + (v[hi] - v[lo]) * (pos - lo)

    return q(Decimal("0.25")), q(Decimal("0.5")), q(Decimal("0.75"))


_Q = Decimal("0.01")
Limits = Callable[[Measured], tuple[Decimal, Decimal, Decimal] | None]  # expected, lower, upper


def _round(v: Decimal | float | None) -> Decimal | None:
    return None if v is None else Decimal(str(v)).quantize(_Q)


def judge(
    name: str,
    risk: str,
    unit: str,
    measured: dict[tuple, Measured],
    min_sample: int,
    method: str = "tukey",
    fence_k: Decimal = Decimal("1.5"),
    tail: float = TAIL,
) -> list[dict[str, Any]]:
    """Rows with the unit's value and the limits of its population (per condition), flagged
    beyond the limit on the risk side; the riskiest first."""
    by_condition: dict[str, list[Measured]] = defaultdict(list)
    for m in measured.values():
        by_condition[m.condition].append(m)
    out = []
    for condition, ms in sorted(by_condition.items()):
        judged = [m for m in ms if m.value is not None and m.sample >= min_sample]
        limits, extra = _limits(method, judged, fence_k, tail)
        ids = {id(m) for m in judged}
        sign = -1 if risk == "high" else 1
        for m in sorted(ms, key=lambda m: (m.value is None, sign * (m.value or 0))):
            row = _row(name, risk, unit, m, condition, len(judged), method)
            lim = limits(m) if limits and id(m) in ids else None
            if lim:
                row.update(extra)
                _flag(row, risk, _clip(m.value) if method == "tukey-logit" else m.value, *lim)
            out.append(row)
    return out


def _row(name, risk, unit, m: Measured, condition, population, method):  # noqa: ANN001, ANN202
    return {
        "indicator": name,
        "unit_kind": unit,
        "unit": " / ".join(map(str, m.key)),
        "value": _round(m.value),
        "sample": m.sample,
        "hits": m.hits,
        "condition": condition,
        "population": population,
        "method": method,
        "expected": None,
        "lower": None,
        "upper": None,
        "q1": None,
        "median": None,
        "q3": None,
        "fence": None,
        "flagged": False,
        "judged": False,
        "risk": risk,
        "evidence": [r.get("source") for r in m.rows if r.get("source")],
    }


def _flag(row: dict, risk: str, raw: Decimal, expected: Decimal, lower: Decimal, upper: Decimal):  # noqa: ANN202
    fence = upper if risk == "high" else lower
    row.update(expected=_round(expected), lower=_round(lower), upper=_round(upper))
    row.update(fence=_round(fence), judged=True)
    row["flagged"] = raw > fence if risk == "high" else raw < fence


def _limits(
    method: str, judged: list[Measured], k: Decimal, tail: float
) -> tuple[Limits | None, dict]:
    if not judged:
        return None, {}
    if method == "funnel-share":
        pop = share_population([(m.hits or 0, m.sample) for m in judged])
        return (_share_limits(pop, tail) if pop else None), {}
    if method == "funnel-mean":
        pop = mean_population([m.items or [] for m in judged])
        return (_mean_limits(pop, tail) if pop else None), {}
    values = [m.value for m in judged if m.value is not None]
    logit = method == "tukey-logit"
    q1, med, q3 = quartiles([_logit(v) for v in values] if logit else values)
    back = _expit if logit else (lambda v: v)
    if _round(back(q1)) == _round(back(q3)):  # half the units share one value: no spread
        return None, {}
    lo, hi = q1 - k * (q3 - q1), q3 + k * (q3 - q1)
    stats = (back(med), back(lo), back(hi))
    extra = {"q1": _round(back(q1)), "median": _round(back(med)), "q3": _round(back(q3))}
    return (lambda m: stats), extra


def _share_limits(pop: Population, tail: float) -> Limits:
    def limits(m: Measured) -> tuple[Decimal, Decimal, Decimal]:
        lo, hi = share_limits(m.sample, pop, tail)
        n = m.sample  # the same arithmetic as the value: Decimal(hits) * 100 / n
        return Decimal(str(pop.target)) * 100, Decimal(lo) * 100 / n, Decimal(hi) * 100 / n

    return limits


def _mean_limits(pop: Population, tail: float) -> Limits:
    def limits(m: Measured) -> tuple[Decimal, Decimal, Decimal]:
        lo, hi = mean_limits(m.sample, pop, tail)
        return Decimal(str(pop.target)), Decimal(str(lo)), Decimal(str(hi))

    return limits


_CLIP = Decimal("0.05")


def _clip(pct: Decimal) -> Decimal:
    return min(max(pct, _CLIP), 100 - _CLIP)


def _logit(pct: Decimal) -> Decimal:
    p = _clip(pct) / 100
    return Decimal(str(math.log(p / (1 - p))))


def _expit(x: Decimal) -> Decimal:
    return Decimal(str(100 / (1 + math.exp(-float(x)))))
