"""The local store: one SQLite file (see :func:`store_path`) that any SQL tool can open.

Tables (amounts are INTEGER yen, rates are REAL numbers that compare in SQL and print as published):

- ``imports``: file, kind, year, rows, imported_at — what was loaded.
- ``projects``: year, project_id, name, ministry, ministry_order, policy_ministry, bureau,
  department, division, office, responsible.
- ``budgets`` (2-1): year, project_id, line, budget_year, initial, supplementary, carried_in,
  reserve, total, executed, execution_rate, carried_over, next_request, account, account_name,
  account_initial, account_total, account_executed.
- ``block_links`` (5-2): year, project_id, line, from_block, from_name, from_ministry, to_block,
  to_name, link_type, overhead, overhead_item, overhead_amount.
- ``payments`` (5-1): year, project_id, line, block, block_name, payee_count, role, block_total,
  payee, corporate_number, location, corp_kind, others, payee_total, contract_summary, amount,
  method, method_detail, bidders, award_rate, reason, other_contracts.
- ``expenses`` (5-3): year, project_id, line, block, payee, corporate_number, contract_summary,
  expense_item, purpose, amount.
- ``contracts`` (5-4): year, project_id, line, block, payee, corporate_number, location,
  corp_kind, contract_summary, amount, method, method_detail, bidders, award_rate, reason.

Importing a year replaces that year's rows of the same file kind, inside one transaction:
either every file lands or the previous store stays as it was.
"""

from __future__ import annotations

import operator
import os
import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from flowviz.exceptions import StoreError
from flowviz.sources.judgit import Sheet
from flowviz.sources.rs_csv import RSFile
from flowviz.sources.rs_spec import KINDS
from flowviz.store.foreign import refuse_foreign, schema_version
from flowviz.store.identity import rebuild_names
from flowviz.store.metadata import (
    CORP_KIND_CODES,
    DERIVED,
    DERIVED_DDL,
    DERIVED_INDEXES,
    VIEWS,
    rebuild_derived,
)
from flowviz.store.replacing import refuse_shrinking, stored_counts
from flowviz.store.sheets import DDL as SHEET_DDL
from flowviz.store.sheets import INDEXES as SHEET_INDEXES
from flowviz.store.sheets import store_sheets

SCHEMA_VERSION = 6
#: layouts this flowviz upgrades in place (views and search tables rebuilt; no table changes).
#: 4: project_depths counts no hop for a 5-3 placeholder row with no payee and no amount; search
#: tables declared as Datasette detects them, and old-format payee names searchable
#: 5: payee_totals_by_year and project_depths are tables computed at import (were views)
#: 6: payee_totals_by_year sums suspect figures apart (suspect_yen, suspect_rows)
UPGRADABLE = {2, 3, 4, 5}

#: full-text search (SQLite FTS5, trigram: any 3+ characters of Japanese text match) over the
#: names people look for. ``content="table"`` in double quotes is the form Datasette detects, so
#: every table below gets a search box and ``?_search=``. Old-format 支出先 rows (700k) are
#: indexed on the payee name only (benchmarks/store_search.py measures the cost).
FTS = {
    "projects": ("name", "ministry", "bureau"),
    "sheets": ("name", "ministry", "bureau"),
    "expenses": ("payee", "contract_summary", "purpose"),
    "contracts": ("payee", "contract_summary"),
    "payments": ("payee", "contract_summary"),
    "sheet_payees": ("payee",),
}
FTS_DDL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {t}_fts USING fts5({', '.join(cols)},"
    f' content="{t}", tokenize="trigram")'
    for t, cols in FTS.items()
]

#: file kind → (table, columns): the columns are the published file's fields, in the spec's order
TABLE_NAMES = {
    "2-1": "budgets",
    "5-1": "payments",
    "5-2": "block_links",
    "5-3": "expenses",
    "5-4": "contracts",
}
TABLES: dict[str, tuple[str, list[str]]] = {
    kind: (table, list(KINDS[kind][2])) for kind, table in TABLE_NAMES.items()
}
PROJECT_COLUMNS = [
    "name",
    "ministry",
    "ministry_order",
    "policy_ministry",
    "bureau",
    "department",
    "division",
    "office",
    "responsible",
]
# SQL column types follow the file spec: amounts, counts and booleans are INTEGER.
_SQL_TYPES = {"yen": "INTEGER", "int": "INTEGER", "bool": "INTEGER", "decimal": "REAL"}
_COLUMN_TYPES = {
    field: _SQL_TYPES.get(typ, "TEXT")
    for _, _, fields in KINDS.values()
    for field, (_, typ) in fields.items()
}


def _ddl() -> str:
    parts = [
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
        "CREATE TABLE IF NOT EXISTS imports (file TEXT, kind TEXT, year INTEGER, rows INTEGER, imported_at TEXT)",
        "CREATE TABLE IF NOT EXISTS projects (year INTEGER, project_id TEXT, "
        + ", ".join(f"{c} TEXT" for c in PROJECT_COLUMNS)
        + ", PRIMARY KEY (year, project_id))",
    ]
    for table, cols in TABLES.values():
        coldefs = ", ".join(f"{c} {_COLUMN_TYPES.get(c, 'TEXT')}" for c in cols)
        parts.append(
            f"CREATE TABLE IF NOT EXISTS {table} (year INTEGER, project_id TEXT, line INTEGER, {coldefs})"
        )
    return ";\n".join(parts + SHEET_DDL + VIEWS + DERIVED_DDL + FTS_DDL + INDEXES) + ";"


INDEXES = [
    *(
        f"CREATE INDEX IF NOT EXISTS {t}_project ON {t} (year, project_id)"
        for t, _ in TABLES.values()
    ),
    "CREATE INDEX IF NOT EXISTS expenses_corp ON expenses (corporate_number)",
    "CREATE INDEX IF NOT EXISTS contracts_corp ON contracts (corporate_number)",
    "CREATE INDEX IF NOT EXISTS payments_corp ON payments (corporate_number)",
    "CREATE INDEX IF NOT EXISTS expenses_payee ON expenses (payee)",
    "CREATE INDEX IF NOT EXISTS contracts_payee ON contracts (payee)",
    *SHEET_INDEXES,
    *DERIVED_INDEXES,
]


def describe_fault(exc: Exception) -> str:
    """One line for a fault of the SQLite store, saying what to do."""
    msg = str(exc)
    if "locked" in msg or "busy" in msg:
        return (
            "the store is locked by another process (another flowviz import?); wait for it to"
            " finish and run the command again"
        )
    if "readonly" in msg or "read-only" in msg:
        return (
            "the store is read-only; give a writable --db (or FLOWVIZ_DB), or fix its permissions"
        )
    if "disk" in msg and "full" in msg:
        return "the disk is full; free space and run the import again (the store was not changed)"
    if "no such table" in msg or "no such column" in msg:
        return f"the store lacks part of its layout ({msg}); import the files again into a new --db"
    return (
        f"the store could not answer: {msg}; check --db, or import the files again into a new --db"
    )


def store_path(db: str | Path | None = None) -> Path:
    """Where the store is: ``db`` when given, else ``$FLOWVIZ_DB``, else ``flowviz.db`` in the
    user's data folder (``~/.local/share/flowviz`` on Linux, via platformdirs), so every
    command finds the same store from any folder."""
    if db:
        return Path(db)
    if os.environ.get("FLOWVIZ_DB"):
        return Path(os.environ["FLOWVIZ_DB"])
    from platformdirs import user_data_path

    return user_data_path("flowviz") / "flowviz.db"


def connect(db: str | Path | None = None, *, create: bool = False) -> sqlite3.Connection:
    """Open the store; without ``create`` a missing store is an error that says how to make one."""
    p = store_path(db)
    if create:
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder of the store {p}: {exc.strerror}") from None
    if not create and not p.exists():
        raise StoreError(
            f"no store at {p}; import the RS-system files first: flowviz import ../shared/data/rs2024/*.zip"
        )
    try:
        # wait this long for another process's lock before saying so (FLOWVIZ_DB_TIMEOUT, s)
        con = sqlite3.connect(p, timeout=float(os.environ.get("FLOWVIZ_DB_TIMEOUT", "10")))
        con.row_factory = sqlite3.Row
        if create:
            refuse_foreign(con, p, _ddl())
            con.executescript(_ddl())
        version = (
            con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if _has_meta(con)
            else None
        )
        if not create and version is None:
            raise StoreError(
                f"{p} is not a flowviz store (no schema version); import into a new file"
            )
        version = version and (schema_version(version[0], p),)
        if version is not None and int(version[0]) in UPGRADABLE:
            _upgrade(con, p)
        elif version is not None and int(version[0]) != SCHEMA_VERSION:
            raise StoreError(
                f"{p} has store layout {version[0]}, this flowviz reads layout {SCHEMA_VERSION};"
                f" import the files again into a new store (flowviz import FILES --db NEW.db)"
                + (
                    " (written by a newer flowviz: upgrade flowviz)"
                    if int(version[0]) > SCHEMA_VERSION
                    else ""
                )
            )
    except sqlite3.DatabaseError as exc:
        if any(w in str(exc) for w in ("locked", "busy", "readonly", "disk")):
            raise StoreError(f"{p}: {describe_fault(exc)}") from None
        raise StoreError(f"{p}: not a SQLite database or unreadable ({exc})") from None
    return con


def rebuild_search(con: sqlite3.Connection) -> None:
    """Fill the full-text tables from their content tables, the name index
    (:mod:`flowviz.store.identity`) that ``payee`` reads, and the derived tables."""
    for t in FTS:
        con.execute(f"INSERT INTO {t}_fts({t}_fts) VALUES ('rebuild')")
    rebuild_names(con)
    rebuild_derived(con)


def _upgrade(con: sqlite3.Connection, path: Path) -> None:
    """Add what a newer layout has (views, search tables) to an older store, in one step."""
    try:
        with con:
            views = [
                r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'view'")
            ]
            drop = "".join(f'DROP VIEW IF EXISTS "{v}";' for v in views)
            drop += "".join(f'DROP TABLE IF EXISTS "{t}_fts";' for t in FTS)
            drop += "".join(f'DROP TABLE IF EXISTS "{t}";' for t in DERIVED)  # rebuilt below
            con.executescript("BEGIN;" + drop + _ddl() + ";")
            rebuild_search(con)
            con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )
    except sqlite3.OperationalError as exc:
        raise StoreError(
            f"{path} has an older store layout and could not be upgraded ({describe_fault(exc)})"
        ) from None


def _has_meta(con: sqlite3.Connection) -> bool:
    return (
        con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
        is not None
    )


def import_files(
    db: str | Path,
    files: Iterable[RSFile],
    progress: Callable[[int], None] | None = None,
    sheets: Iterable[Sheet] = (),
    replace: bool = False,
) -> dict[str, int]:
    """Load parsed RS files and old-format sheets into the store, replacing the same
    (kind, year) — all or nothing. A (kind, year) left with far fewer rows than it had is
    refused unless ``replace`` (:mod:`flowviz.store.replacing`).

    ``files`` and ``sheets`` may be generators that parse lazily: an error in any of them, while
    parsing or storing, rolls the whole import back and leaves the store as it was.
    """
    con = connect(db, create=True)
    con.execute("PRAGMA synchronous = NORMAL")
    counts: dict[str, int] = {}
    try:
        with con:  # one transaction: commit on success, roll back on any error
            con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )
            con.executemany("INSERT OR IGNORE INTO corp_kind_codes VALUES (?, ?)", CORP_KIND_CODES)
            # bulk load without indexes, then rebuild them (same transaction, so still atomic)
            for ddl in INDEXES:
                con.execute("DROP INDEX IF EXISTS " + ddl.split(" EXISTS ")[1].split(" ON ")[0])
            replaced: set[tuple[str, int]] = set()
            before = stored_counts(con, TABLE_NAMES)
            for f in files:
                counts[f.path] = _store_rs_file(con, f, replaced)
                if progress:
                    progress(len(f.rows))
            counts.update(store_sheets(con, sheets, progress))
            refuse_shrinking(con, before, replace, TABLE_NAMES)
            for ddl in INDEXES:
                con.execute(ddl)
            rebuild_search(con)
    finally:
        con.close()
    return counts


def _store_rs_file(con: sqlite3.Connection, f: RSFile, replaced: set[tuple[str, int]]) -> int:
    for year in sorted(f.years):
        if (f.kind, year) in replaced:
            continue
        replaced.add((f.kind, year))
        if f.kind in TABLES:
            con.execute(f"DELETE FROM {TABLES[f.kind][0]} WHERE year = ?", (year,))
        con.execute("DELETE FROM imports WHERE kind = ? AND year = ?", (f.kind, year))
    _upsert_projects(con, f)
    if f.kind in TABLES:
        table, cols = TABLES[f.kind]
        names = ["year", "project_id", "line", *cols]
        getter = operator.itemgetter(*(f.columns.index(c) for c in names))
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        con.executemany(sql, map(getter, f.rows))
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    per_year: dict[int, int] = {}
    for r in f.rows:
        per_year[r[1]] = per_year.get(r[1], 0) + 1
    for year in sorted(f.years):
        con.execute(
            "INSERT INTO imports VALUES (?, ?, ?, ?, ?)",
            (f.path, f.kind, year, per_year.get(year, 0), now),
        )
    return len(f.rows)


def _upsert_projects(con: sqlite3.Connection, f: RSFile) -> None:
    """Project metadata from any file; 1-1 (the organisation file) wins, first row per project."""
    fields = [
        "project_name",
        "ministry",
        "ministry_order",
        "policy_ministry",
        "bureau",
        "department",
        "division",
        "office",
    ]
    ri = f.columns.index("responsible") if "responsible" in f.columns else None
    responsible: dict[tuple[int, str], str] = {}
    if ri is not None:
        for r in f.rows:
            responsible.setdefault((r[1], r[2]), r[ri])
    rows = [
        (y, pid, *(meta[k] for k in fields), responsible.get((y, pid), ""))
        for (y, pid), meta in f.projects.items()
    ]
    verb = "INSERT OR REPLACE" if f.kind == "1-1" else "INSERT OR IGNORE"
    con.executemany(f"{verb} INTO projects VALUES ({', '.join('?' * 11)})", rows)


def query(con: sqlite3.Connection, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    return [dict(r) for r in con.execute(sql, tuple(params))]


def years(con: sqlite3.Connection) -> list[int]:
    return [r[0] for r in con.execute("SELECT DISTINCT year FROM projects ORDER BY year")]


def latest_year(con: sqlite3.Connection) -> int:
    ys = years(con)
    if not ys:
        raise StoreError("the store holds no projects; run flowviz import first")
    return ys[-1]


def project_year(con: sqlite3.Connection, project_id: str) -> int:
    """The latest year in which the store has ``project_id``."""
    row = con.execute(
        "SELECT MAX(year) FROM projects WHERE project_id = ?", (str(project_id).strip(),)
    ).fetchone()
    if row is None or row[0] is None:
        raise StoreError(
            f"project {project_id} is not in the store; search with: flowviz projects {project_id}"
        )
    return int(row[0])
