"""Indicators judged against the population, after Open Contracting's Cardinal.

Each indicator is computed per unit (a buyer: ministry, bureau or division; a supplier; a
project) and judged against all units of the year by the method that fits it
(:mod:`flowviz.analysis.judging`): shares and means with a sample size against funnel-plot
control limits that allow for it, so a unit of 5 contracts is not judged like one of 500;
Tukey fences (k = 1.5 by default) only for HHI and depth, which have no sample size. Every row
carries the figures (value, sample, expected, limits, population, method) so a reader sees why.

Units judged by Tukey fences with fewer than ``min_sample`` observations are listed but not
judged. Supplier units are judged within their kind of organisation when
``condition_on_kind`` is set: base rates differ (the Board of Audit found one bidder in 47.0 %
of competitive contracts with 公益法人 against 16.8 % overall). Budget indicators are in
:mod:`flowviz.analysis.budget_indicators`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomllib

from flowviz.analysis.judging import Measured, judge
from flowviz.analysis.settings_check import MAX_SETTINGS_BYTES, checked
from flowviz.exceptions import OptionError
from flowviz.kinds import organisation_kind
from flowviz.model import is_non_competitive
from flowviz.procedures import DEFAULT_GRADES, is_competitive, procedure_grade


@dataclass(frozen=True)
class Settings:
    """What a configuration file may change (TOML; see ``docs/indicators.md``)."""

    fence_k: Decimal = Decimal("1.5")
    min_sample: int = 5
    condition_on_kind: bool = True
    reason_required_yen: int = 1_000_000_000
    high_award_rate_pct: Decimal = Decimal(95)
    #: two-sided coverage of the funnel limits: 99.8 flags beyond the 0.1 % tail on the risk
    #: side (Spiegelhalter's "alarm"); 95 gives his "alert" level
    control_limit_pct: Decimal = Decimal("99.8")
    grades: tuple[tuple[str, int], ...] = DEFAULT_GRADES

    @property
    def tail(self) -> float:
        """The one-sided tail of the funnel limits (0.001 for 99.8 %)."""
        return float((100 - self.control_limit_pct) / 200)


def load_settings(path: str | Path | None) -> Settings:
    """Settings from a TOML file; unknown keys are an error naming the file and key."""
    if path is None:
        return Settings()
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_SETTINGS_BYTES + 1)
        if len(raw) > MAX_SETTINGS_BYTES:
            raise OptionError(
                f"{path}: larger than {MAX_SETTINGS_BYTES >> 10} KiB; not a settings file"
            )
        data = tomllib.loads(raw.decode("utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise OptionError(f"{path}: cannot read the indicator settings ({exc})") from None
    known = set(Settings.__dataclass_fields__)
    unknown = set(data) - known
    if unknown:
        raise OptionError(f"{path}: unknown key {sorted(unknown)[0]!r}; known: {sorted(known)}")
    return replace(Settings(), **{k: checked(path, k, v) for k, v in data.items()})


@dataclass(frozen=True)
class Indicator:
    name: str
    risk: str  # "high" or "low": which side of the limits is flagged
    what: str
    measure: Callable[[list[dict[str, Any]], Settings], Measured]
    method: str = "funnel-share"


def _share(hits: int, n: int) -> Measured:
    value = Decimal(hits) * 100 / n if n else None
    return Measured((), value, n, hits=hits)


def _non_competitive(rows: list[dict[str, Any]], s: Settings) -> Measured:
    known = [r for r in rows if r["method"]]
    return _share(sum(is_non_competitive(r["method"]) for r in known), len(known))


def _one_bidder(rows: list[dict[str, Any]], s: Settings) -> Measured:
    comp = [r for r in rows if is_competitive(r["method"]) and r["bidders"] is not None]
    return _share(sum(r["bidders"] == 1 for r in comp), len(comp))


def _high_award_rate(rows: list[dict[str, Any]], s: Settings) -> Measured:
    rated = [r for r in rows if r["award_rate"] is not None]
    return _share(sum(r["award_rate"] >= s.high_award_rate_pct for r in rated), len(rated))


def _grade(rows: list[dict[str, Any]], s: Settings) -> Measured:
    if not rows:
        return Measured((), None, 0)
    grades = [procedure_grade(r["method"], s.grades) for r in rows]
    return Measured((), Decimal(sum(grades)) / len(rows), len(rows), items=grades)


def _reason_missing(rows: list[dict[str, Any]], s: Settings) -> Measured:
    big = [
        r
        for r in rows
        if is_non_competitive(r["method"])
        and (r["contract_value_yen"] or 0) >= s.reason_required_yen
    ]
    return _share(sum(not (r["reason"] or "").strip() for r in big), len(big))


CONTRACT_INDICATORS = (
    Indicator(
        "non_competitive_pct",
        "high",
        "share of contracts awarded by 随意契約 other than 企画競争, 公募 and 少額 (as FV001)",
        _non_competitive,
    ),
    Indicator(
        "one_bidder_pct",
        "high",
        "share of one-bidder awards among competitive tenders",
        _one_bidder,
    ),
    Indicator(
        "high_award_rate_pct",
        "high",
        "share of awards at 95 % of the estimate or more",
        _high_award_rate,
    ),
    Indicator(
        "procedure_grade", "high", "mean procedure grade, 0 open … 4 missing", _grade, "funnel-mean"
    ),
    Indicator(
        "reason_missing_pct",
        "high",
        "share of non-competitive contracts (as FV001) ≥ 10億円 with no published reason",
        _reason_missing,
    ),
)
UNITS = {
    "ministry": ("ministry",),
    "bureau": ("ministry", "bureau"),
    "division": ("ministry", "bureau", "division"),
    "supplier": ("supplier",),
    "project": ("ministry", "project_id", "project"),
}


def _unit_key(r: dict[str, Any], unit: str) -> tuple:
    if unit == "supplier":
        return (r["corporate_number"] or r["payee"],)
    return tuple(r.get(c) or "" for c in UNITS[unit])


def contract_indicators(
    contracts: Iterable[dict[str, Any]],
    unit: str = "ministry",
    settings: Settings | None = None,
    method: str | None = None,
) -> list[dict[str, Any]]:
    """Every contract indicator for every unit, judged against the population of units by
    the indicator's method (``method`` judges all by one, e.g. "tukey" to compare)."""
    if unit not in UNITS:
        raise OptionError(f"--unit {unit!r}: choose one of {', '.join(UNITS)}")
    s = settings or Settings()
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for r in contracts:
        groups[_unit_key(r, unit)].append(r)
    out = []
    for ind in CONTRACT_INDICATORS:
        values = {}
        for key, rows in groups.items():
            m = ind.measure(rows, s)
            values[key] = replace(m, key=key, condition=_condition(rows[0], unit, s), rows=rows)
        how = method or ind.method
        out += judge(ind.name, ind.risk, unit, values, s.min_sample, how, s.fence_k, s.tail)
    return out


def _condition(first: dict[str, Any], unit: str, s: Settings) -> str:
    if unit != "supplier" or not s.condition_on_kind:
        return ""
    return organisation_kind(first["payee"], first["corporate_number"], first.get("corp_kind"))[0]


INDICATOR_NOTES = {i.name: i.what for i in CONTRACT_INDICATORS}


def listed_indicators(
    payments: list[dict[str, Any]],
    depths: dict[str, int],
    unit: str,
    settings: Settings | None = None,
) -> list[dict[str, Any]]:
    """Concentration (HHI of the listed payees, sample = payees) per buyer unit or project,
    and re-delegation depth per project, judged like the contract indicators."""
    from flowviz.analysis.concentration import concentration

    s = settings or Settings()
    if unit not in ("ministry", "bureau", "project"):
        return []
    key_cols = UNITS[unit]
    hhi = {}
    for r in concentration(payments, unit):
        key = tuple(r.get(c) or "" for c in key_cols)
        value = None if r["hhi"] is None else Decimal(r["hhi"])
        hhi[key] = Measured(key, value, r["parts"], "", [])
    out = judge("hhi", "high", unit, hhi, max(s.min_sample, 2), "tukey", s.fence_k)
    if unit == "project":
        names = {r["project_id"]: (r["ministry"], r["project"]) for r in payments}
        deep = {
            (names[p][0], p, names[p][1]): Measured(
                (names[p][0], p, names[p][1]), Decimal(d), 1, "", []
            )
            for p, d in depths.items()
            if p in names
        }
        out += judge("depth", "high", unit, deep, 1, "tukey", s.fence_k)
    return out
