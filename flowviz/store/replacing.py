"""An import never loses stored rows silently: importing a year of a file kind replaces what
the store holds for it, so a partial file (a few projects cut from the published one, a single
sheet JSON of a year) would wipe the rest. Such an import is refused, with both counts, unless
the user asks for ``--replace``; the transaction rolls back and the store stays as it was."""

from __future__ import annotations

import sqlite3

from flowviz.exceptions import StoreError

#: an import that leaves fewer than this share of a (kind, year)'s stored rows is refused
KEEP_SHARE = 0.5
_COUNTS = "SELECT kind, year, SUM(rows) FROM imports GROUP BY kind, year"


def stored_counts(con: sqlite3.Connection) -> dict[tuple[str, int], int]:
    """Rows per (file kind, year) as the store records them (old-format sheets: kind judgit)."""
    return {(k, y): n for k, y, n in con.execute(_COUNTS) if n}


def refuse_shrinking(
    con: sqlite3.Connection, before: dict[tuple[str, int], int], replace: bool
) -> None:
    """Raise when this import replaced a (kind, year) with far fewer rows than it had."""
    if replace:
        return
    for (kind, year), now in sorted(stored_counts(con).items()):
        had = before.get((kind, year), 0)
        if had and now < had * KEEP_SHARE:
            (file,) = con.execute(
                "SELECT file FROM imports WHERE kind = ? AND year = ? LIMIT 1", (kind, year)
            ).fetchone()
            what = f"old-format sheets of {year}" if kind == "judgit" else f"{kind} rows of {year}"
            raise StoreError(
                f"{file}: would replace the store's {had:,} {what} with this import's {now:,}"
                " (a partial file?); nothing was changed. To replace them anyway: import again"
                " with --replace"
            )
