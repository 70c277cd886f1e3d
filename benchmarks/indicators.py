"""Share of units flagged per indicator: the Tukey fences flowviz used before against the
method each indicator has now (docs/methods.md, "How units are judged").

Before: every indicator judged by Q3 + 1.5 × IQR (Q1 − 1.5 × IQR where low is the risk) over
all units with at least 5 observations (budget: all projects, zeros included, no class).
Now: funnel-plot limits for shares and means, budget indicators within their class with
zero-inflated ones judged by occurrence (per ministry) and size (among the projects where it
occurs). The measures are the same on both sides, so the difference is the method's.

Run: .venv/bin/python benchmarks/indicators.py [--db STORE] [--year 2024]
(without --db, a store of the FY2024 RS files is built in a temporary folder: about 20 s)
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"


def old_tukey(
    values: list[tuple[Decimal, int, str]], risk: str, min_sample: int
) -> tuple[int, int]:
    """(flagged, judged) as flowviz judged before: Q3 + 1.5 × IQR (Q1 − 1.5 × IQR) per
    condition over the units with at least ``min_sample`` observations, whatever the spread."""
    from flowviz.analysis.judging import quartiles

    flagged = judged = 0
    for cond in {c for _, _, c in values}:
        vs = [v for v, n, c in values if c == cond and v is not None and n >= min_sample]
        if not vs:
            continue
        q1, _, q3 = quartiles(vs)
        k = Decimal("1.5") * (q3 - q1)
        flagged += sum(v > q3 + k if risk == "high" else v < q1 - k for v in vs)
        judged += len(vs)
    return flagged, judged


def before_contracts(rows: list[dict]) -> dict[tuple[str, str], tuple[int, int]]:
    groups: dict[tuple[str, str, str], list] = {}
    for r in rows:
        groups.setdefault((r["indicator"], r["unit_kind"], r["risk"]), []).append(
            (r["value"], r["sample"], r["condition"])
        )
    return {(i, u): old_tukey(v, risk, 5) for (i, u, risk), v in groups.items()}


def before_budget(budgets: list[dict]) -> dict[tuple[str, str], tuple[int, int]]:
    """The measures as flowviz took them before: on the published 計, every project (zeros
    included), no class."""

    def pct(num: int | None, den: int | None) -> Decimal | None:
        return Decimal(num) * 100 / den if num is not None and den else None

    old = {
        "execution_rate_pct": ("low", lambda b: pct(b["executed"], b["total"])),
        "carried_over_pct": (
            "high",
            lambda b: pct(
                None if b["carried_over"] is None else abs(b["carried_over"]), b["total"]
            ),
        ),
        "reserve_pct": ("high", lambda b: pct(b["reserve"], b["total"])),
        "over_plan_pct": (
            "high",
            lambda b: pct(b["executed"], (b["initial"] or 0) + (b["supplementary"] or 0) or None),
        ),
    }
    return {
        (name, "project"): old_tukey([(measure(b), 1, "") for b in budgets], risk, 1)
        for name, (risk, measure) in old.items()
    }


def shares(rows: list[dict]) -> dict[tuple[str, str], tuple[int, int]]:
    judged, flagged = Counter(), Counter()
    for r in rows:
        k = (r["indicator"], r["unit_kind"])
        judged[k] += r["judged"]
        flagged[k] += r["flagged"]
    return {k: (flagged[k], judged[k]) for k in judged}


def pct(pair: tuple[int, int] | None) -> str:
    if not pair or not pair[1]:
        return "—"
    return f"{pair[0]:>4} / {pair[1]:<4} {100 * pair[0] / pair[1]:5.1f} %"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path)
    ap.add_argument("--year", type=int, default=2024)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "flowviz.db"
        if not args.db:
            from flowviz.store.importer import import_paths

            files = sorted((DATA / "rs2024").glob("*.zip"))
            if not files:
                sys.exit(f"no data in {DATA}")
            import_paths(db, files)
        report(db, args.year)


def report(db: Path, year: int) -> None:
    from flowviz.analysis.budget_indicators import budget_indicators
    from flowviz.analysis.indicators import Settings, contract_indicators
    from flowviz.store.populations import budget_population, contract_population

    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    contracts, budgets = contract_population(con, year), budget_population(con, year)
    alert = Settings(control_limit_pct=Decimal(95))
    before, after, at95 = {}, {}, {}
    for unit in ("ministry", "bureau", "supplier", "project"):
        now = contract_indicators(contracts, unit)
        before |= before_contracts(now)
        after |= shares(now)
        at95 |= shares(contract_indicators(contracts, unit, alert))
    before |= before_budget(budgets)
    after |= shares(budget_indicators(budgets))
    at95 |= shares(budget_indicators(budgets, tail=alert.tail))
    print(f"sheets of {year}: units flagged / judged, before (Tukey), now, and now at 95 % limits")
    print(f"{'indicator':<24} {'unit':<9} {'before':>21}  {'now (99.8 %)':>21}  {'95 %':>21}")
    for k in sorted(set(before) | set(after)):
        cells = (pct(before.get(k)), pct(after.get(k)), pct(at95.get(k)))
        print(f"{k[0]:<24} {k[1]:<9} {cells[0]:>21}  {cells[1]:>21}  {cells[2]:>21}")


if __name__ == "__main__":
    main()
