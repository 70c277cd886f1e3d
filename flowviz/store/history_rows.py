"""The rows a project's history needs, from every source in the store, in one shape."""

from __future__ import annotations

import sqlite3
from typing import Any

from flowviz.model import BUDGET_AMOUNTS
from flowviz.store.db import query
from flowviz.store.identity_links import Resolver
from flowviz.store.projects_across_years import Family

_OLD_FIELDS = ", ".join((*BUDGET_AMOUNTS, "request"))


def budget_rows(con: sqlite3.Connection, fam: Family) -> list[dict[str, Any]]:
    """One row per (sheet, budget year): old-format 予算 rows and RS 2-1 total rows.

    RS 2-1's 計 is 歳出予算現額 (翌年度繰越し not subtracted), the old sheets' 予算計 subtracts it:
    ``definition`` says which.
    """
    out = []
    for m in fam.members:
        out += _old_budget(con, m) if m.source == "old" else _rs_budget(con, m)
    return out


def _old_budget(con: sqlite3.Connection, m: Any) -> list[dict[str, Any]]:
    rows = query(
        con, f"SELECT budget_year, {_OLD_FIELDS} FROM sheet_budgets WHERE sheet_key = ?", (m.key,)
    )
    sheet = f"{m.year} sheet {m.number}"
    return [{**r, "sheet": sheet, "sheet_year": m.year, "definition": "sheet"} for r in rows]


_MONEY = BUDGET_AMOUNTS


def _rs_budget(con: sqlite3.Connection, m: Any) -> list[dict[str, Any]]:
    """2-1 total rows; next year's request (翌年度要求額) becomes that year's ``request``."""
    sheet = f"{m.year} RS {m.number}"
    out = []
    for r in query(
        con,
        f"SELECT budget_year, {', '.join(_MONEY)}, next_request FROM budgets WHERE year = ?"
        " AND project_id = ? AND (account IS NULL OR account = '') AND budget_year IS NOT NULL",
        (m.year, m.number),
    ):
        req = r.pop("next_request")
        out.append({**r, "request": None, "sheet": sheet, "sheet_year": m.year, "definition": "rs"})
        if r["budget_year"] == m.year and req is not None:
            out.append(
                {
                    "budget_year": m.year + 1,
                    "request": req,
                    "sheet": sheet,
                    "sheet_year": m.year,
                    "definition": "rs",
                    **dict.fromkeys(_MONEY),
                }
            )
    return out


def payee_rows(con: sqlite3.Connection, fam: Family) -> list[dict[str, Any]]:
    """One row per listed payee and year: old-format 支出先 rows, RS 5-3 lines summed per payee;
    each with its ``organisation`` and how it joined it (:class:`identity_links.Resolver`)."""
    out: list[dict[str, Any]] = []
    who = Resolver(con)
    for m in fam.members:
        start = len(out)
        if m.source == "old":
            out += [
                {**r, "sheet": m.key}
                for r in query(
                    con,
                    "SELECT flow_year, grp, payee, corporate_number, amount FROM sheet_payees"
                    " WHERE sheet_key = ? ORDER BY grp, rank",
                    (m.key,),
                )
            ]
        else:
            out += [
                {**r, "flow_year": m.year - 1, "sheet": m.key}
                for r in query(
                    con,
                    "SELECT block AS grp, payee, corporate_number, SUM(amount) AS amount FROM expenses"
                    " WHERE year = ? AND project_id = ? AND payee != '' GROUP BY block, payee, corporate_number",
                    (m.year, m.number),
                )
            ]
        for r in out[start:]:
            r["organisation"], r["identity"] = who.key(r["corporate_number"], r["payee"], m.year)
            if r["identity"] == "linked":
                r["organisation_name"] = who.name(r["organisation"])
    return out
