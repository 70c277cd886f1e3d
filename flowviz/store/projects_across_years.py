"""One project across the years: which sheets belong together, and on what evidence.

Evidence, strongest first (each link says which it is):

- ``project_uid``: JUDGIT!'s 事業ID, one project across its old-format sheets;
- ``past_sheet``: the sheet's own 関連する過去のレビューシート (year, ministry, number);
- ``same_name``: an RS-year project of the same ministry whose name is the same after
  normalising width and spaces (the RS data carries no old sheet number);
- ``manual``: a row of a hand-kept CSV (``--links FILE``: ``from,to,evidence``) that adds a link
  or, with evidence ``not``, removes one.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flowviz.exceptions import StoreError
from flowviz.side_csv import read_side_csv
from flowviz.store.db import query

#: a key of the links file: ``rs:YEAR:ID`` or a sheet key ``YEAR:府省庁:番号``
_KEY = re.compile(r"rs:\d{4}:\d{1,12}|\d{4}:[^:]{1,100}:.{1,100}")


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


def _norm(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name or "").split())


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
    if t.startswith("uid:"):
        rows = query(con, "SELECT * FROM sheets WHERE project_uid = ? ORDER BY year DESC", (t[4:],))
        if rows:
            return _old(rows[0], "query")
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
        _apply_manual(con, fam, links_csv)
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


def _apply_manual(con: sqlite3.Connection, fam: dict[str, Member], path: Path) -> None:
    """``from,to,evidence`` rows: keys are sheet keys (``2017:総務省:0048``) or ``rs:YEAR:ID``."""
    for i, r in read_side_csv(str(path), "links file", ("from", "to", "evidence"), StoreError):
        a, b, ev = r["from"], r["to"], r.get("evidence") or "manual"
        for column, key in (("from", a), ("to", b)):
            if not _KEY.fullmatch(key):
                raise StoreError(
                    f"{path}: line {i}, column {column}: expected a sheet key (2017:総務省:0048)"
                    f" or rs:YEAR:ID, found {key[:40]!r}"
                )
        if a not in fam and b not in fam:
            continue
        other = b if a in fam else a
        if ev == "not":
            fam.pop(other, None)
            continue
        if other.startswith("rs:"):
            _, y, pid = other.split(":", 2)
            p = query(
                con, "SELECT * FROM projects WHERE year = ? AND project_id = ?", (int(y), pid)
            )
            if p:
                fam.setdefault(
                    other,
                    Member(
                        "rs",
                        other,
                        int(y),
                        pid,
                        p[0]["ministry"] or "",
                        p[0]["name"] or "",
                        "",
                        "manual",
                    ),
                )
        else:
            s = query(con, "SELECT * FROM sheets WHERE sheet_key = ?", (other,))
            if s:
                fam.setdefault(other, _old(s[0], "manual"))
