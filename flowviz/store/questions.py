"""The everyday questions across the store, in SQL: who got the most, which contracts, how deep.

Each answer is rows with the amounts as published and a ``source`` saying which file they
come from; what the rows cannot say (group names such as その他, amounts not published) is
counted, not dropped silently.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from flowviz.exceptions import OptionError, StoreError
from flowviz.kinds import KINDS, organisation_kind
from flowviz.money import IMPLAUSIBLE_YEN
from flowviz.names import is_generic
from flowviz.store.db import query
from flowviz.store.metadata import NON_COMPETITIVE
from flowviz.store.queries import like


def store_years(con: sqlite3.Connection) -> list[int]:
    """Sheet years held, RS and old-format together."""
    sql = "SELECT year FROM projects UNION SELECT year FROM sheets ORDER BY 1"
    return [r[0] for r in con.execute(sql)]


def choose_year(con: sqlite3.Connection, year: int | None) -> int:
    ys = store_years(con)
    if not ys:
        raise StoreError("the store holds no sheets; run flowviz import first")
    if year is None:
        return ys[-1]
    if year not in ys:
        raise StoreError(f"no sheets of {year} in the store (it holds {ys[0]}–{ys[-1]})")
    return year


def _unit_filter(alias: str, ministry: str | None, bureau: str | None) -> tuple[str, list]:
    where, params = "", []
    for col, text in (("ministry", ministry), ("bureau", bureau)):
        if text:
            where += f" AND {alias}.{col} LIKE ? ESCAPE '\\'"
            params.append(like(text))
    return where, params


def listed_payments(
    con: sqlite3.Connection, year: int, ministry: str | None = None, bureau: str | None = None
) -> list[dict[str, Any]]:
    """Payee amounts as listed, one row per project and payee: RS 5-3 lines (the 5-1 payee
    totals when 5-1 is loaded) and old-format 支出先 rows."""
    w_rs, p_rs = _unit_filter("p", ministry, bureau)
    w_old, p_old = _unit_filter("s", ministry, bureau)
    sql = f"""
    SELECT p.ministry, p.bureau, e.project_id, p.name AS project, e.payee, e.corporate_number,
           NULL AS corp_kind, SUM(e.amount) AS amount_yen, COUNT(*) AS rows,
           SUM(e.amount IS NULL) AS rows_unknown, SUM(e.amount < 0) AS rows_negative,
           'RS 5-3' AS source
      FROM expenses e JOIN projects p ON p.year = e.year AND p.project_id = e.project_id
     WHERE e.year = ?{w_rs} AND e.payee != ''
     GROUP BY e.project_id, e.payee, e.corporate_number
    UNION ALL
    SELECT p.ministry, p.bureau, x.project_id, p.name, x.payee, x.corporate_number, x.corp_kind,
           MAX(x.payee_total), 1, MAX(x.payee_total) IS NULL, MAX(x.payee_total) < 0, 'RS 5-1'
      FROM payments x JOIN projects p ON p.year = x.year AND p.project_id = x.project_id
     WHERE x.year = ?{w_rs} AND x.payee != ''
     GROUP BY x.project_id, x.block, x.payee, x.corporate_number
    UNION ALL
    SELECT s.ministry, s.bureau, s.number, s.name, sp.payee, sp.corporate_number, NULL,
           SUM(sp.amount), COUNT(*), SUM(sp.amount IS NULL), SUM(sp.amount < 0), 'old-format'
      FROM sheet_payees sp JOIN sheets s ON s.sheet_key = sp.sheet_key
     WHERE s.year = ?{w_old} AND sp.payee != ''
     GROUP BY s.sheet_key, sp.payee, sp.corporate_number
    """
    rows = query(con, sql, [year, *p_rs, year, *p_rs, year, *p_old])
    has_51 = any(r["source"] == "RS 5-1" for r in rows)
    # with 5-1 loaded its payee totals are the payments; 5-3 lines would count them twice
    return [r for r in rows if not (has_51 and r["source"] == "RS 5-3")]


@dataclass
class Ranking:
    """Organisations ranked by what was listed as paid to them, and what was left out."""

    year: int
    rows: list[dict[str, Any]]
    group_names: int = 0
    group_names_yen: int = 0
    sources: set[str] = field(default_factory=set)

    def footer(self) -> str:
        out = f"sheets of {self.year}; amounts as listed ({', '.join(sorted(self.sources))})"
        if "RS 5-3" in self.sources:
            out += "; 5-3 lists the largest payee of each block only (load 5-1 for all payees)"
        if self.group_names:
            out += (
                f"\nnot ranked: {self.group_names} rows under group names such as その他"
                f" ({self.group_names_yen:,}円)"
            )
        return out


RANKING_COLUMNS = (
    "rank",
    "payee",
    "corporate_number",
    "kind",
    "amount_yen",
    "projects",
    "ministries",
    "rows",
    "rows_unknown",
)
SORTS = {
    "amount": lambda r: (-(r["amount_yen"] or 0), r["payee"]),
    "projects": lambda r: (-r["projects"], -(r["amount_yen"] or 0)),
    "rows": lambda r: (-r["rows"], -(r["amount_yen"] or 0)),
    "name": lambda r: (r["payee"],),
}


def payee_ranking(
    con: sqlite3.Connection,
    year: int | None = None,
    ministry: str | None = None,
    bureau: str | None = None,
    kind: str | None = None,
    sort: str = "amount",
    top: int | None = None,
) -> Ranking:
    """Organisations by the amounts listed as paid to them, grouped by 法人番号 (by the name
    as published where there is none); ``kind`` keeps one kind of organisation."""
    if kind and kind not in KINDS:
        raise OptionError(f"--kind {kind!r}: choose one of {', '.join(KINDS)}")
    if sort not in SORTS:
        raise OptionError(f"--sort {sort!r}: choose one of {', '.join(SORTS)}")
    out = Ranking(choose_year(con, year), [])
    groups: dict[str, dict[str, Any]] = {}
    for r in listed_payments(con, out.year, ministry, bureau):
        out.sources.add(r["source"])
        if is_generic(r["payee"]):
            out.group_names += r["rows"]
            out.group_names_yen += r["amount_yen"] or 0
            continue
        key = r["corporate_number"] or f"name:{r['payee']}"
        g = groups.setdefault(key, _new_group(r))
        _add(g, r)
    ranked = [_finish(g) for g in groups.values()]
    ranked = [g for g in ranked if not kind or g["kind"] == kind]
    ranked.sort(key=SORTS[sort])
    for i, g in enumerate(ranked, 1):
        g["rank"] = i
    out.rows = ranked[:top] if top else ranked
    return out


def _new_group(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "payee": r["payee"],
        "corporate_number": r["corporate_number"] or "",
        "corp_kind": r["corp_kind"],
        "amount_yen": None,
        "_projects": set(),
        "_ministries": set(),
        "rows": 0,
        "rows_unknown": 0,
    }


def _add(g: dict[str, Any], r: dict[str, Any]) -> None:
    if r["amount_yen"] is not None:
        g["amount_yen"] = (g["amount_yen"] or 0) + r["amount_yen"]
    g["_projects"].add((r["ministry"], r["project_id"]))
    g["_ministries"].add(r["ministry"])
    g["rows"] += r["rows"]
    g["rows_unknown"] += r["rows_unknown"]
    g["corp_kind"] = g["corp_kind"] or r["corp_kind"]


def _finish(g: dict[str, Any]) -> dict[str, Any]:
    kind, basis = organisation_kind(g["payee"], g["corporate_number"], g.pop("corp_kind"))
    g["kind"], g["kind_basis"] = kind, basis
    g["projects"] = len(g.pop("_projects"))
    g["ministries"] = len(g.pop("_ministries"))
    return g


CONTRACT_COLUMNS = (
    "year",
    "project_id",
    "ministry",
    "payee",
    "contract_value_yen",
    "method",
    "bidders",
    "award_rate",
    "source",
    "check",
)

CONTRACT_FIELDS = (
    "year",
    "project_id",
    "project",
    "ministry",
    "block",
    "payee",
    "corporate_number",
    "kind",
    "contract_summary",
    "contract_value_yen",
    "method",
    "method_detail",
    "bidders",
    "award_rate",
    "reason",
    "source",
    "check",
)


@dataclass
class ContractFilter:
    """Which contracts: by ministry, method, competition, bidders, award rate and value."""

    year: int | None = None
    ministry: str | None = None
    method: str | None = None
    non_competitive: bool = False
    max_bidders: int | None = None
    min_award_rate: float | None = None
    min_value_yen: int | None = None

    def where(self) -> tuple[str, list[Any]]:
        conds, params = ["c.year = ?"], [self.year]
        if self.ministry:
            conds.append("p.ministry LIKE ? ESCAPE '\\'")
            params.append(like(self.ministry))
        if self.method:
            conds.append("(c.method LIKE ? ESCAPE '\\' OR c.method_detail LIKE ? ESCAPE '\\')")
            params += [like(self.method)] * 2
        if self.non_competitive:
            conds.append(f"({NON_COMPETITIVE.format(t='c')})")
        if self.max_bidders is not None:
            conds.append("c.bidders <= ?")
            params.append(self.max_bidders)
        if self.min_award_rate is not None:
            conds.append("c.award_rate >= ?")
            params.append(self.min_award_rate)
        if self.min_value_yen is not None:
            conds.append("c.amount >= ?")
            params.append(self.min_value_yen)
        return " AND ".join(conds), params


def contract_rows(
    con: sqlite3.Connection, flt: ContractFilter, sort: str = "value", top: int | None = None
) -> list[dict[str, Any]]:
    """Contracts as published (5-4 and the contract rows of 5-1), with their 契約額 — a
    contract's value, not a payment."""
    orders = {
        "value": "contract_value_yen DESC",
        "award_rate": "award_rate DESC",
        "bidders": "bidders",
    }
    if sort not in orders:
        raise OptionError(f"--sort {sort!r}: choose one of {', '.join(orders)}")
    flt.year = choose_year(con, flt.year)
    where, params = flt.where()
    selects = [
        f"SELECT c.year, c.project_id, p.name AS project, p.ministry, c.block, c.payee,"
        f" c.corporate_number, c.corp_kind, c.contract_summary, c.amount AS contract_value_yen,"
        f" c.method, c.method_detail, c.bidders, c.award_rate, c.reason,"
        f" '{label} line ' || c.line AS source"
        f" FROM {table} c LEFT JOIN projects p ON p.year = c.year AND p.project_id = c.project_id"
        f" WHERE {where}{extra}"
        for table, label, extra in (
            ("contracts", "5-4", ""),
            ("payments", "5-1", " AND (c.method != '' OR c.contract_summary != '')"),
        )
    ]
    sql = (
        f"SELECT * FROM ({' UNION ALL '.join(selects)})"
        f" ORDER BY {orders[sort]}, year, project_id, source"
    )
    rows = query(con, sql + (f" LIMIT {int(top)}" if top else ""), params * 2)
    from flowviz.money import parse_rate

    for r in rows:
        r["award_rate"] = parse_rate(r["award_rate"])
        r["kind"] = organisation_kind(r["payee"], r["corporate_number"], r["corp_kind"])[0]
        value = r["contract_value_yen"]
        r["check"] = "implausible: over 50兆円 (FV011)" if value and value > IMPLAUSIBLE_YEN else ""
    return rows
