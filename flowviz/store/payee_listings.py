"""Payee listings of one flow year, for a project, a ministry or everything: old-format
支出先 rows and RS 5-3 lines summed per payee, in one shape (``payee``, ``corporate_number``,
``amount`` yen, ``project``, ``method``, ``lineage``: the sheet's key or RS id, to be joined
with :func:`flowviz.store.lineage.lineage_ids`)."""

from __future__ import annotations

import sqlite3
from typing import Any

from flowviz.store.db import query
from flowviz.store.identity_links import Resolver
from flowviz.store.projects_across_years import Family, Member
from flowviz.store.queries import like

_OLD = (
    "SELECT sp.payee, sp.corporate_number, sp.amount, s.ministry || ' ' || s.number AS project,"
    " NULL AS method, s.sheet_key AS lineage FROM sheet_payees sp JOIN sheets s ON s.sheet_key = sp.sheet_key"
)
_RS = (
    "SELECT e.payee, e.corporate_number, SUM(e.amount) AS amount, p.ministry || ' RS ' || e.project_id"
    " AS project, (SELECT GROUP_CONCAT(DISTINCT c.method) FROM contracts c WHERE c.year = e.year"
    " AND c.project_id = e.project_id AND c.corporate_number = e.corporate_number) AS method,"
    " 'rs:' || e.year || ':' || e.project_id AS lineage"
    " FROM expenses e JOIN projects p ON p.year = e.year AND p.project_id = e.project_id"
)
_RS_GROUP = " GROUP BY e.year, e.project_id, e.block, e.payee, e.corporate_number"


def lineage_listings(
    con: sqlite3.Connection, fam: Family, flow_year: int
) -> tuple[list[dict[str, Any]], list[Member]]:
    """Every listed payee of ``flow_year`` in the sheets of one lineage, and those sheets (none:
    the lineage has no sheet for that year, which is not a year of 0円)."""
    listed_in = flow_year + 1  # the sheet that lists ``flow_year``'s payees
    out: list[dict[str, Any]] = []
    sheets = [m for m in fam.members if m.year == listed_in]
    for m in sheets:
        if m.source == "old":
            out += query(con, _OLD + " WHERE sp.sheet_key = ?", (m.key,))
        else:
            out += query(
                con,
                _RS + " WHERE e.year = ? AND e.project_id = ? AND e.payee != ''" + _RS_GROUP,
                (m.year, m.number),
            )
    return with_identity(con, [{**r, "lineage": "lineage"} for r in out], listed_in), sheets


def with_identity(
    con: sqlite3.Connection, rows: list[dict[str, Any]], sheet_year: int
) -> list[dict[str, Any]]:
    """Each row with its ``organisation`` and ``identity`` (how it joined it), as ``history``
    and ``payee`` resolve them (:class:`flowviz.store.identity_links.Resolver`)."""
    who = Resolver(con)
    for r in rows:
        r["organisation"], r["identity"] = who.key(r["corporate_number"], r["payee"], sheet_year)
    return rows


def listings(
    con: sqlite3.Connection, flow_year: int, ministry: str | None = None
) -> list[dict[str, Any]]:
    """Every listed payee of ``flow_year`` (the sheet of year ``flow_year + 1``), of one ministry
    or of everything."""
    cond_old, cond_rs, params = "sp.year = ?", "e.year = ? AND e.payee != ''", [flow_year + 1]
    if ministry:
        cond_old += " AND s.ministry LIKE ? ESCAPE '\\'"
        cond_rs += " AND p.ministry LIKE ? ESCAPE '\\'"
        params.append(like(ministry))
    rows = query(con, f"{_OLD} WHERE {cond_old}", params) + query(
        con, f"{_RS} WHERE {cond_rs}{_RS_GROUP}", params
    )
    return with_identity(con, rows, flow_year + 1)
