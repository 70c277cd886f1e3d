"""Questions to the store, answered in SQL: projects, and everything about one organisation."""

from __future__ import annotations

import sqlite3
from typing import Any

from flowviz import corpnum
from flowviz.exceptions import StoreError
from flowviz.money import format_yen
from flowviz.store.db import query


def like(text: str) -> str:
    """A LIKE pattern that matches ``text`` literally (``%`` and ``_`` escaped with ``\\``)."""
    esc = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{esc}%"


def find_projects(
    con: sqlite3.Connection,
    text: str | None = None,
    ministry: str | None = None,
    year: int | None = None,
) -> list[dict[str, Any]]:
    """Projects whose id, name or ministry contains ``text`` (id matches exactly first)."""
    where, params = [], []
    if year:
        where.append("p.year = ?")
        params.append(year)
    if ministry:
        where.append("p.ministry LIKE ? ESCAPE '\\'")
        params.append(like(ministry))
    if text:
        where.append(
            "(p.project_id = ? OR p.name LIKE ? ESCAPE '\\' OR p.ministry LIKE ? ESCAPE '\\' OR p.bureau LIKE ? ESCAPE '\\')"
        )
        params += [text, like(text), like(text), like(text)]
    sql = (
        "SELECT p.year, p.project_id, p.name, p.ministry, p.bureau,"
        " (SELECT COALESCE(SUM(amount), 0) FROM expenses e WHERE e.year = p.year AND e.project_id = p.project_id) AS expenses_5_3_yen,"
        " (SELECT COUNT(DISTINCT to_block) FROM block_links b WHERE b.year = p.year AND b.project_id = p.project_id AND to_block != '') AS blocks"
        " FROM projects p"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY p.year, CAST(p.ministry_order AS INTEGER), CAST(p.project_id AS INTEGER)"
    )
    return query(con, sql, params)


def payee_rows(con: sqlite3.Connection, text: str, year: int | None = None) -> list[dict[str, Any]]:
    """Every published record of an organisation, by 法人番号 or part of its name: payments
    (5-3 lines summed per block, 5-1 payee totals) and contracts (5-1 contract rows, 5-4), each
    with its own amount — a contract's 契約額 is never a payment."""
    n = corpnum.normalise(text)
    if len(n) == 13 and n.isdigit():
        why = corpnum.problem(n)
        if why:
            raise StoreError(f"{text!r} is not a valid 法人番号: {why}")
        cond, params = "corporate_number = ?", [n]
    else:
        cond, params = "payee LIKE ? ESCAPE '\\'", [like(text.strip())]
    yc, yp = (" AND year = ?", [year]) if year else ("", [])
    sql = f"""
    SELECT year, project_id, block, payee, corporate_number, '5-3 payment' AS record,
           SUM(amount) AS amount_yen, NULL AS contract_value_yen, NULL AS contract_method,
           NULL AS bidders, NULL AS award_rate, NULL AS reason, MIN(line) AS line
      FROM expenses WHERE {cond}{yc} GROUP BY year, project_id, block, payee, corporate_number
    UNION ALL
    SELECT year, project_id, block, payee, corporate_number, '5-1 payment', MAX(payee_total),
           NULL, NULL, NULL, NULL, NULL, MIN(line)
      FROM payments WHERE {cond}{yc} AND payee != '' AND payee_total IS NOT NULL
      GROUP BY year, project_id, block, payee, corporate_number
    UNION ALL
    SELECT year, project_id, block, payee, corporate_number, '5-1 contract', NULL, amount,
           method, bidders, award_rate, reason, line
      FROM payments WHERE {cond}{yc} AND (method != '' OR contract_summary != '')
    UNION ALL
    SELECT year, project_id, block, payee, corporate_number, '5-4 contract', NULL, amount,
           method, bidders, award_rate, reason, line
      FROM contracts WHERE {cond}{yc}
    """
    rows = query(
        con,
        f"SELECT r.year, r.project_id, p.name AS project, p.ministry, r.* FROM ({sql}) r"
        " LEFT JOIN projects p ON p.year = r.year AND p.project_id = r.project_id"
        " ORDER BY COALESCE(r.amount_yen, r.contract_value_yen) DESC, r.year,"
        " CAST(r.project_id AS INTEGER), r.block, r.line",
        (params + yp) * 4,
    )
    from flowviz.money import parse_rate

    for r in rows:
        r["award_rate"] = parse_rate(r["award_rate"])
    return rows


def payee_footer(rows: list[dict[str, Any]]) -> str:
    """Totals under the ``payee`` table: payments and contract values, never added together."""
    pays = [r for r in rows if r["record"].endswith("payment")]
    cons = [r for r in rows if r["record"].endswith("contract")]
    paid = sum(r["amount_yen"] or 0 for r in pays)
    value = sum(r["contract_value_yen"] or 0 for r in cons)
    return (
        f"{len(pays)} payments, total {format_yen(paid)}; {len(cons)} contracts, contract value"
        f" {format_yen(value)} (契約額, not payments)"
    )
