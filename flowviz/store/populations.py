"""The populations the indicators are judged against: every contract and every project budget
of a sheet year, with the organisation units and the published row each came from."""

from __future__ import annotations

import sqlite3
from typing import Any

from flowviz.store.db import query
from flowviz.store.questions import ContractFilter, choose_year, contract_rows


def contract_population(con: sqlite3.Connection, year: int | None = None) -> list[dict[str, Any]]:
    """Every published contract of the year (5-4, and 5-1 when loaded) with its buyer units
    (ministry, bureau, division) and its supplier."""
    rows = contract_rows(con, ContractFilter(year=year)).rows
    divisions = {
        (r["year"], r["project_id"]): (r["bureau"], r["division"])
        for r in query(con, "SELECT year, project_id, bureau, division FROM projects")
    }
    for r in rows:
        r["bureau"], r["division"] = divisions.get((r["year"], r["project_id"]), ("", ""))
        r["supplier"] = r["corporate_number"] or r["payee"]
    return rows


def budget_population(con: sqlite3.Connection, year: int | None = None) -> list[dict[str, Any]]:
    """One budget row per project of the sheet year, for the year its money was spent (the
    sheet of 2024 reports FY2023): RS 2-1 project rows, or the old-format 予算 rows;
    ``multi_year`` when the project has published 5-4 contracts (国庫債務負担行為等)."""
    year = choose_year(con, year)
    rs = query(
        con,
        "SELECT p.ministry, b.project_id, p.name AS project, b.initial, b.supplementary,"
        " b.carried_in, b.reserve, b.total, b.executed, b.carried_over,"
        " '2-1 line ' || b.line AS source, EXISTS (SELECT 1 FROM contracts c WHERE c.year ="
        " b.year AND c.project_id = b.project_id AND COALESCE(c.payee, '') <> '') AS multi_year"
        " FROM budgets b JOIN projects p ON p.year = b.year AND p.project_id = b.project_id"
        " WHERE b.year = ? AND b.budget_year = ? AND b.total IS NOT NULL"
        " AND COALESCE(b.account, '') = ''",
        (year, year - 1),
    )
    old = query(
        con,
        "SELECT s.ministry, s.number AS project_id, s.name AS project, b.initial,"
        " b.supplementary, b.carried_in, b.reserve, b.total, b.executed, b.carried_over,"
        " 'old-format ' || s.sheet_key || ' 予算 ' || b.budget_year AS source, 0 AS multi_year"
        " FROM sheet_budgets b JOIN sheets s ON s.sheet_key = b.sheet_key"
        " WHERE s.year = ? AND b.budget_year = ? AND b.total IS NOT NULL",
        (year, year - 1),
    )
    return rs + old
