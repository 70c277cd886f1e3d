"""What changed between two years: payees that appeared, vanished or changed, with amounts and
shares; projects that appeared or ended; and incumbents (the same payee year after year).

Pure functions over payee listings (one row per listed payee: ``payee``, ``corporate_number``,
``amount``, ``project``); :func:`load_diff` fetches them from the store for a project, a ministry
or the whole government. Amounts are the listed ones: old-format groups may pay each other, so a
scope's total can count money twice, as the sheets do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flowviz.analysis.common import pct
from flowviz.analysis.history import payee_key


@dataclass
class Diff:
    year_a: int
    year_b: int
    rows: list[dict[str, Any]] = field(default_factory=list)
    projects_new: list[str] = field(default_factory=list)
    projects_ended: list[str] = field(default_factory=list)
    total_a: int = 0
    total_b: int = 0


def _by_payee(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        k = payee_key(r["payee"], r["corporate_number"])
        e = out.setdefault(
            k,
            {
                "payee": r["payee"],
                "corporate_number": r["corporate_number"],
                "amount": 0,
                "methods": set(),
            },
        )
        e["amount"] += r["amount"] or 0
        if r.get("method"):
            e["methods"].add(r["method"])
    return out


def diff(
    year_a: int, rows_a: list[dict[str, Any]], year_b: int, rows_b: list[dict[str, Any]]
) -> Diff:
    """Payees new in ``year_b``, gone since ``year_a``, and changed, largest change first."""
    a, b = _by_payee(rows_a), _by_payee(rows_b)
    d = Diff(
        year_a,
        year_b,
        total_a=sum(x["amount"] for x in a.values()),
        total_b=sum(x["amount"] for x in b.values()),
    )
    for k in a.keys() | b.keys():
        xa, xb = a.get(k), b.get(k)
        amount_a = xa["amount"] if xa else None
        amount_b = xb["amount"] if xb else None
        status = (
            "new"
            if xa is None
            else "gone"
            if xb is None
            else "changed"
            if amount_a != amount_b
            else "same"
        )
        x = xb or xa
        methods_a = ", ".join(sorted(xa["methods"])) if xa else ""
        methods_b = ", ".join(sorted(xb["methods"])) if xb else ""
        d.rows.append(
            {
                "status": status,
                "payee": x["payee"],
                "corporate_number": x["corporate_number"],
                f"amount_{year_a}_yen": amount_a,
                f"amount_{year_b}_yen": amount_b,
                "change_yen": (amount_b or 0) - (amount_a or 0),
                f"share_{year_a}_pct": pct(amount_a, d.total_a),
                f"share_{year_b}_pct": pct(amount_b, d.total_b),
                "contract_method_change": f"{methods_a} → {methods_b}"
                if methods_a and methods_b and methods_a != methods_b
                else "",
            }
        )
    order = {"new": 0, "gone": 1, "changed": 2, "same": 3}
    d.rows.sort(key=lambda r: (order[r["status"]], -abs(r["change_yen"]), r["payee"]))
    pa = {r["project"] for r in rows_a}
    pb = {r["project"] for r in rows_b}
    d.projects_new, d.projects_ended = sorted(pb - pa), sorted(pa - pb)
    return d


def load_diff(
    con: Any,
    year_a: int,
    year_b: int,
    project: str | None = None,
    ministry: str | None = None,
    sheet_ministry: str | None = None,
    sheet_year: int | None = None,
) -> Diff:
    """Listings of two flow years for one project (its sheets across years), one ministry, or
    everything in the store, compared."""
    from flowviz.store.payee_listings import listings

    scope = (project, ministry, sheet_ministry, sheet_year)
    return diff(year_a, listings(con, year_a, *scope), year_b, listings(con, year_b, *scope))
