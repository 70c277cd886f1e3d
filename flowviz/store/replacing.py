"""An import never loses stored rows silently: importing a year of a file kind replaces what
the store holds for it, so a partial file (a few projects cut from the published one, a single
sheet JSON of a year) or a file of other projects would wipe the rest. Such an import is
refused, with both counts, unless the user asks for ``--replace``; the transaction rolls back
and the store stays as it was."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from flowviz.exceptions import StoreError

#: an import that keeps fewer than this share of a (kind, year)'s stored rows, or of its
#: projects, is refused
KEEP_SHARE = 0.5
_COUNTS = "SELECT kind, year, SUM(rows) FROM imports GROUP BY kind, year"
#: (kind, year) → (rows, projects)
Snapshot = dict[tuple[str, int], tuple[int, frozenset[str]]]


def stored_counts(con: sqlite3.Connection, tables: Mapping[str, str]) -> Snapshot:
    """Rows (as ``imports`` records them) and projects per (file kind, year); ``tables`` maps
    an RS file kind to its table; old-format sheets are kind ``judgit``, projects their keys."""
    out = {}
    for kind, year, n in con.execute(_COUNTS).fetchall():
        if not n:
            continue
        if kind == "judgit":
            sql, params = "SELECT sheet_key FROM sheets WHERE year = ?", (year,)
        elif kind in tables:
            sql, params = f"SELECT DISTINCT project_id FROM {tables[kind]} WHERE year = ?", (year,)
        else:
            sql, params = "SELECT NULL WHERE 0", ()
        out[kind, year] = (n, frozenset(r[0] for r in con.execute(sql, params)))
    return out


def refuse_shrinking(
    con: sqlite3.Connection, before: Snapshot, replace: bool, tables: Mapping[str, str]
) -> None:
    """Raise when this import replaced a (kind, year) with far fewer rows, or other projects."""
    if replace or not before:
        return
    for (kind, year), (now, projects) in sorted(stored_counts(con, tables).items()):
        had, had_projects = before.get((kind, year), (0, frozenset()))
        what = f"old-format sheets of {year}" if kind == "judgit" else f"{kind} rows of {year}"
        kept = len(had_projects & projects)
        if had and now < had * KEEP_SHARE:
            why = f"the store's {had:,} {what} with this import's {now:,} (a partial file?)"
        elif had_projects and kept < len(had_projects) * KEEP_SHARE:
            why = (
                f"the store's {len(had_projects):,} projects of {kind} {year} with"
                f" {len(projects):,} others ({kept:,} in common)"
            )
        else:
            continue
        (file,) = con.execute(
            "SELECT file FROM imports WHERE kind = ? AND year = ? LIMIT 1", (kind, year)
        ).fetchone()
        raise StoreError(
            f"{file}: would replace {why}; nothing was changed. To replace them anyway:"
            " import again with --replace"
        )
