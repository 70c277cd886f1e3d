"""The registry's record of the store's organisations: registered and English names, closures,
successors, and the numbers the registry does not know.

Only numbers the store publishes (and their successors) are kept. A number the registry file
does not hold is kept as "not registered": with a registry loaded, such a number no longer
names an organisation (:func:`flowviz.store.identity.is_identity`), since a typo that passes
the check digit (4010400000000 beside 電通's rows) is otherwise taken for a company.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

from flowviz.sources.nta_registry import Registration, read_registry

DDL = (
    "CREATE TABLE IF NOT EXISTS registry (corporate_number TEXT PRIMARY KEY, registered INTEGER,"
    " name TEXT, en_name TEXT, furigana TEXT, kind TEXT, address TEXT, close_date TEXT,"
    " close_cause TEXT, successor TEXT, update_date TEXT, source TEXT)"
)
_COLUMNS = [f.name for f in fields(Registration)]


@dataclass
class RegistrySummary:
    """What one registry import found for the store's numbers."""

    complete: bool = False
    asked: int = 0
    found: int = 0
    closed: int = 0
    successors: int = 0
    renamed: int = 0

    def lines(self) -> list[str]:
        return [
            f"registry: {self.found:,} of the store's {self.asked:,} 法人番号 found; "
            + (
                f"{self.asked - self.found:,} not registered (no longer taken for an organisation)"
                if self.complete
                else "not a whole-country file, so the others are not judged"
            ),
            f"          {self.closed:,} closed, {self.successors:,} with a successor;"
            f" {self.renamed:,} registered under a name the sheets do not use",
        ]


def import_registry(
    con: sqlite3.Connection,
    paths: list[Path],
    then: Callable[[sqlite3.Connection], None],
    complete: bool | None = None,
) -> RegistrySummary:
    """Read registry files for the store's numbers and their successors, in one transaction
    with ``then`` (the caller rebuilds the name index: identity reads this table). A number
    missing from the files is "not registered" only when they are the whole country
    (``00_zenkoku_all_…``, or ``complete``): a prefecture's file says nothing of the others."""
    if complete is None:
        complete = any(p.name.startswith("00_zenkoku_all") for p in paths)
    wanted = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT corporate_number FROM payee_names WHERE corporate_number != ''"
        )
    }
    found: dict[str, Registration] = {}
    for p in paths:
        for reg in read_registry(p, wanted):
            found[reg.corporate_number] = reg
    more = {r.successor for r in found.values() if r.successor} - found.keys()
    for p in paths if more else []:
        for reg in read_registry(p, more):
            found[reg.corporate_number] = reg
    with con:
        con.execute(DDL)
        con.execute("DELETE FROM registry")
        con.executemany(
            f"INSERT INTO registry VALUES (?, 1, {', '.join('?' * (len(_COLUMNS) - 1))})",
            [tuple(getattr(r, c) for c in _COLUMNS) for r in found.values()],
        )
        con.executemany(
            "INSERT INTO registry (corporate_number, registered) VALUES (?, 0)",
            [(n,) for n in sorted(wanted - found.keys())] if complete else [],
        )
        then(con)
    published = {
        r[0]
        for r in con.execute("SELECT DISTINCT corporate_number || '|' || name FROM payee_names")
    }
    regs = [r for r in found.values() if r.corporate_number in wanted]
    return RegistrySummary(
        complete,
        len(wanted),
        len(regs),
        sum(r.closed for r in regs),
        sum(bool(r.successor) for r in regs),
        sum(f"{r.corporate_number}|{r.name}" not in published for r in regs),
    )


def not_registered(con: sqlite3.Connection) -> set[str]:
    """Numbers a loaded registry does not hold (empty when no registry is loaded)."""
    try:
        return {
            r[0] for r in con.execute("SELECT corporate_number FROM registry WHERE registered = 0")
        }
    except sqlite3.OperationalError:
        return set()


def registration(con: sqlite3.Connection, number: str) -> dict | None:
    """The registry's row for a number, or None when no registry is loaded or it is unknown."""
    try:
        cur = con.execute("SELECT * FROM registry WHERE corporate_number = ?", (number,))
    except sqlite3.OperationalError:
        return None
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cur.description], row, strict=True))
