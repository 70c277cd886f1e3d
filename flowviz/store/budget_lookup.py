"""Each project's own budget figures, the one place every suspect judgement of the store
(:mod:`flowviz.suspect`) reads them from: the flow year's 執行額 and the largest yearly 計 or
執行額. Apart from :mod:`flowviz.store.queries` so that the import's last step (the derived
tables) can judge figures too without an import circle."""

from __future__ import annotations

import sqlite3
from typing import Any

from flowviz.store.identity import query

_RS_BUDGETS = """
SELECT year, NULL AS ministry, project_id, MAX(CASE WHEN budget_year = year - 1 THEN executed END) AS executed,
       MAX(MAX(COALESCE(total, 0), COALESCE(executed, 0))) AS budget
  FROM budgets WHERE (account IS NULL OR account = '') AND budget_year IS NOT NULL AND year = ?{only}
 GROUP BY project_id
"""
_OLD_BUDGETS = """
SELECT s.year, s.ministry, s.number AS project_id,
       MAX(CASE WHEN b.budget_year = s.year - 1 THEN b.executed END) AS executed,
       MAX(MAX(COALESCE(b.total, 0), COALESCE(b.executed, 0))) AS budget
  FROM sheets s JOIN sheet_budgets b ON b.sheet_key = s.sheet_key WHERE s.year = ?{only}
 GROUP BY s.sheet_key
"""


def project_budgets(con: sqlite3.Connection, keys: set[tuple]) -> dict[tuple, dict[str, Any]]:
    """``executed`` (the flow year's 執行額) and ``budget`` (the largest yearly 計 or 執行額) per
    project: keys ``(year, None, project_id)`` for RS, ``(year, ministry, number)`` for
    old-format sheets. One query per sheet year and format (indexed by year), the one place
    every suspect judgement of the store reads its budget from."""
    out: dict[tuple, dict[str, Any]] = {}
    for year, old in sorted({(k[0], k[1] is not None) for k in keys}):
        mine = [k for k in keys if k[0] == year and (k[1] is not None) == old]
        sql, params, only = _OLD_BUDGETS if old else _RS_BUDGETS, [year], ""
        if len(mine) <= 500:  # a few projects (one payee's): read those, not the whole year
            marks = ", ".join("?" * len(mine))
            only = f" AND s.sheet_key IN ({marks})" if old else f" AND project_id IN ({marks})"
            params += [f"{k[0]}:{k[1]}:{k[2]}" if old else k[2] for k in mine]
        for b in query(con, sql.format(only=only), params):
            key = (b["year"], b["ministry"], b["project_id"])
            if key in keys:
                out[key] = b
    return out
