"""Tables computed at import (payee totals, project depths) equal the SQL of the views they
replace (payee totals with suspect figures summed apart), and a store of an older layout (views)
gains them in place."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flowviz.store.db import SCHEMA_VERSION, connect
from flowviz.store.importer import import_paths
from flowviz.store.metadata import DERIVED, VIEWS_BEFORE

from ..conftest import DATA

FILES = sorted((DATA / "rs").glob("sample_pid1_11_7259__*.csv")) + [
    DATA / "judgit" / "0048-4347.ndjson"
]


def _rows(con: sqlite3.Connection, sql: str) -> list[tuple]:
    return sorted((tuple(r) for r in con.execute(sql)), key=repr)


def test_derived_tables_equal_the_views_they_replace_and_old_stores_are_upgraded(tmp_path: Path):
    db = tmp_path / "flowviz.db"
    import_paths(db, FILES)
    con = sqlite3.connect(db)
    stored = {t: _rows(con, f"SELECT * FROM {t}") for t in DERIVED}
    assert stored["project_depths"] == _rows(con, VIEWS_BEFORE["project_depths"])
    table = {r[:4] + r[8:]: r[4:8] for r in stored["payee_totals_by_year"]}
    view = _rows(con, VIEWS_BEFORE["payee_totals_by_year"])
    assert len(view) == len(table) > 10
    for *key, amount, n, source in view:
        kept, rows, suspect_yen, suspect_rows = table[(*key, source)]
        assert rows + suspect_rows == n
        both = None if kept is None and suspect_yen is None else (kept or 0) + (suspect_yen or 0)
        assert both == amount
    # the layout before: the same figures as views, computed on every request
    with con:
        for table_name, sql in VIEWS_BEFORE.items():
            con.execute(f"DROP TABLE {table_name}")
            con.execute(f"CREATE VIEW {table_name} AS {sql}")
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
    version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    assert version == str(SCHEMA_VERSION)
