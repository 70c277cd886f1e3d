"""The key forms that name one sheet, and which sheets of two years are one project.

Every command that takes a sheet (``history``, ``diff -p``, ``info --project``, ``--links``
files, ``flowviz.load(project=…)``) reads the same forms, so a key copied from one place works in
every other; an unknown key is an error that names the forms.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections import defaultdict
from typing import Any

from flowviz.exceptions import StoreError
from flowviz.store.db import query

KEY_FORMS = (
    "YEAR:府省庁:事業番号 (an old-format sheet, e.g. 2017:総務省:0048), "
    "rs:YEAR:ID or YEAR:ID (an RS project of that sheet year, e.g. rs:2024:7259), "
    "uid:事業ID (JUDGIT!'s project id, e.g. uid:4347)"
)
_OLD_KEY = re.compile(r"^(\d{4}):([^:]+):(.+)$")
_RS_KEY = re.compile(r"^(?:rs:)?(\d{4}):(\d+)$")


def norm_name(name: str) -> str:
    """A project name without width or space differences (RS and old sheets print it apart)."""
    return "".join(unicodedata.normalize("NFKC", name or "").split())


def looks_like_key(text: str) -> bool:
    t = text.strip()
    return bool(_OLD_KEY.match(t) or _RS_KEY.match(t) or t.startswith("uid:"))


def resolve_key(con: sqlite3.Connection, text: str) -> dict[str, Any] | None:
    """``{"source", "key", "row"}`` for a key in one of :data:`KEY_FORMS` that is in the store;
    ``None`` when ``text`` is not in a key form; an error when it is but names no stored sheet."""
    t = text.strip()
    rs = _RS_KEY.match(t)
    if rs:
        rows = query(
            con,
            "SELECT * FROM projects WHERE year = ? AND project_id = ?",
            (int(rs[1]), rs[2]),
        )
        if not rows:
            raise StoreError(f"{t!r}: no RS project {rs[2]} of sheet year {rs[1]} in the store")
        return {"source": "rs", "key": f"rs:{rs[1]}:{rs[2]}", "row": rows[0]}
    if t.startswith("uid:"):
        rows = query(con, "SELECT * FROM sheets WHERE project_uid = ? ORDER BY year DESC", (t[4:],))
        if not rows:
            raise StoreError(f"{t!r}: no old-format sheet with JUDGIT! 事業ID {t[4:]} in the store")
        return {"source": "old", "key": rows[0]["sheet_key"], "row": rows[0]}
    if _OLD_KEY.match(t):
        rows = query(con, "SELECT * FROM sheets WHERE sheet_key = ?", (t,))
        if not rows:
            raise StoreError(f"{t!r}: no old-format sheet with this key in the store")
        return {"source": "old", "key": t, "row": rows[0]}
    return None


def require_key(con: sqlite3.Connection, text: str, where: str) -> dict[str, Any]:
    """:func:`resolve_key`, every error said at ``where`` (file, line, column), and text in no
    key form an error naming the forms."""
    try:
        found = resolve_key(con, text)
    except StoreError as exc:
        raise StoreError(f"{where}: {exc}") from None
    if found is None:
        raise StoreError(
            f"{where}: expected a sheet key, found {text.strip()!r}; the forms are {KEY_FORMS}"
        )
    return found


def lineage_ids(con: sqlite3.Connection, sheet_keys: list[str]) -> dict[str, set[str]]:
    """For each old-format sheet, the ids it shares with the other sheets of its project: its
    key, ``uid:事業ID``, the keys of the sheets its 関連する過去のレビューシート names, and
    ``name:府省庁:名称`` (how RS years join old ones). Two sheets share an id when one project."""
    out: dict[str, set[str]] = defaultdict(set)
    for chunk in _chunks(sheet_keys):
        marks = ",".join("?" * len(chunk))
        for r in query(
            con,
            f"SELECT sheet_key, project_uid, ministry, name FROM sheets WHERE sheet_key IN ({marks})",
            chunk,
        ):
            ids = out[r["sheet_key"]]
            ids |= {r["sheet_key"], f"name:{r['ministry']}:{norm_name(r['name'])}"}
            if r["project_uid"] is not None:
                ids.add(f"uid:{r['project_uid']}")
        for r in query(
            con,
            "SELECT l.sheet_key, s.sheet_key AS past, s.project_uid FROM sheet_links l JOIN sheets s"
            " ON s.year = l.past_year AND s.ministry = l.past_ministry AND s.number = l.past_number"
            f" WHERE l.sheet_key IN ({marks})",
            chunk,
        ):
            out[r["sheet_key"]].add(r["past"])
            if r["project_uid"] is not None:
                out[r["sheet_key"]].add(f"uid:{r['project_uid']}")
    return out


def _chunks(keys: list[str], n: int = 500) -> list[list[str]]:
    return [keys[i : i + n] for i in range(0, len(keys), n)]


def rs_lineage_ids(con: sqlite3.Connection, keys: list[str]) -> dict[str, set[str]]:
    """For ``rs:YEAR:ID`` keys: ``rs:ID`` (the RS id stays with a project from year to year) and
    ``name:府省庁:名称``, which an old-format sheet of the same ministry and name shares."""
    out: dict[str, set[str]] = {}
    for key in keys:
        _, year, pid = key.split(":", 2)
        rows = query(
            con,
            "SELECT ministry, name FROM projects WHERE year = ? AND project_id = ?",
            (int(year), pid),
        )
        ids = {f"rs:{pid}"}
        if rows:
            ids.add(f"name:{rows[0]['ministry']}:{norm_name(rows[0]['name'])}")
        out[key] = ids
    return out


def same_project(con: sqlite3.Connection, keys: list[str]) -> dict[str, set[str]]:
    """:func:`lineage_ids` and :func:`rs_lineage_ids` of a mixed list of keys."""
    old = [k for k in keys if not k.startswith("rs:")]
    return {
        **lineage_ids(con, old),
        **rs_lineage_ids(con, [k for k in keys if k.startswith("rs:")]),
    }
