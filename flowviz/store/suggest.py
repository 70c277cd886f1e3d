""" "Did you mean" for what a user types to name a project or ministry: an old-format sheet key
(``2017:総務省:0048``) with a typo or a year that contradicts ``--year``, an RS id that is an
old-format 事業番号, a ministry spelled slightly differently. Suggestions are close matches
among what the store holds (:mod:`difflib`), never a guess acted on."""

from __future__ import annotations

import difflib
import sqlite3
import unicodedata

from flowviz.exceptions import StoreError


def _close(word: str, candidates: list[str], n: int = 3) -> str:
    found = difflib.get_close_matches(word, candidates, n=n, cutoff=0.6)
    return f"; did you mean {', '.join(found)}?" if found else ""


def check_sheet_key(con: sqlite3.Connection, key: str, year: int | None) -> str:
    """The sheet key as stored, or a :class:`StoreError` naming the conflict or close keys."""
    key = unicodedata.normalize("NFKC", key).strip()
    head = key.split(":", 1)[0]
    if year is not None and head.isdigit() and int(head) != year:
        ministry, number = (key.split(":") + ["", ""])[1:3]
        raise StoreError(
            f"--year {year} conflicts with the sheet key {key} (a sheet of {head}); drop --year,"
            f" or give the key of the {year} sheet (flowviz history {number} --ministry"
            f" {ministry} lists the project's sheets)"
        )
    if con.execute("SELECT 1 FROM sheets WHERE sheet_key = ?", (key,)).fetchone():
        return key
    number = key.rsplit(":", 1)[-1]
    rows = con.execute(
        "SELECT sheet_key FROM sheets WHERE year = ? OR number = ?", (head, number)
    ).fetchall()
    raise StoreError(
        f"no old-format sheet {key!r} in the store (keys are YEAR:府省庁:事業番号, e.g."
        f" 2017:総務省:0048){_close(key, [r[0] for r in rows])}"
    )


def check_project_id(con: sqlite3.Connection, pid: str, year: int | None) -> str:
    """The RS project id as stored (full-width digits folded), or a :class:`StoreError` with
    the sheet keys an old-format 事業番号 belongs to."""
    pid = unicodedata.normalize("NFKC", pid).strip()
    where, params = ("project_id = ?", [pid])
    if year is not None:
        where, params = "project_id = ? AND year = ?", [pid, year]
    if con.execute(f"SELECT 1 FROM projects WHERE {where}", params).fetchone():
        return pid
    keys = [
        r[0]
        for r in con.execute(
            "SELECT sheet_key FROM sheets WHERE number = ? ORDER BY year DESC LIMIT 4", (pid,)
        )
    ]
    hint = f"; old-format sheets numbered {pid}: {', '.join(keys)}" if keys else ""
    of = f" of {year}" if year is not None else ""
    raise StoreError(
        f"project {pid}{of} is not in the store{hint}; search with: flowviz projects {pid}"
    )


def check_ministry(con: sqlite3.Connection, ministry: str) -> None:
    """Raise with close ministry names when no RS project or old-format sheet matches."""
    names = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT ministry FROM projects UNION SELECT DISTINCT ministry FROM sheets"
        )
        if r[0]
    ]
    if any(ministry in n for n in names):
        return
    raise StoreError(f"no ministry {ministry!r} in the store{_close(ministry, names)}")
