"""``projects`` over every year in the store: RS projects and old-format sheets in one list,
each with the key every other command reads (:data:`flowviz.store.lineage.KEY_FORMS`)."""

from __future__ import annotations

import sqlite3
from typing import Any

from flowviz.store.db import query
from flowviz.store.queries import find_projects, project_filter


def search_projects(
    con: sqlite3.Connection,
    text: str | None = None,
    ministry: str | None = None,
    year: int | None = None,
    min_depth: int | None = None,
) -> list[dict[str, Any]]:
    """Old-format sheets then RS projects whose number/id, name, ministry or bureau contains
    ``text``, oldest first. ``min_depth`` is measured on RS 5-2 links only: old-format sheets
    publish no links between groups, so with it only RS projects are listed."""
    rs = [
        {"key": f"rs:{r['year']}:{r['project_id']}", **r}
        for r in find_projects(con, text, ministry, year, min_depth)
    ]
    if min_depth is not None:
        return rs
    where, params = project_filter("", "number", text, ministry, year)
    old = query(
        con,
        "SELECT sheet_key AS key, year, number AS project_id, name, ministry, bureau,"
        " NULL AS expenses_5_3_yen, NULL AS blocks, NULL AS depth FROM sheets"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY year, ministry, number",
        params,
    )
    return old + rs
