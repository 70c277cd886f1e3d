"""The store as Datasette publishes it: per table and view, its own columns (read from the
store's layout, never a shared list), each column's published header, unit, Japanese and
English meaning, the table's source and licence, the caveats that apply to its figures, and
canned queries for the questions journalists ask first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flowviz.model import BUDGET_AMOUNTS
from flowviz.sources.rs_spec import KINDS
from flowviz.store.datasette_docs import CAVEATS, COLUMNS, QUERIES, SOURCES, TABLES
from flowviz.store.db import TABLE_NAMES, connect, rebuild_search, store_path
from flowviz.store.registry import DDL as REGISTRY_DDL

#: columns in integer yen per table (Datasette's money formatting reads this)
MONEY: dict[str, set[str]] = {
    **{
        TABLE_NAMES[k]: {c for c, (_, typ) in KINDS[k][2].items() if typ == "yen"}
        for k in TABLE_NAMES
    },
    "sheet_budgets": {*BUDGET_AMOUNTS, "request"},
    "sheet_payees": {"amount"},
    "sheet_adjustments": {"yen"},
    "payee_totals_by_year": {"amount_yen", "suspect_yen"},
    "non_competitive_contracts": {"contract_value_yen"},
}
#: yen columns by name alone, for canned queries and SQL (no table)
MONEY_NAMES = {"amount_yen", "contract_value_yen", "suspect_yen"}
_HIDDEN = ("meta", "sqlite_")


def layout() -> dict[str, list[str]]:
    """Every table and view of a new store, with its columns, as the store creates them."""
    con = connect(":memory:", create=True)
    try:
        rebuild_search(con)  # tables made by the import's last step (names, derived)
        con.execute(REGISTRY_DDL)  # made when a registry is imported
        names = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name"
            )
            if not r[0].startswith(_HIDDEN) and "_fts" not in r[0]
        ]
        return {n: [r[1] for r in con.execute(f'PRAGMA table_info("{n}")')] for n in names}
    finally:
        con.close()


def _headers(table: str) -> dict[str, str]:
    """Column → the published Japanese header, for the RS tables."""
    kind = next((k for k, t in TABLE_NAMES.items() if t == table), None)
    return {c: names[0] for c, (names, _) in KINDS[kind][2].items()} if kind else {}


def column_doc(table: str, column: str) -> str:
    """One line: Japanese / English meaning, unit, and the header it was read from."""
    ja, en = COLUMNS.get((table, column)) or COLUMNS.get(("", column)) or (column, column)
    unit = " — 円 / yen" if column in MONEY.get(table, ()) else ""
    header = _headers(table).get(column)
    source = f" （公表の列: {header}）" if header and header != ja else ""
    return f"{ja} / {en}{unit}{source}"


def _table_entry(name: str, columns: list[str]) -> dict[str, Any]:
    ja, en, source, caveats = TABLES[name]
    entry: dict[str, Any] = {
        "description": f"{ja} / {en}",
        "columns": {c: column_doc(name, c) for c in columns},
    }
    if caveats:
        items = "".join(f"<li>{CAVEATS[c][0]}<br>{CAVEATS[c][1]}</li>" for c in caveats)
        entry["description_html"] = f"<p>{ja}</p><p>{en}</p><ul>{items}</ul>"
    if source:
        title, url, lic, lic_url = SOURCES[source]
        entry.update(source=title, source_url=url, license=lic, license_url=lic_url)
    return entry


def datasette_metadata(db: str | Path | None = None) -> dict[str, Any]:
    """The ``metadata.json`` Datasette reads, for the store at ``db`` (its file name is the
    database's name in Datasette)."""
    tables = {name: _table_entry(name, cols) for name, cols in layout().items() if name in TABLES}
    return {
        "title": "flowviz store: where Japanese public money goes",
        "description": "行政事業レビューシート: RSシステムのオープンデータと2015–2023年の旧様式シート"
        " / Administrative project review sheets: RS-system open data and the old-format sheets of"
        " 2015–2023, imported by flowviz. Amounts are integer yen; unknown amounts are NULL, never 0.",
        "license": "PDL1.0 (RS data) and CC BY 4.0 (JUDGIT!)",
        "source": "RSシステム, JUDGIT! / 構想日本",
        "databases": {
            store_path(db).stem: {"tables": tables, "queries": QUERIES},
        },
    }


def undocumented() -> list[str]:
    """Tables and columns of the store that the metadata does not describe (kept empty by a test)."""
    out = []
    for table, columns in layout().items():
        if table not in TABLES:
            out.append(table)
        out += [f"{table}.{c}" for c in columns if column_doc(table, c).startswith(f"{c} / ")]
    return out
