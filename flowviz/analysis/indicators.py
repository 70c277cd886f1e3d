"""Indicators judged against the population, after Open Contracting's Cardinal.

Each indicator is computed per unit (a buyer: ministry, bureau or division; a supplier; a
project), then the year's distribution over all units is summarised by its quartiles, and a
unit is flagged when it lies beyond the fence: above Q3 + k × IQR for indicators where high is
the risk, below Q1 − k × IQR where low is (k = 1.5 by default). Every row carries the figures
(value, sample size, Q1, median, Q3, fence, population size) so a reader sees why.

Units with fewer than ``min_sample`` observations are listed but not judged (a share of one
contract is 0 or 100 %). Supplier units are judged within their kind of organisation when
``condition_on_kind`` is set: base rates differ (the Board of Audit found one bidder in 47.0 %
of competitive contracts with 公益法人 against 16.8 % overall). Quartiles use linear
interpolation between order statistics (pandas' default), in exact Decimals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomllib

from flowviz.analysis.budget_basis import carried_over, gross, row_definition
from flowviz.analysis.settings_check import MAX_SETTINGS_BYTES, checked
from flowviz.exceptions import OptionError
from flowviz.kinds import organisation_kind
from flowviz.procedures import DEFAULT_GRADES, is_competitive, procedure_grade


@dataclass(frozen=True)
class Settings:
    """What a configuration file may change (TOML; see ``docs/indicators.md``)."""

    fence_k: Decimal = Decimal("1.5")
    min_sample: int = 5
    condition_on_kind: bool = True
    reason_required_yen: int = 1_000_000_000
    high_award_rate_pct: Decimal = Decimal(95)
    grades: tuple[tuple[str, int], ...] = DEFAULT_GRADES


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
    risk: str  # "high" or "low": which side of the fence is flagged
    what: str
    measure: Callable[[list[dict[str, Any]], Settings], tuple[Decimal | None, int]]


def _share(hits: int, n: int) -> tuple[Decimal | None, int]:
    return (Decimal(hits) * 100 / n if n else None), n


def _non_competitive(rows: list[dict[str, Any]], s: Settings) -> tuple[Decimal | None, int]:
    known = [r for r in rows if r["method"]]
    return _share(sum(procedure_grade(r["method"], s.grades) == 2 for r in known), len(known))


def _one_bidder(rows: list[dict[str, Any]], s: Settings) -> tuple[Decimal | None, int]:
    comp = [r for r in rows if is_competitive(r["method"]) and r["bidders"] is not None]
    return _share(sum(r["bidders"] == 1 for r in comp), len(comp))


def _high_award_rate(rows: list[dict[str, Any]], s: Settings) -> tuple[Decimal | None, int]:
    rated = [r for r in rows if r["award_rate"] is not None]
    return _share(sum(r["award_rate"] >= s.high_award_rate_pct for r in rated), len(rated))


def _grade(rows: list[dict[str, Any]], s: Settings) -> tuple[Decimal | None, int]:
    if not rows:
        return None, 0
    return Decimal(sum(procedure_grade(r["method"], s.grades) for r in rows)) / len(rows), len(rows)


def _reason_missing(rows: list[dict[str, Any]], s: Settings) -> tuple[Decimal | None, int]:
    big = [
        r
        for r in rows
        if procedure_grade(r["method"], s.grades) == 2
        and (r["contract_value_yen"] or 0) >= s.reason_required_yen
    ]
    return _share(sum(not (r["reason"] or "").strip() for r in big), len(big))


CONTRACT_INDICATORS = (
    Indicator(
        "non_competitive_pct",
        "high",
        "share of contracts negotiated without competition (grade 2)",
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
    Indicator("procedure_grade", "high", "mean procedure grade, 0 open … 4 missing", _grade),
    Indicator(
        "reason_missing_pct",
        "high",
        "share of non-competitive contracts ≥ 10億円 with no published reason",
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
    contracts: Iterable[dict[str, Any]], unit: str = "ministry", settings: Settings | None = None
) -> list[dict[str, Any]]:
    """Every contract indicator for every unit, judged against the population of units."""
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
            value, n = ind.measure(rows, s)
            condition = _condition(rows[0], unit, s)
            values[key] = Measured(key, value, n, condition, rows)
        out += judge(ind.name, ind.risk, unit, values, s)
    return out


def _condition(first: dict[str, Any], unit: str, s: Settings) -> str:
    if unit != "supplier" or not s.condition_on_kind:
        return ""
    return organisation_kind(first["payee"], first["corporate_number"], first.get("corp_kind"))[0]


@dataclass
class Measured:
    key: tuple
    value: Decimal | None
    sample: int
    condition: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)


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


def judge(
    name: str, risk: str, unit: str, measured: dict[tuple, Measured], s: Settings
) -> list[dict[str, Any]]:
    """Rows with the unit's value and the population's quartiles and fence, flagged beyond it."""
    by_condition: dict[str, list[Measured]] = defaultdict(list)
    for m in measured.values():
        by_condition[m.condition].append(m)
    out = []
    for condition, ms in sorted(by_condition.items()):
        judged = [m for m in ms if m.value is not None and m.sample >= s.min_sample]
        stats = quartiles([m.value for m in judged]) if judged else None
        sign = -1 if risk == "high" else 1  # the riskiest first
        for m in sorted(ms, key=lambda m: (m.value is None, sign * (m.value or 0))):
            out.append(_row(name, risk, unit, m, stats, len(judged), s, condition))
    return out


def _row(name, risk, unit, m: Measured, stats, population: int, s: Settings, condition: str):  # noqa: ANN001, ANN202
    row: dict[str, Any] = {
        "indicator": name,
        "unit_kind": unit,
        "unit": " / ".join(map(str, m.key)),
    }
    row.update(value=_round(m.value), sample=m.sample, condition=condition, population=population)
    row.update(q1=None, median=None, q3=None, fence=None, flagged=False, judged=False)
    if stats and m.value is not None and m.sample >= s.min_sample:
        q1, med, q3 = stats
        iqr = q3 - q1
        fence = q3 + s.fence_k * iqr if risk == "high" else q1 - s.fence_k * iqr
        flagged = m.value > fence if risk == "high" else m.value < fence
        row.update(q1=_round(q1), median=_round(med), q3=_round(q3), fence=_round(fence))
        row.update(flagged=flagged, judged=True)
    row["risk"] = risk
    row["evidence"] = [r.get("source") for r in m.rows if r.get("source")]
    return row


def _round(v: Decimal | None) -> Decimal | None:
    return None if v is None else v.quantize(_Q)


def _pct(num: int | None, den: int | None) -> Decimal | None:
    return Decimal(num) * 100 / den if num is not None and den else None


#: budget indicators per project (2-1 and the old-format 予算 rows, the year the money was spent),
#: every one divided by the same gross budget (:mod:`flowviz.analysis.budget_basis`): the old
#: 予算計 is net of 翌年度へ繰越し, the RS 計 gross
BUDGET_INDICATORS = (
    (
        "execution_rate_pct",
        "low",
        "executed ÷ gross budget (当初 + 補正 + 前年度から繰越し + 予備費等)",
        lambda b: _pct(b["executed"], gross(b)),
    ),
    (
        "carried_over_pct",
        "high",
        "carried over to the next year (positive) ÷ gross budget",
        lambda b: _pct(carried_over(b, row_definition(b)), gross(b)),
    ),
    ("reserve_pct", "high", "予備費 used ÷ gross budget", lambda b: _pct(b["reserve"], gross(b))),
    (
        "over_plan_pct",
        "high",
        "executed ÷ (当初 + 補正): above 100 % spends more than planned",
        lambda b: _pct(b["executed"], (b["initial"] or 0) + (b["supplementary"] or 0) or None),
    ),
)


def budget_indicators(
    budgets: Iterable[dict[str, Any]], settings: Settings | None = None
) -> list[dict[str, Any]]:
    """Budget anomalies per project against all projects of the year (one budget row each)."""
    s = replace(settings or Settings(), min_sample=1, condition_on_kind=False)
    rows = list(budgets)
    out = []
    for name, risk, _what, measure in BUDGET_INDICATORS:
        values = {
            _unit_key(b, "project"): Measured(_unit_key(b, "project"), measure(b), 1, "", [b])
            for b in rows
        }
        out += judge(name, risk, "project", values, s)
    return out


INDICATOR_NOTES = {i.name: i.what for i in CONTRACT_INDICATORS} | {
    n: what for n, _, what, _ in BUDGET_INDICATORS
}


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
    out = judge("hhi", "high", unit, hhi, replace(s, min_sample=max(s.min_sample, 2)))
    if unit == "project":
        names = {r["project_id"]: (r["ministry"], r["project"]) for r in payments}
        deep = {
            (names[p][0], p, names[p][1]): Measured(
                (names[p][0], p, names[p][1]), Decimal(d), 1, "", []
            )
            for p, d in depths.items()
            if p in names
        }
        out += judge("depth", "high", unit, deep, replace(s, min_sample=1))
    return out
