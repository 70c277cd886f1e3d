"""``payee_totals_by_year``, computed once at import: listed payments per organisation, flow
year, ministry and source (RS 5-3, old-format), with every row's figure judged once by
:mod:`flowviz.suspect` against its own project's 執行額 — suspect figures are summed apart
(``suspect_yen``, ``suspect_rows``), so the everyday total never ranks a unit slip first."""

from __future__ import annotations

import sqlite3
from typing import Any

from flowviz import suspect
from flowviz.store.budget_lookup import project_budgets

COLUMNS = (
    "corporate_number TEXT, payee TEXT, flow_year INTEGER, ministry TEXT, amount_yen INTEGER,"
    " rows INTEGER, suspect_yen INTEGER, suspect_rows INTEGER, source TEXT"
)
#: every listed payment with the key of its project's budget (project_budgets' keys)
_ROWS = """
SELECT e.corporate_number, e.payee, e.year - 1, p.ministry, e.amount, 'RS 5-3',
       e.year, NULL, e.project_id
  FROM expenses e LEFT JOIN projects p ON p.year = e.year AND p.project_id = e.project_id
UNION ALL
SELECT sp.corporate_number, sp.payee, sp.flow_year, s.ministry, sp.amount, 'old-format',
       s.year, s.ministry, s.number
  FROM sheet_payees sp JOIN sheets s ON s.sheet_key = sp.sheet_key
"""


def rebuild_payee_totals(con: sqlite3.Connection) -> None:
    """Refill the table from the stored rows (inside the caller's transaction)."""
    rows = con.execute(_ROWS).fetchall()
    budgets = project_budgets(con, {(r[6], r[7], r[8]) for r in rows})
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for number, payee, flow_year, ministry, amount, source, year, key_ministry, pid in rows:
        g = groups.setdefault((number, payee, flow_year, ministry, source), [None, 0, None, 0])
        executed = budgets.get((year, key_ministry, pid), {}).get("executed")
        if amount is not None and suspect.payment(amount, executed):
            g[2], g[3] = (g[2] or 0) + amount, g[3] + 1
        else:  # an unknown amount is counted as a row, never as 0
            g[0] = g[0] if amount is None else (g[0] or 0) + amount
            g[1] += 1
    con.execute("DELETE FROM payee_totals_by_year")
    con.executemany(
        "INSERT INTO payee_totals_by_year VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(*k[:4], *v, k[4]) for k, v in groups.items()],
    )
