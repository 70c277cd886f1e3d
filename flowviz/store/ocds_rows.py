"""What an OCDS export needs from the store, in SQL: the contracts of a project, a ministry or a
year (5-4, and the contract rows of 5-1 when loaded), the 5-2 links that take a contractor's block
onward, and the organisations named in the blocks those links reach."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from flowviz.exceptions import StoreError
from flowviz.store.db import query
from flowviz.store.queries import like
from flowviz.store.questions import choose_year


@dataclass
class OcdsRows:
    """The rows behind one release package, and when the store last changed them."""

    year: int
    contracts: list[dict[str, Any]]
    #: (project_id, block) → [(to_block, to_name, link_type)] from 5-2 block → block links
    onward: dict[tuple[str, str], list[tuple[str, str, str]]] = field(default_factory=dict)
    #: (project_id, block) → [(payee, 法人番号)] named in that block (5-1 payees, else 5-3)
    payees: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)
    imported_at: str = ""
    has_51: bool = False


def _where(
    alias: str, year: int, projects: list[str] | None, ministry: str | None
) -> tuple[str, list[Any]]:
    conds, params = [f"{alias}.year = ?"], [year]
    if projects:
        conds.append(f"{alias}.project_id IN ({', '.join('?' * len(projects))})")
        params += projects
    if ministry:
        conds.append("p.ministry LIKE ? ESCAPE '\\'")
        params.append(like(ministry))
    return " AND ".join(conds), params


_CONTRACTS = """
SELECT '5-4' AS kind, c.year, c.project_id, c.line, p.name AS project, p.ministry, p.bureau,
       c.block, c.payee, c.corporate_number, c.location, c.contract_summary, c.amount, c.method,
       c.method_detail, c.bidders, c.award_rate, c.reason
  FROM contracts c LEFT JOIN projects p ON p.year = c.year AND p.project_id = c.project_id
 WHERE {where} AND NOT (c.payee = '' AND c.amount IS NULL)
"""
_PAYMENTS = """
SELECT '5-1' AS kind, c.*, p.name AS project, p.ministry, p.bureau
  FROM payments c LEFT JOIN projects p ON p.year = c.year AND p.project_id = c.project_id
 WHERE {where} ORDER BY c.project_id, c.line
"""


def ocds_rows(
    con: sqlite3.Connection,
    year: int | None = None,
    projects: list[str] | None = None,
    ministry: str | None = None,
) -> OcdsRows:
    """The contracts chosen (a project, a ministry, or the whole year) with their 5-2 context.

    A 5-4 row with neither 契約先 nor 契約額 is an empty line of the sheet, skipped as the
    project documents skip it (:mod:`flowviz.store.rs_contracts`)."""
    y = choose_year(con, year)
    where, params = _where("c", y, projects, ministry)
    rows = query(con, _CONTRACTS.format(where=where), params)
    rows += contracts_51(query(con, _PAYMENTS.format(where=where), params))
    if not rows:
        what = f"project {', '.join(projects)}" if projects else ministry or "the year"
        raise StoreError(f"no contracts of {what} in the {y} sheets of the store (5-4 or 5-1)")
    rows.sort(key=lambda r: (r["project_id"], r["kind"] != "5-4", r["line"]))
    ids = sorted({r["project_id"] for r in rows})
    out = OcdsRows(y, rows, imported_at=_imported_at(con, y))
    out.has_51 = _has(con, "payments", y)
    out.onward = _onward(con, y, ids)
    out.payees = _payees(con, y, ids, out.has_51)
    return out


def contracts_51(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The contract rows of 5-1 (in line order), each with the payee named on the payee row above
    it: 5-1 names a contractor once, then lists its contracts on the lines below, as
    :func:`flowviz.store.rs_blocks.collect_blocks` reads them."""
    out: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    project = None
    for row in rows:
        if row["project_id"] != project:
            project, current = row["project_id"], None
        if row["block_name"] and not row["payee"]:
            continue
        if row["payee"]:
            current = row
        if current is not None and (
            row["contract_summary"] or row["amount"] is not None or row["method"]
        ):
            keep = ("payee", "corporate_number", "location")
            out.append({**row, **{k: current[k] for k in keep}})
    return out


def _has(con: sqlite3.Connection, table: str, year: int) -> bool:
    return (
        con.execute(f"SELECT 1 FROM {table} WHERE year = ? LIMIT 1", (year,)).fetchone() is not None
    )


def _imported_at(con: sqlite3.Connection, year: int) -> str:
    """When the contract files of the year entered the store: the data's last change."""
    (at,) = con.execute(
        "SELECT MAX(imported_at) FROM imports WHERE year = ? AND kind IN ('5-1', '5-4')", (year,)
    ).fetchone()
    return at or ""


def _in(ids: list[str]) -> str:
    return f"project_id IN ({', '.join('?' * len(ids))})"


def _onward(
    con: sqlite3.Connection, year: int, ids: list[str]
) -> dict[tuple[str, str], list[tuple[str, str, str]]]:
    sql = (
        "SELECT DISTINCT project_id, from_block, to_block, to_name, link_type FROM block_links"
        f" WHERE year = ? AND {_in(ids)} AND from_block != '' AND to_block != ''"
        " AND to_block != from_block ORDER BY project_id, from_block, to_block"
    )
    out: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for r in con.execute(sql, (year, *ids)):
        out[(r[0], r[1])].append((r[2], r[3] or "", r[4] or ""))
    return dict(out)


def _payees(
    con: sqlite3.Connection, year: int, ids: list[str], has_51: bool
) -> dict[tuple[str, str], list[tuple[str, str]]]:
    table = "payments" if has_51 else "expenses"
    sql = (
        f"SELECT project_id, block, payee, corporate_number, MIN(line) FROM {table}"
        f" WHERE year = ? AND {_in(ids)} AND payee != '' AND block != ''"
        " GROUP BY project_id, block, payee, corporate_number ORDER BY project_id, block, 5"
    )
    out: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for r in con.execute(sql, (year, *ids)):
        out[(r[0], r[1])].append((r[2], r[3] or ""))
    return dict(out)
