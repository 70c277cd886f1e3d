"""One organisation, one identity: which published names and 法人番号 are the same payee.

An organisation is its 法人番号 when one is published; rows listed without a number join it
only when their name folds (:func:`flowviz.names.normalise_name`) to exactly a name used with
that number, and are marked "matched by name". A name that no numbered organisation uses is an
organisation of its own. ``payee_names`` (built at import, one row per published name and
number) is the index every name query reads, so a search never scans the payment tables.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from flowviz import corpnum
from flowviz.exceptions import StoreError
from flowviz.names import normalise_name
from flowviz.sources.identities_file import IdentityLink
from flowviz.store.identity_links import is_identity, load_links, store_links
from flowviz.store.registry import not_registered, registration


def query(con: sqlite3.Connection, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    """Rows as dicts (the store's own helper imports this module: no import circle)."""
    cur = con.execute(sql, tuple(params))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur]


DDL = (
    "CREATE TABLE IF NOT EXISTS payee_names (stem TEXT, name TEXT, corporate_number TEXT,"
    " rows INTEGER, first_year INTEGER, last_year INTEGER, identity INTEGER)"
)
INDEXES = (
    "CREATE INDEX IF NOT EXISTS payee_names_stem ON payee_names (stem)",
    "CREATE INDEX IF NOT EXISTS payee_names_corp ON payee_names (corporate_number)",
)
_NAMES = """
SELECT payee, COALESCE(corporate_number, '') AS number, COUNT(*) AS n, MIN(year) AS y0,
       MAX(year) AS y1 FROM (
  SELECT payee, corporate_number, year FROM expenses
  UNION ALL SELECT payee, corporate_number, year FROM payments
  UNION ALL SELECT payee, corporate_number, year FROM contracts
  UNION ALL SELECT payee, corporate_number, year FROM sheet_payees)
 WHERE payee != '' GROUP BY payee, COALESCE(corporate_number, '')
"""


def rebuild_names(con: sqlite3.Connection) -> None:
    """Fill ``payee_names`` from every payee and contractor row (about 1 s for a decade)."""
    con.execute("DROP TABLE IF EXISTS payee_names")  # its columns grew with the layout
    con.execute(DDL)
    rows = con.execute(_NAMES).fetchall()
    unknown = not_registered(con)
    con.executemany(
        "INSERT INTO payee_names VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (normalise_name(name), name, num, n, y0, y1, int(is_identity(num, unknown)))
            for name, num, n, y0, y1 in rows
        ],
    )
    for ddl in INDEXES:
        con.execute(ddl)
    store_links(con)


@dataclass
class Organisation:
    """Published names and rows that are one organisation (see the module doc)."""

    key: str
    corporate_number: str = ""
    names: dict[str, int] = field(default_factory=dict)
    stems: set[str] = field(default_factory=set)
    #: (name, number as published) of rows that joined by name: no number, or an invalid one
    named_only: list[tuple[str, str]] = field(default_factory=list)
    #: every (name, number as published) pair of an organisation without a number
    pairs: list[tuple[str, str]] = field(default_factory=list)
    first_year: int | None = None
    last_year: int | None = None
    #: other numbers whose rows are this organisation's in some sheet years (identities file)
    linked_in: list[IdentityLink] = field(default_factory=list)
    #: sheet years in which this number's rows are another organisation's
    linked_out: list[IdentityLink] = field(default_factory=list)
    #: the registry's row for the number, when a registry is loaded (flowviz registry)
    registration: dict[str, Any] | None = None

    @property
    def rows(self) -> int:
        return sum(self.names.values())

    def add(self, r: dict[str, Any], by_name: bool = False) -> None:
        self.names[r["name"]] = self.names.get(r["name"], 0) + r["rows"]
        self.stems.add(r["stem"])
        pair = (r["name"], r["corporate_number"] or "")
        if by_name and pair not in self.named_only:
            self.named_only.append(pair)
        if not self.corporate_number and pair not in self.pairs:
            self.pairs.append(pair)
        y0, y1 = r["first_year"], r["last_year"]
        self.first_year = y0 if self.first_year is None else min(self.first_year, y0)
        self.last_year = y1 if self.last_year is None else max(self.last_year, y1)


def organisations(entries: list[dict[str, Any]]) -> list[Organisation]:
    """Group ``payee_names`` rows into organisations: by 法人番号; a row without one joins the
    numbered organisation that uses exactly its folded name (when only one does)."""
    orgs: dict[str, Organisation] = {}
    by_stem: dict[str, set[str]] = {}
    for r in entries:
        num = r["corporate_number"]
        if r["identity"]:
            orgs.setdefault(num, Organisation(num, num)).add(r)
            by_stem.setdefault(r["stem"], set()).add(num)
    for r in entries:
        if r["identity"]:
            continue
        owners = by_stem.get(r["stem"], set())
        if len(owners) == 1:
            orgs[next(iter(owners))].add(r, by_name=True)
        else:
            orgs.setdefault("name:" + r["stem"], Organisation("name:" + r["stem"])).add(r)
    return sorted(orgs.values(), key=lambda o: (-o.rows, o.key))


@dataclass
class Match:
    """What a query found: the organisation chosen (if one), and every organisation matched."""

    query: str
    chosen: Organisation | None
    matched: list[Organisation]


def find(con: sqlite3.Connection, text: str, english: dict[str, str] | None = None) -> Match:
    """Organisations for a 法人番号 or a name as a reader types it. A folded name equal to one
    organisation's chooses it; otherwise a single match is chosen, several are listed, and none
    is an error with the nearest names."""
    n = corpnum.normalise(text)
    if len(n) == 13 and n.isdigit():
        why = corpnum.problem(n)
        if why:
            raise StoreError(f"{text!r} is not a valid 法人番号: {why}")
        stems = [
            r["stem"]
            for r in query(con, "SELECT stem FROM payee_names WHERE corporate_number = ?", (n,))
        ]
        entries = _entries(con, "corporate_number = ?", [n], stems)
        orgs = [o for o in organisations(entries) if o.corporate_number == n]
        if not orgs and any(link.same_as == n for link in load_links(con)):
            orgs = [Organisation(n, n)]
        _attach_links(con, orgs)
        return Match(text, orgs[0] if orgs else None, orgs)
    q = normalise_name(text)
    if not q:
        raise StoreError(f"{text!r}: give part of a name or a 法人番号")
    wanted = {q} | {normalise_name(ja) for en, ja in (english or {}).items() if q in en}
    conds = " OR ".join("stem LIKE ? ESCAPE '\\'" for _ in wanted)
    entries = _entries(con, conds, [_like(w) for w in sorted(wanted)], [])
    orgs = organisations(entries)
    exact = [o for o in orgs if o.stems & wanted]
    chosen = exact[0] if len(exact) == 1 else (orgs[0] if len(orgs) == 1 else None)
    if not orgs:
        raise StoreError(f"no organisation matches {text!r}{_nearest(con, q)}")
    _attach_links(con, orgs)
    return Match(text, chosen, orgs)


def _attach_links(con: sqlite3.Connection, orgs: list[Organisation]) -> None:
    """Give each numbered organisation the identities-file links to and from its number."""
    links = load_links(con)
    for o in orgs:
        if o.corporate_number:
            o.linked_in = [link for link in links if link.same_as == o.corporate_number]
            o.linked_out = [link for link in links if link.corporate_number == o.corporate_number]
            o.registration = registration(con, o.corporate_number)


def row_filter(org: Organisation, alias: str = "") -> tuple[str, list[Any]]:
    """SQL (over ``corporate_number``, ``payee`` and ``year`` of a payee table, prefixed with
    ``alias``) that selects one organisation's rows: its number outside the years linked away,
    the unnumbered rows of the names that joined it, and linked numbers in their years."""
    a = f"{alias}." if alias else ""
    pairs = org.named_only if org.corporate_number else org.pairs
    values = ",".join("(?, ?)" for _ in pairs) or "(NULL, NULL)"
    parts = [f"((COALESCE({a}corporate_number, ''), {a}payee) IN (VALUES {values}))"]
    params: list[Any] = [x for name, num in pairs for x in (num, name)]
    if org.corporate_number:
        away = "".join(f" AND NOT ({_years(a, link)})" for link in org.linked_out)
        parts.append(f"({a}corporate_number = ?{away})")
        params.append(org.corporate_number)
        for link in org.linked_in:
            parts.append(f"({a}corporate_number = ? AND {_years(a, link)})")
            params.append(link.corporate_number)
    return "(" + " OR ".join(parts) + ")", params


def _years(a: str, link: IdentityLink) -> str:
    lo = f"{a}year >= {int(link.first_year)}" if link.first_year is not None else "1"
    hi = f"{a}year <= {int(link.last_year)}" if link.last_year is not None else "1"
    return f"{lo} AND {hi}"


def _entries(
    con: sqlite3.Connection, cond: str, params: list[str], stems: list[str]
) -> list[dict[str, Any]]:
    """``payee_names`` rows matching ``cond``, and the unnumbered rows of the same folded names."""
    sql = f"SELECT * FROM payee_names WHERE {cond}"
    if stems:
        marks = ",".join("?" * len(stems))
        sql += f" OR stem IN ({marks})"  # every owner of the names: a join by name needs one
    rows = query(con, sql, [*params, *stems])
    numbered = {r["stem"] for r in rows if r["identity"]}
    if numbered and not stems:  # unnumbered rows of the matched names join their organisation
        marks = ",".join("?" * len(numbered))
        more = query(
            con,
            f"SELECT * FROM payee_names WHERE identity = 0 AND stem IN ({marks})",
            sorted(numbered),
        )
        seen = {(r["name"], r["corporate_number"]) for r in rows}
        rows += [r for r in more if (r["name"], r["corporate_number"]) not in seen]
    return rows


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _nearest(con: sqlite3.Connection, q: str) -> str:
    """``"; nearest: A, B, C"`` from names sharing the query's first two characters."""
    from difflib import get_close_matches  # only when nothing matched: off the start-up path

    pool = [
        r["stem"]
        for r in query(
            con,
            "SELECT DISTINCT stem FROM payee_names WHERE stem LIKE ? ESCAPE '\\'",
            (_like(q[:2]),),
        )
    ]
    near = get_close_matches(q, pool, n=3, cutoff=0.5)
    return (
        "; nearest names: " + ", ".join(near) if near else "; check the spelling or give a 法人番号"
    )
