"""One project across the years: which sheets belong together, and on what evidence.

Evidence, strongest first (each link says which it is):

- ``project_uid``: JUDGIT!'s 事業ID, one project across its old-format sheets;
- ``past_sheet``: the sheet's own 関連する過去のレビューシート (year, ministry, number);
- ``same_name``: an RS-year project of the same ministry whose name is the same after
  normalising width and spaces (the RS data carries no old sheet number);
- ``manual``: a row of a hand-kept CSV (``--links FILE``: ``from,to,evidence``) that adds a link
  or, with evidence ``not``, removes one; its keys are any of
  :data:`flowviz.store.lineage.KEY_FORMS`, and a key in no form, or naming no stored sheet, is an
  error.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flowviz.exceptions import StoreError
from flowviz.side_csv import read_side_csv
from flowviz.store.db import query
from flowviz.store.lineage import (
    KEY_FORMS,
    looks_like_key,
    require_key,
    resolve_key,
    same_project,
)
from flowviz.store.lineage import norm_name as _norm


@dataclass
class Member:
    """One sheet of the project: an old-format sheet (``sheet_key``) or an RS project year."""

    source: str  # "old" or "rs"
    key: str  # sheet_key, or "rs:YEAR:ID"
    year: int  # 公開年度 / sheet year
    number: str
    ministry: str
    name: str
    url: str = ""
    evidence: str = "query"


@dataclass
class Family:
    members: list[Member] = field(default_factory=list)

    @property
    def old_keys(self) -> list[str]:
        return [m.key for m in self.members if m.source == "old"]

    @property
    def rs_keys(self) -> list[tuple[int, str]]:
        return [(m.year, m.number) for m in self.members if m.source == "rs"]


def _old(row: dict[str, Any], evidence: str) -> Member:
    return Member(
        "old",
        row["sheet_key"],
        row["year"],
        row["number"],
        row["ministry"],
        row["name"],
        row["url"] or "",
        evidence,
    )


def find_start(
    con: sqlite3.Connection, text: str, ministry: str | None, year: int | None
) -> Member:
    """The sheet a query names: ``0048 --ministry 総務省 --year 2017``, ``uid:4347``, an RS id
    (``7259``, with ``--year 2024``), or part of a name."""
    t = text.strip()
    found = resolve_key(con, t)
    if found:
        return _member(found, "query")
    where, params = ["number = ?"], [t]
    if ministry:
        where.append("ministry LIKE ?")
        params.append(f"%{ministry}%")
    if year:
        where.append("year = ?")
        params.append(year)
    rows = query(
        con, f"SELECT * FROM sheets WHERE {' AND '.join(where)} ORDER BY year DESC", params
    )
    if rows:
        _one_ministry(t, rows, ministry)
        if not year:
            _one_project(con, t, rows)
        return _old(rows[0], "query")
    rs = query(
        con,
        "SELECT * FROM projects WHERE project_id = ?"
        + (" AND year = ?" if year else "")
        + " ORDER BY year DESC",
        [t, year] if year else [t],
    )
    if rs:
        r = rs[0]
        return Member(
            "rs",
            f"rs:{r['year']}:{r['project_id']}",
            r["year"],
            r["project_id"],
            r["ministry"] or "",
            r["name"] or "",
        )
    rows = query(
        con, "SELECT * FROM sheets WHERE name LIKE ? ORDER BY year DESC LIMIT 1", (f"%{t}%",)
    )
    if rows:
        return _old(rows[0], "query")
    raise StoreError(
        f"no sheet matches {text!r}; give a sheet number with --ministry and --year, uid:事業ID,"
        " an RS project id, or part of a name (flowviz projects searches RS projects)"
    )


def family(con: sqlite3.Connection, start: Member, links_csv: Path | None = None) -> Family:
    """Every sheet of the project that ``start`` belongs to, each with its evidence."""
    fam: dict[str, Member] = {start.key: start}
    if start.source == "old":
        uid = con.execute(
            "SELECT project_uid FROM sheets WHERE sheet_key = ?", (start.key,)
        ).fetchone()[0]
        if uid is not None:
            for r in query(con, "SELECT * FROM sheets WHERE project_uid = ? ORDER BY year", (uid,)):
                fam.setdefault(r["sheet_key"], _old(r, "project_uid"))
        for r in query(
            con,
            "SELECT s.* FROM sheet_links l JOIN sheets s ON s.year = l.past_year"
            " AND s.ministry = l.past_ministry AND s.number = l.past_number"
            f" WHERE l.sheet_key IN ({','.join('?' * len(fam))})",
            list(fam),
        ):
            fam.setdefault(r["sheet_key"], _old(r, "past_sheet"))
    _add_same_name(con, fam)
    if links_csv:
        removed = _apply_manual(con, fam, links_csv)
        _add_same_name(con, fam)  # a sheet linked by hand brings its own same-name years
        for key in removed:
            fam.pop(key, None)
    return Family(sorted(fam.values(), key=lambda m: (m.year, m.source, m.key)))


def _add_same_name(con: sqlite3.Connection, fam: dict[str, Member]) -> None:
    """RS-year projects of the same ministry and the same name as a member (and back)."""
    names = {(_norm(m.name), m.ministry) for m in fam.values()}
    for name, ministry in list(names):
        for r in query(
            con,
            "SELECT year, project_id, name, ministry FROM projects WHERE ministry = ?",
            (ministry,),
        ):
            if _norm(r["name"]) == name:
                key = f"rs:{r['year']}:{r['project_id']}"
                fam.setdefault(
                    key,
                    Member(
                        "rs", key, r["year"], r["project_id"], ministry, r["name"], "", "same_name"
                    ),
                )
        for r in query(
            con,
            "SELECT * FROM sheets WHERE ministry = ? AND name = ?",
            (ministry, _raw_name(fam, name)),
        ):
            fam.setdefault(r["sheet_key"], _old(r, "same_name"))


def _raw_name(fam: dict[str, Member], norm: str) -> str:
    return next((m.name for m in fam.values() if _norm(m.name) == norm), "")


def _one_ministry(number: str, rows: list[dict[str, Any]], ministry: str | None) -> None:
    """A sheet number several ministries use is ambiguous without ``--ministry``: say which."""
    found = sorted({r["ministry"] for r in rows})
    if len(found) > 1:
        given = f" matching {ministry!r}" if ministry else ""
        raise StoreError(
            f"sheet number {number} is used by {len(found)} ministries{given}: "
            + ", ".join(found)
            + "; give --ministry (or a sheet key such as "
            + f"{rows[0]['year']}:{rows[0]['ministry']}:{number})"
        )


def _one_project(con: sqlite3.Connection, number: str, rows: list[dict[str, Any]]) -> None:
    """A number that names different projects in different years (numbers are reused) is
    ambiguous without ``--year``: list one sheet key per project."""
    ids = same_project(con, [r["sheet_key"] for r in rows])
    projects: list[tuple[set[str], dict[str, Any]]] = []
    for r in rows:  # newest first
        mine = ids.get(r["sheet_key"], set())
        if not any(mine & seen for seen, _ in projects):
            projects.append((set(mine), r))
        else:
            next(seen for seen, _ in projects if mine & seen).update(mine)
    if len(projects) > 1:
        raise StoreError(
            f"sheet number {number} names {len(projects)} different projects over the years: "
            + "; ".join(f"{r['sheet_key']} {r['name'][:30]}" for _, r in projects[:8])
            + ("; …" if len(projects) > 8 else "")
            + "; give --year or one of these sheet keys"
        )


def _member(found: dict[str, Any], evidence: str) -> Member:
    r = found["row"]
    if found["source"] == "old":
        return _old(r, evidence)
    key = found["key"]
    return Member(
        "rs", key, r["year"], r["project_id"], r["ministry"] or "", r["name"] or "", "", evidence
    )


def read_links(con: sqlite3.Connection, path: Path) -> list[tuple[str, str, str]]:
    """The rows of a links file with both keys resolved to stored sheets (an error otherwise)."""
    out = []
    for i, r in read_side_csv(str(path), "links file", ("from", "to", "evidence"), StoreError):
        a, b = (r.get("from") or "").strip(), (r.get("to") or "").strip()
        ev = (r.get("evidence") or "manual").strip()
        if not a or not b:
            raise StoreError(f"{path}: line {i}: expected the columns from,to,evidence")
        for col, text in (("from", a), ("to", b)):  # every key's form before the store
            if not looks_like_key(text):
                raise StoreError(
                    f"{path}: line {i}, column {col}: expected a sheet key, found {text!r};"
                    f" the forms are {KEY_FORMS}"
                )
        ka = require_key(con, a, f"{path}: line {i}, column from")["key"]
        kb = require_key(con, b, f"{path}: line {i}, column to")["key"]
        out.append((ka, kb, ev))
    return out


def _apply_manual(con: sqlite3.Connection, fam: dict[str, Member], path: Path) -> set[str]:
    """Links file rows, applied until nothing changes (a link may reach a sheet another added);
    a sheet a ``not`` row removed is never added back."""
    rows = read_links(con, path)
    removed: set[str] = set()
    changed = True
    while changed:
        changed = False
        for a, b, ev in rows:
            if ev == "not" and a in fam and b in fam:
                drop = a if fam[b].evidence == "query" else b
                removed.add(fam.pop(drop).key)
                changed = True
            elif ev != "not" and (a in fam) != (b in fam):
                other = b if a in fam else a
                if other not in removed:
                    fam[other] = _member(require_key(con, other, str(path)), "manual")
                    changed = True
    return removed
