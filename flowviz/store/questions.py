"""The everyday questions across the store, in SQL: who got the most, which contracts, how deep.

Each answer is rows with the amounts as published and a ``source`` saying which file they
come from; what the rows cannot say (group names such as その他, amounts not published) is
counted, not dropped silently.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from flowviz import suspect
from flowviz.exceptions import OptionError, StoreError
from flowviz.kinds import KINDS, organisation_kind
from flowviz.model import Contract
from flowviz.names import name_class
from flowviz.store.db import query
from flowviz.store.identity_links import Resolver
from flowviz.store.metadata import NON_COMPETITIVE
from flowviz.store.queries import like, project_budgets
from flowviz.store.quotable import ContractList, LeftOut, quotable
from flowviz.store.ranking_groups import add_row, finish, new_group


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
           'RS 5-3' AS source,
           SUM(CASE WHEN {_PASSED_ON} THEN e.amount END) AS passed_on_yen,
           {_PAYS_ON.format(t="e")} AS pays_on
      FROM expenses e JOIN projects p ON p.year = e.year AND p.project_id = e.project_id
     WHERE e.year = ?{w_rs} AND e.payee != ''
     GROUP BY e.project_id, e.payee, e.corporate_number
    UNION ALL
    SELECT p.ministry, p.bureau, x.project_id, p.name, x.payee, x.corporate_number, x.corp_kind,
           MAX(x.payee_total), 1, MAX(x.payee_total) IS NULL, MAX(x.payee_total) < 0, 'RS 5-1',
           NULL, {_PAYS_ON.format(t="x")}
      FROM payments x JOIN projects p ON p.year = x.year AND p.project_id = x.project_id
     WHERE x.year = ?{w_rs} AND x.payee != ''
     GROUP BY x.project_id, x.block, x.payee, x.corporate_number
    UNION ALL
    SELECT s.ministry, s.bureau, s.number, s.name, sp.payee, sp.corporate_number, NULL,
           SUM(sp.amount), COUNT(*), SUM(sp.amount IS NULL), SUM(sp.amount < 0), 'old-format',
           NULL, 0
      FROM sheet_payees sp JOIN sheets s ON s.sheet_key = sp.sheet_key
     WHERE s.year = ?{w_old} AND sp.payee != ''
     GROUP BY s.sheet_key, sp.payee, sp.corporate_number
    """
    rows = query(con, sql, [year, *p_rs, year, *p_rs, year, *p_old])
    has_51 = any(r["source"] == "RS 5-1" for r in rows)
    # with 5-1 loaded its payee totals are the payments; 5-3 lines would count them twice
    rows = [r for r in rows if not (has_51 and r["source"] == "RS 5-3")]

    def key(r: dict[str, Any]) -> tuple:
        return (year, r["ministry"] if r["source"] == "old-format" else None, r["project_id"])

    budgets = project_budgets(con, {key(r) for r in rows})
    who = Resolver(con)
    for r in rows:
        r["check"] = suspect.payment(r["amount_yen"], budgets.get(key(r), {}).get("executed"))
        r["organisation"], r["identity"] = who.key(r["corporate_number"], r["payee"], year)
    return rows


#: 5-3 費目 that say the payee hands the money on (a subsidy, grant or fund it distributes)
PASSED_ON_ITEMS = ("補助金", "交付金", "助成金", "給付金", "基金", "補給金", "再委託")
_PASSED_ON = "(" + " OR ".join(f"e.expense_item LIKE '%{w}%'" for w in PASSED_ON_ITEMS) + ")"
#: 5-2 publishes a link from the payee's block onward (table alias ``t``)
_PAYS_ON = (
    "EXISTS (SELECT 1 FROM block_links l WHERE l.year = {t}.year AND l.project_id ="
    " {t}.project_id AND l.from_block = {t}.block AND {t}.block != '')"
)


@dataclass
class Ranking:
    """Organisations ranked by what was listed as paid to them, and what was left out."""

    year: int
    rows: list[dict[str, Any]]
    group_names: LeftOut = field(default_factory=LeftOut)
    masked_names: LeftOut = field(default_factory=LeftOut)
    suspect: LeftOut = field(default_factory=LeftOut)
    sources: set[str] = field(default_factory=set)
    final_only: bool = False
    chained: int = 0

    def footer(self) -> str:
        out = (
            f"sheets of {self.year} (money of FY{self.year - 1}); amounts as listed"
            f" ({', '.join(sorted(self.sources))})"
        )
        if "RS 5-3" in self.sources:
            out += "; 5-3 lists the largest payee of each block only (load 5-1 for all payees)"
        if self.final_only:
            out += "\nfinal recipients only: amounts the sheet says were passed on are left out"
        elif self.chained:
            out += (
                f"\n{self.chained} ranked organisations pass money on (5-2 links onward, or 費目 such"
                " as 補助金): their amount and the amounts of those they pay may be hops of one"
                " chain (see passed_on_yen; --final-only ranks what stayed)"
            )
        joined = sum(r["by_name_rows"] for r in self.rows)
        if joined:
            out += (
                f"\n{joined} rows without a valid 法人番号 (or under a number the identities file"
                " links) are counted with their organisation: by_name_rows (`flowviz payee` lists them)"
            )
        for what, left in (
            ("rows under group names such as その他 or 年金受給者", self.group_names),
            ("rows of anonymised payees such as 株式会社Ａ", self.masked_names),
            ("suspect figures (FV011; --include-suspect counts them)", self.suspect),
        ):
            if left.rows:
                out += f"\nnot ranked: {left.rows} {what} ({left.yen:,}円)"
        return out


RANKING_COLUMNS = (
    "rank",
    "payee",
    "corporate_number",
    "kind",
    "amount_yen",
    "passed_on_yen",
    "projects",
    "ministries",
    "rows",
    "rows_unknown",
    "by_name_rows",
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
    include_suspect: bool = False,
    final_only: bool = False,
) -> Ranking:
    """Organisations by the amounts listed as paid to them, one organisation a row
    (:class:`~flowviz.store.identity_links.Resolver`: its 法人番号, linked numbers, unnumbered
    rows joined by name and counted in ``by_name_rows``); ``kind`` keeps one kind. Group names,
    anonymised payees and suspect figures are counted apart, never ranked; ``final_only`` ranks
    what the sheets do not say was passed on."""
    if kind and kind not in KINDS:
        raise OptionError(f"--kind {kind!r}: choose one of {', '.join(KINDS)}")
    if sort not in SORTS:
        raise OptionError(f"--sort {sort!r}: choose one of {', '.join(SORTS)}")
    out = Ranking(choose_year(con, year), [], final_only=final_only)
    rows, out.suspect = quotable(listed_payments(con, out.year, ministry, bureau), include_suspect)
    groups: dict[str, dict[str, Any]] = {}
    for r in rows:
        out.sources.add(r["source"])
        cls = name_class(r["payee"], r["corporate_number"])
        if cls:
            (out.group_names if cls == "group" else out.masked_names).add(r)
            continue
        g = groups.setdefault(r["organisation"], new_group(r, r["organisation"]))
        add_row(g, r)
    ranked = [finish(g, final_only) for g in groups.values()]
    ranked = [g for g in ranked if (not kind or g["kind"] == kind) and g["amount_yen"] != 0]
    out.chained = sum(1 for g in ranked if g["passed_on_yen"] or g["pays_on"])
    ranked.sort(key=SORTS[sort])
    for i, g in enumerate(ranked, 1):
        g["rank"] = i
    out.rows = ranked[:top] if top else ranked
    return out


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
    con: sqlite3.Connection,
    flt: ContractFilter,
    sort: str = "value",
    top: int | None = None,
    include_suspect: bool = False,
) -> ContractList:
    """Named contracts as published (5-4 and the contract rows of 5-1), with their 契約額 — a
    contract's value, not a payment. 5-4 rows with neither a contractor nor a value (blank
    placeholders) are counted apart; suspect figures are left out unless asked."""
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
            ("contracts", "5-4", " AND (c.payee != '' OR c.amount IS NOT NULL)"),
            ("payments", "5-1", " AND (c.method != '' OR c.contract_summary != '')"),
        )
    ]
    sql = (
        f"SELECT * FROM ({' UNION ALL '.join(selects)})"
        f" ORDER BY {orders[sort]}, year, project_id, source"
    )
    rows = query(con, sql, params * 2)
    from flowviz.money import parse_rate

    for r in rows:
        r["award_rate"] = parse_rate(r["award_rate"])
        r["kind"] = organisation_kind(r["payee"], r["corporate_number"], r["corp_kind"])[0]
    return _contract_list(con, flt.year, rows, top, include_suspect)


def _contract_list(
    con: sqlite3.Connection,
    year: int,
    rows: list[dict[str, Any]],
    top: int | None,
    include_suspect: bool,
) -> ContractList:
    """Contracts judged (a ``check`` per row), suspect ones set apart unless asked, and what the
    footer counts: sole-source and one-bidder awards over every match, blank placeholders."""
    budgets = project_budgets(con, {(r["year"], None, r["project_id"]) for r in rows})
    for r in rows:
        b = budgets.get((r["year"], None, r["project_id"]), {})
        r["check"] = suspect.contract_value(
            r["contract_value_yen"], b.get("budget") or None
        ) or suspect.award_rate(r["award_rate"])
    kept, left = quotable(
        [{**r, "amount_yen": r["contract_value_yen"]} for r in rows], include_suspect
    )
    for r in kept:
        del r["amount_yen"]
    placeholders = query(
        con,
        "SELECT COUNT(*) AS n FROM contracts WHERE year = ? AND payee = '' AND amount IS NULL",
        (year,),
    )[0]["n"]
    sole = [Contract(method=r["method"] or "").is_non_competitive for r in kept]
    return ContractList(
        year,
        kept[:top] if top else kept,
        len(kept),
        left,
        placeholders,
        sole_source=sum(sole),
        one_bidder=sum(1 for r, s in zip(kept, sole, strict=True) if r["bidders"] == 1 and not s),
    )
