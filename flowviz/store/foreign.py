"""Refuse to add flowviz's tables to a SQLite file that belongs to something else.

Why: ``import --db app.db`` used to add flowviz's tables to an unrelated application's database.
A file is taken as a store when it is empty, carries flowviz's schema version, or holds only
flowviz's own tables (a first import that failed leaves those, without a version).
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from flowviz.exceptions import StoreError

_TABLE = re.compile(r"CREATE (?:VIRTUAL )?TABLE IF NOT EXISTS (\w+)")


def schema_version(value: object, path: Path) -> int:
    """The stored layout number, or a one-line error if it is not one."""
    text = str(value)
    if not (text.isascii() and text.isdigit() and len(text) < 10):
        raise StoreError(
            f"{path}: schema_version {text[:40]!r} is not a number; not a flowviz store"
        )
    return int(text)


def refuse_foreign(con: sqlite3.Connection, path: Path, ddl: str) -> None:
    """Raise unless ``con`` is empty or flowviz's (see the module docstring)."""
    ours = set(_TABLE.findall(ddl))
    names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    if "meta" in names:
        try:
            if con.execute("SELECT 1 FROM meta WHERE key = 'schema_version'").fetchone():
                return
        except sqlite3.OperationalError:  # a "meta" table of someone else's
            pass
    other = [n for n in names if n not in ours and not any(n.startswith(t + "_") for t in ours)]
    if other:
        shown = ", ".join(other[:5]) + (" …" if len(other) > 5 else "")
        raise StoreError(
            f"{path} is a SQLite file of another application (tables: {shown}), not a flowviz"
            " store; import into a new file (--db NEW.db) or an empty one"
        )
