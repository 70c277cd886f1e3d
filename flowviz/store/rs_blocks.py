"""RS-system rows of one project, gathered into blocks and payees (the first steps of
:mod:`flowviz.store.rs_document`)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from flowviz import corpnum
from flowviz.exceptions import StoreError
from flowviz.model import BreakdownLine
from flowviz.store.db import query


def _num(v: Any) -> str | None:
    if not v:
        return None
    n = corpnum.normalise(str(v))
    return n or None


def _key(name: str, number: str | None) -> str:
    return number if number and number != corpnum.INDIVIDUAL_PLACEHOLDER else f"name:{name}"


@dataclass
class ProjectRows:
    project: dict[str, Any]
    links: list[dict[str, Any]]
    payments: list[dict[str, Any]]
    expenses: list[dict[str, Any]]
    contracts: list[dict[str, Any]]
    budgets: list[dict[str, Any]]


@dataclass
class Payee:
    block: str
    name: str
    number: str | None
    location: str = ""
    corp_kind: str | None = None
    total_51: int | None = None
    lines: list[BreakdownLine] = field(default_factory=list)
    contract_rows: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return _key(self.name, self.number)

    @property
    def total(self) -> int | None:
        """5-1's payee total, else the sum of its published 5-3 lines; ``None`` when neither is
        published (a blank cell is unknown, never 0円)."""
        return published_sum(self.total_51, [(b.amount_yen, False) for b in self.lines])[0]

    @property
    def total_is_lower_bound(self) -> bool:
        """The 5-3 sum leaves out lines whose amount is blank: the payee got at least it."""
        return published_sum(self.total_51, [(b.amount_yen, False) for b in self.lines])[1]


@dataclass
class Block:
    letter: str
    name: str = ""
    role: str = ""
    count: int | None = None
    total_51: int | None = None
    payees: dict[str, Payee] = field(default_factory=dict)

    def payee(self, name: str, number: str | None) -> Payee:
        k = _key(name, number)
        if k not in self.payees:
            self.payees[k] = Payee(self.letter, name, number)
        return self.payees[k]

    @property
    def total(self) -> int | None:
        """5-1's block total, else the sum of its payees; ``None`` when no amount is published."""
        return published_sum(self.total_51, self._parts())[0]

    @property
    def total_is_lower_bound(self) -> bool:
        """Some payee of the block has a blank (or partly blank) amount: the block total is a floor."""
        return published_sum(self.total_51, self._parts())[1]

    def _parts(self) -> list[tuple[int | None, bool]]:
        return [(p.total, p.total_is_lower_bound) for p in self.payees.values()]


def published_sum(
    stated: int | None, parts: list[tuple[int | None, bool]]
) -> tuple[int | None, bool]:
    """(total, at least): the stated 5-1 total when published, else the sum of the published
    parts — ``None`` when none is, and "at least" when some part is blank or itself a floor."""
    if stated is not None:
        return stated, False
    known = [v for v, _ in parts if v is not None]
    if not known:
        return None, False
    return sum(known), any(v is None or floor for v, floor in parts)


def load_rows(con: sqlite3.Connection, year: int, pid: str) -> ProjectRows:
    proj = query(con, "SELECT * FROM projects WHERE year = ? AND project_id = ?", (year, pid))
    if not proj:
        raise StoreError(
            f"project {pid} of {year} is not in the store; search with: flowviz projects {pid}"
        )

    def rows(table: str, extra: str = "") -> list[dict[str, Any]]:
        return query(
            con,
            f"SELECT * FROM {table} WHERE year=? AND project_id=?{extra} ORDER BY line",
            (year, pid),
        )

    return ProjectRows(
        project=proj[0],
        links=rows("block_links"),
        payments=rows("payments"),
        expenses=rows("expenses"),
        contracts=rows("contracts"),
        budgets=rows("budgets", " AND (account IS NULL OR account='') AND budget_year IS NOT NULL"),
    )


def collect_blocks(r: ProjectRows) -> dict[str, Block]:
    """Blocks with their payees, from 5-2 names, 5-1 block/payee/contract rows and 5-3 lines."""
    blocks: dict[str, Block] = {}

    def block(letter: str, name: str = "") -> Block:
        b = blocks.setdefault(letter, Block(letter))
        if name and not b.name:
            b.name = name
        return b

    for ln in r.links:
        if ln["to_block"]:
            block(ln["to_block"], ln["to_name"])
        if ln["from_block"]:
            block(ln["from_block"], ln["from_name"])
    current: Payee | None = None
    for row in r.payments:
        b = block(row["block"], row["block_name"])
        if row["block_name"] and not row["payee"]:
            b.name, b.role = row["block_name"], row["role"] or b.role
            b.count, b.total_51 = row["payee_count"], row["block_total"]
            continue
        if row["payee"]:
            current = b.payee(row["payee"], _num(row["corporate_number"]))
            current.location = row["location"] or current.location
            current.corp_kind = row["corp_kind"] or current.corp_kind
            if row["payee_total"] is not None:
                current.total_51 = row["payee_total"]
        if current is not None and (
            row["contract_summary"] or row["amount"] is not None or row["method"]
        ):
            current.contract_rows.append(("5-1", row))
    for row in r.expenses:
        if is_empty_expense(row):
            continue
        pe = block(row["block"]).payee(row["payee"], _num(row["corporate_number"]))
        pe.lines.append(
            BreakdownLine(row["expense_item"] or "", row["purpose"] or "", row["amount"])
        )
    return blocks


def is_empty_expense(row: dict[str, Any]) -> bool:
    """A 5-3 row with no payee and no amount (1,306 FY2024 rows are entirely blank): not a flow,
    not a payee. Sheets print such a row where the 支出先 table is left empty."""
    return not (row.get("payee") or "").strip() and row.get("amount") is None


def block_order(letters: Any) -> list[str]:
    """Block letters as the sheet orders them: A…Z, then AA…AZ."""
    return sorted(letters, key=lambda s: (len(s), s))
