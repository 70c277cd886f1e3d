"""Every project of a sheet year as flow documents, for the store-wide questions and exports:
RS projects of that year, or its old-format sheets, of one ministry when asked (part of its
name). A bound on the payee rows is checked before any document is built."""

from __future__ import annotations

import sqlite3

from flowviz.exceptions import StoreError
from flowviz.model import FlowDocument
from flowviz.store.queries import find_projects


def year_documents(
    con: sqlite3.Connection, year: int, ministry: str | None, max_rows: int | None = None
) -> list[FlowDocument]:
    """The documents of ``year``; ``ValueError(rows)`` when they hold more than ``max_rows``
    payee rows (the caller says what to do instead)."""
    from flowviz.store.rs_document import document_from_store
    from flowviz.store.sheet_document import document_from_sheet

    rs = [p["project_id"] for p in find_projects(con, None, ministry, year)]
    sql = "SELECT sheet_key, (SELECT COUNT(*) FROM sheet_payees p WHERE p.sheet_key = s.sheet_key)"
    sql += " FROM sheets s WHERE year = ? AND ministry LIKE ? ORDER BY sheet_key"
    sheets = con.execute(sql, (year, f"%{ministry or ''}%")).fetchall()
    if not rs and not sheets:
        if ministry:
            from flowviz.store.suggest import check_ministry

            check_ministry(con, ministry)
        where = f" of {ministry}" if ministry else ""
        raise StoreError(
            f"no projects{where} in {year}; check with: flowviz projects --year {year}"
        )
    rows = sum(n for _, n in sheets) + _rs_rows(con, year, rs)
    if max_rows is not None and rows > max_rows:
        raise ValueError(f"{rows:,}")
    return [document_from_store(con, year, pid) for pid in rs] + [
        document_from_sheet(con, key) for key, _ in sheets
    ]


def _rs_rows(con: sqlite3.Connection, year: int, pids: list[str]) -> int:
    if not pids:
        return 0
    marks = ",".join("?" * len(pids))
    sql = f"SELECT COUNT(*) FROM expenses WHERE year = ? AND project_id IN ({marks})"
    return con.execute(sql, (year, *pids)).fetchone()[0]
