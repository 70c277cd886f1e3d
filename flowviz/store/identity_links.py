"""Links between 法人番号 that are one organisation (renumberings), and the resolver that gives
every published row its organisation.

The links come from hand-kept identities files (:mod:`flowviz.sources.identities_file`): the one
bundled with flowviz (``flowviz/data/identities.csv``, every link with its evidence) and any the
user adds with ``flowviz identities FILE``. They live in the store (``identity_links``), so
``payee``, ``payees``, ``history`` and the exports all read the same links.
"""

from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path

from flowviz import corpnum
from flowviz.names import normalise_name
from flowviz.sources.identities_file import IdentityLink, read_identities
from flowviz.store.registry import not_registered

DDL = (
    "CREATE TABLE IF NOT EXISTS identity_links (corporate_number TEXT, same_as TEXT,"
    " first_year INTEGER, last_year INTEGER, source TEXT, note TEXT)"
)
BUNDLED = "flowviz/data/identities.csv"


def bundled_links() -> list[IdentityLink]:
    """The links flowviz ships, each with its evidence."""
    path = Path(str(resources.files("flowviz") / "data" / "identities.csv"))
    return read_identities(path, BUNDLED)


def store_links(con: sqlite3.Connection, links: list[IdentityLink] | None = None) -> None:
    """Replace the stored links by the bundled ones plus ``links`` (a user's file); a user's
    file replaces the one given before it."""
    con.execute(DDL)
    if links is None:  # keep the user's links, refresh the bundled ones
        links = [link for link in load_links(con) if not link.source.startswith(BUNDLED)]
    con.execute("DELETE FROM identity_links")
    con.executemany(
        "INSERT INTO identity_links VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                link.corporate_number,
                link.same_as,
                link.first_year,
                link.last_year,
                link.source,
                link.note,
            )
            for link in [*bundled_links(), *links]
        ],
    )


def load_links(con: sqlite3.Connection) -> list[IdentityLink]:
    """The stored links (none in a store made before links existed)."""
    try:
        rows = con.execute(
            "SELECT corporate_number, same_as, first_year, last_year, source, note FROM identity_links"
        ).fetchall()
    except sqlite3.OperationalError:
        return []
    return [IdentityLink(*r) for r in rows]


def is_identity(number: str | None, unregistered: set[str] | frozenset[str] = frozenset()) -> bool:
    """A published number that names one organisation: a valid 法人番号, not the placeholder
    for individuals. A number with a wrong check digit (a typo: 4010401048923 for 電通's
    4010401048922) says nothing, nor does one a loaded registry does not hold
    (:mod:`flowviz.store.registry`); its row joins an organisation by name like an unnumbered one."""
    return (
        bool(number)
        and number != corpnum.INDIVIDUAL_PLACEHOLDER
        and number not in unregistered
        and corpnum.is_valid(number)
    )


#: JUDGIT! replaced the old-format payee names with the registry's names of this date wherever
#: the 法人番号 was registered (its repository's fix_corporate_name.py)
JUDGIT_REGISTRY_DATE = "2023-10-31"


def name_source(record: str, corporate_number: str | None) -> str:
    """Where a row's payee name comes from: as printed on the sheet, or (an old-format row with
    a valid 法人番号) the registry's name that JUDGIT! put in its place."""
    if record == "old-format payee" and corporate_number and corpnum.is_valid(corporate_number):
        return f"registry name of {JUDGIT_REGISTRY_DATE} (JUDGIT!)"
    return "as published"


class Resolver:
    """The organisation of a published row: its 法人番号, moved to the linked number in the
    sheet years a link covers; a row without a number takes the one number whose rows use
    exactly its folded name (``by name``), else it is the organisation of that folded name."""

    def __init__(self, con: sqlite3.Connection):
        self.links = load_links(con)
        self._by_number: dict[str, list[IdentityLink]] = {}
        for link in self.links:
            self._by_number.setdefault(link.corporate_number, []).append(link)
        self._owner: dict[str, str] | None = None
        self._con = con
        self._unregistered = not_registered(con)

    def number(self, corporate_number: str, year: int | None) -> tuple[str, IdentityLink | None]:
        """The number a row published under ``corporate_number`` in ``year`` belongs to."""
        link = None
        for _ in range(8):  # chains of renumberings, never a loop
            nxt = next(
                (link for link in self._by_number.get(corporate_number, []) if link.covers(year)),
                None,
            )
            if nxt is None:
                break
            link, corporate_number = nxt, nxt.same_as
        return corporate_number, link

    def key(self, corporate_number: str | None, name: str, year: int | None) -> tuple[str, str]:
        """``(organisation key, how)``: how is "" (its own number), "linked" or "by name"."""
        num = corporate_number or ""
        if (
            num
            and num != corpnum.INDIVIDUAL_PLACEHOLDER
            and num not in self._unregistered
            and corpnum.is_valid(num)
        ):
            found, link = self.number(num, year)
            return found, "linked" if link else ""
        stem = normalise_name(name)
        owner = self.owners().get(stem)
        if owner:
            found, link = self.number(owner, year)
            return found, "by name"
        return "name:" + stem, ""

    def name(self, corporate_number: str) -> str:
        """The name most recently published with a number (for an organisation shown under a
        number whose own rows are not in view)."""
        row = self._con.execute(
            "SELECT name FROM payee_names WHERE corporate_number = ?"
            " ORDER BY last_year DESC, rows DESC LIMIT 1",
            (corporate_number,),
        ).fetchone()
        return row[0] if row else ""

    def owners(self) -> dict[str, str]:
        """Folded name → the one 法人番号 published with it (names used by several are left out)."""
        if self._owner is None:
            self._owner = dict(
                self._con.execute(
                    "SELECT stem, MIN(corporate_number) FROM payee_names WHERE identity = 1"
                    " GROUP BY stem HAVING COUNT(DISTINCT corporate_number) = 1"
                ).fetchall()
            )
        return self._owner
