"""Tables computed at import (payee totals, project depths) equal the SQL they replace, and a
store of the previous layout (where they were views) gains them in place."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flowviz.store.db import SCHEMA_VERSION, connect
from flowviz.store.importer import import_paths
from flowviz.store.metadata import DERIVED

from ..conftest import DATA

FILES = sorted((DATA / "rs").glob("sample_pid1_11_7259__*.csv")) + [
    DATA / "judgit" / "0048-4347.ndjson"
]


def _rows(con: sqlite3.Connection, sql: str) -> list[tuple]:
    return sorted((tuple(r) for r in con.execute(sql)), key=repr)


def test_derived_tables_equal_their_queries_and_old_stores_are_upgraded(tmp_path: Path):
    db = tmp_path / "flowviz.db"
    import_paths(db, FILES)
    con = sqlite3.connect(db)
    stored = {t: _rows(con, f"SELECT * FROM {t}") for t in DERIVED}
    for table, (_, select, _) in DERIVED.items():
        assert stored[table] and stored[table] == _rows(con, select), table
    # the previous layout: the same figures as views, computed on every request
    with con:
        for table, (_, select, _) in DERIVED.items():
            con.execute(f"DROP TABLE {table}")
            con.execute(f"CREATE VIEW {table} AS {select}")
        con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    con.close()
    con = connect(db)
    kinds = dict(
        con.execute(
            "SELECT name, type FROM sqlite_master WHERE name IN ('payee_totals_by_year', 'project_depths')"
        ).fetchall()
    )
    assert kinds == {t: "table" for t in DERIVED}
    assert {t: _rows(con, f"SELECT * FROM {t}") for t in DERIVED} == stored
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(
        SCHEMA_VERSION
    )
