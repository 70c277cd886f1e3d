"""The published rows behind a finding: which file, which line, and the cells as stored
(amounts in yen exactly as the RS files publish them; old-format amounts also as published)."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from flowviz.store.db import TABLES, query

MAX_ROWS = 50
_LINE = re.compile(r"^(\d-\d) line (\d+)$")


def _file(con: sqlite3.Connection, kind: str, year: int) -> str:
    row = con.execute(
        "SELECT file FROM imports WHERE kind = ? AND year = ? ORDER BY rowid DESC LIMIT 1",
        (kind, year),
    ).fetchone()
    return row[0] if row else f"({kind} of {year})"


def _rows(con, kind: str, year: int, where: str, params: list) -> list[dict[str, Any]]:  # noqa: ANN001
    table = TABLES[kind][0]
    found = query(
        con, f"SELECT * FROM {table} WHERE year = ? AND {where} LIMIT {MAX_ROWS}", [year, *params]
    )
    file = _file(con, kind, year)
    return [{"file": file, "line": r.pop("line"), "cells": r} for r in found]


def rs_rows(
    con: sqlite3.Connection, year: int, project_id: str, finding: dict[str, Any]
) -> list[dict[str, Any]]:
    """Rows of one RS project behind a flag: the contract row it names, else the 5-2 links into
    and the 5-3 lines of the organisation's block."""
    cid = finding.get("contract_id") or ""
    if re.match(r"^\d-\d:\d+$", cid):
        kind, line = cid.split(":")
        return _rows(con, kind, year, "project_id = ? AND line = ?", [project_id, int(line)])
    block = (finding.get("entity_id") or "").split("/")[0]
    if not block or block == "ministry":
        return []
    out = _rows(con, "5-2", year, "project_id = ? AND to_block = ?", [project_id, block])
    out += _rows(con, "5-3", year, "project_id = ? AND block = ?", [project_id, block])
    return out + _rows(con, "5-4", year, "project_id = ? AND block = ?", [project_id, block])


def sheet_rows(
    con: sqlite3.Connection, sheet_key: str, finding: dict[str, Any]
) -> list[dict[str, Any]]:
    """An old-format sheet's source line and the 支出先 rows of the organisation named."""
    sheet = query(con, "SELECT file, line FROM sheets WHERE sheet_key = ?", [sheet_key])
    if not sheet:
        return []
    where, params = "sheet_key = ?", [sheet_key]
    if finding.get("entity"):
        where += " AND payee = ?"
        params.append(finding["entity"])
    cells = query(con, f"SELECT * FROM sheet_payees WHERE {where} LIMIT {MAX_ROWS}", params)
    return [{"file": sheet[0]["file"], "line": sheet[0]["line"], "cells": c} for c in cells] or [
        {"file": sheet[0]["file"], "line": sheet[0]["line"], "cells": {"sheet_key": sheet_key}}
    ]


def source_rows(
    con: sqlite3.Connection, doc_file: str, finding: dict[str, Any]
) -> list[dict[str, Any]]:
    """Rows behind a finding of a stored document (``store:2024/7259`` or ``store:Y:府省庁:番号``)."""
    if not doc_file.startswith("store:"):
        return []
    key = doc_file.removeprefix("store:")
    if "/" in key:
        year, project_id = key.split("/", 1)
        return rs_rows(con, int(year), project_id, finding)
    return sheet_rows(con, key, finding)


def rows_by_source(con: sqlite3.Connection, year: int, sources: list[str]) -> list[dict[str, Any]]:
    """Rows named ``5-4 line 8069`` / ``2-1 line 34816`` (indicator evidence), at most MAX_ROWS."""
    out = []
    for s in sources[:MAX_ROWS]:
        m = _LINE.match(s or "")
        old = _OLD_BUDGET.match(s or "")
        if m:
            out += _rows(con, m.group(1), year, "line = ?", [int(m.group(2))])
        elif old:
            out += _sheet_budget(con, old.group(1), int(old.group(2)))
    return out


_OLD_BUDGET = re.compile(r"^old-format (\S+) 予算 (\d{4})$")


def _sheet_budget(con: sqlite3.Connection, key: str, budget_year: int) -> list[dict[str, Any]]:
    sheet = query(con, "SELECT file, line FROM sheets WHERE sheet_key = ?", [key])
    cells = query(
        con,
        "SELECT * FROM sheet_budgets WHERE sheet_key = ? AND budget_year = ?",
        [key, budget_year],
    )
    return [
        {"file": sheet[0]["file"], "line": sheet[0]["line"], "cells": c} for c in cells if sheet
    ]
