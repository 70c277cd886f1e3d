"""Old-format sheets in the store: tables, the all-or-nothing import, and lookups.

Tables (amounts INTEGER yen, converted exactly from the published 百万円; ``amount_text`` keeps
the figure as published):

- ``sheets``: sheet_key, year (公開年度), judgit_id, project_uid (JUDGIT's 事業ID, one project
  across years), number (事業番号), ministry, bureau, division, name, start_year, end_year, url,
  file, line — where the sheet came from.
- ``sheet_budgets``: sheet_key, year, budget_year, initial, supplementary, carried_in,
  carried_over, reserve, total, executed, request.
- ``sheet_payees``: sheet_key, year, flow_year, grp, rank, payee, corporate_number, summary,
  amount, amount_text. No column says who paid whom: the sheets do not publish it.
- ``sheet_links``: sheet_key, past_year, past_ministry, past_number (関連する過去のレビューシート).
- ``sheet_adjustments``: sheet_key, year, place, published, yen, reason — the published figures
  that are not a whole number of yen (float artifacts such as ``4.300000000000001``百万円, computed
  shares such as ``8.666666666666666``), each with the nearest yen taken. Nothing else changes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import Any

from flowviz.model import BUDGET_AMOUNTS
from flowviz.sources.judgit import Sheet

SHEET_COLUMNS = [
    "sheet_key",
    "year",
    "judgit_id",
    "project_uid",
    "number",
    "ministry",
    "bureau",
    "division",
    "name",
    "start_year",
    "end_year",
    "url",
    "file",
    "line",
]
BUDGET_COLUMNS = ["budget_year", *BUDGET_AMOUNTS, "request"]
PAYEE_COLUMNS = [
    "flow_year",
    "grp",
    "rank",
    "payee",
    "corporate_number",
    "summary",
    "amount",
    "amount_text",
]
_TEXT = {"sheet_key", "number", "ministry", "bureau", "division", "name", "url", "file", "grp"}
_TEXT |= {"payee", "corporate_number", "summary", "amount_text", "past_ministry", "past_number"}


def _cols(names: list[str]) -> str:
    return ", ".join(f"{c} {'TEXT' if c in _TEXT else 'INTEGER'}" for c in names)


DDL = [
    f"CREATE TABLE IF NOT EXISTS sheets ({_cols(SHEET_COLUMNS)}, PRIMARY KEY (sheet_key))",
    f"CREATE TABLE IF NOT EXISTS sheet_budgets ({_cols(['sheet_key', 'year', *BUDGET_COLUMNS])})",
    f"CREATE TABLE IF NOT EXISTS sheet_payees ({_cols(['sheet_key', 'year', *PAYEE_COLUMNS])})",
    "CREATE TABLE IF NOT EXISTS sheet_links (sheet_key TEXT, year INTEGER, past_year INTEGER,"
    " past_ministry TEXT, past_number TEXT)",
    "CREATE TABLE IF NOT EXISTS sheet_adjustments (sheet_key TEXT, year INTEGER, place TEXT,"
    " published TEXT, yen INTEGER, reason TEXT)",
]
INDEXES = [
    "CREATE INDEX IF NOT EXISTS sheets_uid ON sheets (project_uid)",
    "CREATE INDEX IF NOT EXISTS sheets_number ON sheets (number, ministry)",
    "CREATE INDEX IF NOT EXISTS sheet_budgets_key ON sheet_budgets (sheet_key)",
    "CREATE INDEX IF NOT EXISTS sheet_payees_key ON sheet_payees (sheet_key)",
    "CREATE INDEX IF NOT EXISTS sheet_payees_corp ON sheet_payees (corporate_number)",
    "CREATE INDEX IF NOT EXISTS sheet_payees_payee ON sheet_payees (payee)",
    "CREATE INDEX IF NOT EXISTS sheet_links_key ON sheet_links (sheet_key)",
]
TABLES = ("sheets", "sheet_budgets", "sheet_payees", "sheet_links", "sheet_adjustments")


def store_sheets(
    con: sqlite3.Connection,
    sheets: Iterable[Sheet],
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Insert sheets inside the caller's transaction, replacing every 公開年度 they cover.

    ``sheets`` may be a lazy reader: an error while reading rolls the caller's transaction back.
    Returns rows per (file, year).
    """
    replaced: set[int] = set()
    counts: dict[tuple[str, int], int] = {}
    batch: dict[str, list[tuple[Any, ...]]] = {t: [] for t in TABLES}
    for s in sheets:
        if s.year not in replaced:
            replaced.add(s.year)
            for t in TABLES:
                con.execute(f"DELETE FROM {t} WHERE year = ?", (s.year,))
            con.execute("DELETE FROM imports WHERE kind = 'judgit' AND year = ?", (s.year,))
        batch["sheets"].append(
            tuple(getattr(s, c if c != "sheet_key" else "key") for c in SHEET_COLUMNS)
        )
        batch["sheet_budgets"] += [
            (s.key, s.year, *(b[c] for c in BUDGET_COLUMNS)) for b in s.budgets
        ]
        batch["sheet_payees"] += [(s.key, s.year, *(p[c] for c in PAYEE_COLUMNS)) for p in s.payees]
        batch["sheet_links"] += [
            (s.key, s.year, k["past_year"], k["past_ministry"], k["past_number"]) for k in s.links
        ]
        batch["sheet_adjustments"] += [
            (s.key, s.year, a["place"], a["published"], a["yen"], a["reason"])
            for a in s.adjustments
        ]
        counts[(s.file, s.year)] = counts.get((s.file, s.year), 0) + 1
        if len(batch["sheets"]) >= 2000:
            _flush(con, batch)
        if progress:
            progress(1)
    _flush(con, batch)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    con.executemany(
        "INSERT INTO imports VALUES (?, 'judgit', ?, ?, ?)",
        [(f, y, n, now) for (f, y), n in sorted(counts.items())],
    )
    return {f"{f} ({y})": n for (f, y), n in counts.items()}


def _flush(con: sqlite3.Connection, batch: dict[str, list[tuple[Any, ...]]]) -> None:
    for table, rows in batch.items():
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            verb = "INSERT OR REPLACE" if table == "sheets" else "INSERT"
            con.executemany(f"{verb} INTO {table} VALUES ({marks})", rows)
            rows.clear()
