"""One budget definition for every comparison across sheets and years.

The two formats print a different 計 (checked on every row of the data):

- old-format 予算計 is *net*: 当初 + 補正 + 前年度から繰越し + 予備費等 − 翌年度へ繰越し, the
  carry-over printed negative (▲); the 2015 and 2016 sheets print 翌年度へ繰越し as 0 yet still
  subtract it from 予算計;
- RS 2-1 計（歳出予算現額合計） is *gross*: 当初 + 補正 + 前年度から繰越し + 予備費等, and
  翌年度への繰越し is printed positive.

So flowviz compares and divides on **gross = 当初 + 補正 + 前年度から繰越し + 予備費等** (from the
parts, whatever 計 a sheet prints) and carries over a positive **翌年度へ繰越し** (the printed
figure's size, or gross − 予算計 where an old sheet printed 0 but subtracted it). A year still
running when its sheet was made (budget year ≥ sheet year) has no execution or carry-over yet:
they are *not yet executed*, not 0, and its 補正/予備費 may still grow.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

GROSS_PARTS = ("initial", "supplementary", "carried_in", "reserve")
DEFINITION = "gross = 当初 + 補正 + 前年度から繰越し + 予備費等; 翌年度へ繰越し positive"
#: figures a sheet states provisionally while its year runs (later sheets may state them anew)
PROVISIONAL = ("supplementary", "reserve", "gross", "carried_over", "executed")
#: the quantities two sheets' statements of one year are compared on
COMPARED = (
    "initial",
    "supplementary",
    "carried_in",
    "reserve",
    "gross",
    "carried_over",
    "executed",
)


def gross(b: dict[str, Any]) -> int | None:
    """当初 + 補正 + 前年度から繰越し + 予備費等 (unknown when no part is stated)."""
    parts = [b.get(f) for f in GROSS_PARTS]
    return None if all(p is None for p in parts) else sum(p or 0 for p in parts)


def carried_over(b: dict[str, Any], definition: str) -> int | None:
    """翌年度へ繰越し as a positive amount. ``definition``: ``sheet`` (old-format, 計 net) or
    ``rs`` (計 gross)."""
    stated = b.get("carried_over")
    if definition == "rs":
        return None if stated is None else abs(stated)
    if stated:
        return abs(stated)
    g, total = gross(b), b.get("total")
    if g is not None and total is not None and g >= total:
        return g - total  # the net 計 subtracted it even where the column says 0
    return stated


def on_basis(b: dict[str, Any], definition: str, running: bool) -> dict[str, Any]:
    """One sheet's statement of one budget year on the common definition; ``running``: the year
    had not closed when the sheet was made (no execution, no carry-over yet)."""
    out = {f: b.get(f) for f in (*GROSS_PARTS, "request")}
    out["gross"] = gross(b)
    out["carried_over"] = None if running else carried_over(b, definition)
    out["executed"] = None if running else b.get("executed")
    out["published_total"] = b.get("total")
    out["published_definition"] = "net" if definition == "sheet" else "gross"
    return out


def rate_pct(part: int | None, whole: int | None) -> Decimal | None:
    """``part`` ÷ ``whole`` in % to 0.1, or ``None`` when either is unknown or the whole is 0."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def row_definition(b: dict[str, Any]) -> str:
    """``rs`` for a 2-1 row, ``sheet`` for an old-format one (by the ``source`` text)."""
    return "rs" if str(b.get("source", "")).startswith("2-1") else "sheet"


FIELDS = (*COMPARED, "request", "published_total", "published_definition")


@dataclass
class BudgetYearHistory:
    """One budget year as the sheets of a lineage state it, on the common definition."""

    year: int
    values: dict[str, Any] = field(default_factory=dict)
    source: dict[str, str] = field(default_factory=dict)
    #: the same quantity stated differently by two sheets that both saw the year closed
    disagreements: list[str] = field(default_factory=list)
    #: a figure a sheet gave while the year ran, stated anew once it closed (not a disagreement)
    revisions: list[str] = field(default_factory=list)
    #: no sheet saw the year closed: execution and carry-over are not yet known
    running: bool = False

    @property
    def execution_rate_pct(self) -> Decimal | None:
        return rate_pct(self.values.get("executed"), self.values.get("gross"))

    @property
    def carried_over_rate_pct(self) -> Decimal | None:
        return rate_pct(self.values.get("carried_over"), self.values.get("gross"))


def merge_statements(rows: list[dict[str, Any]]) -> list[BudgetYearHistory]:
    """``rows``: one per (sheet, budget year) with ``sheet``, ``sheet_year``, ``definition``
    (``sheet``/``rs``) and the stored fields. Each figure is taken from the latest sheet that
    states it; every other statement of the same quantity that differs is a disagreement, or a
    revision when one of the two was made while the year ran."""
    by_year: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r["budget_year"] is not None:
            by_year[r["budget_year"]].append(r)
    out = []
    for year in sorted(by_year):
        h = BudgetYearHistory(year)
        stated = []
        for r in sorted(by_year[year], key=lambda r: r["sheet_year"], reverse=True):
            running = r["sheet_year"] <= year
            stated.append((r["sheet"], running, on_basis(r, r["definition"], running)))
        h.running = all(running for _, running, _ in stated)
        for f in FIELDS:
            _merge_field(h, f, stated)
        out.append(h)
    return out


def _merge_field(h: BudgetYearHistory, f: str, stated: list[tuple[str, bool, dict]]) -> None:
    given = [(sheet, running, v[f]) for sheet, running, v in stated if v[f] is not None]
    if not given:
        h.values[f] = None
        return
    (sheet0, running0, v0), rest = given[0], given[1:]
    h.values[f], h.source[f] = v0, sheet0
    if f not in COMPARED and f != "request":
        return  # the published 計 differs by definition between formats: compared as gross
    for sheet, running, v in rest:
        if v == v0:
            continue
        text = f"{f}: {sheet} states {v:,}円, {sheet0} states {v0:,}円"
        if f in PROVISIONAL and (running or running0):
            h.revisions.append(text + " (stated while the year ran)")
        else:
            h.disagreements.append(text)
