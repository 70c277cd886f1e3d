"""Questions to the store, answered in SQL: projects, and everything about one organisation."""

from __future__ import annotations

import sqlite3
from typing import Any

from flowviz.money import format_yen
from flowviz.store import identity
from flowviz.store.budget_lookup import project_budgets
from flowviz.store.db import query
from flowviz.store.identity_links import JUDGIT_REGISTRY_DATE, name_source


def like(text: str) -> str:
    """A LIKE pattern that matches ``text`` literally (``%`` and ``_`` escaped with ``\\``)."""
    esc = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{esc}%"


def project_filter(
    a: str, id_col: str, text: str | None, ministry: str | None, year: int | None
) -> tuple[list[str], list[Any]]:
    """WHERE terms of a project search (columns prefixed with ``a``): the year, the ministry
    (part of its name), and ``text`` as the id exactly or part of a name, ministry or bureau."""
    where: list[str] = []
    params: list[Any] = []
    if year:
        where.append(f"{a}year = ?")
        params.append(year)
    if ministry:
        where.append(f"{a}ministry LIKE ? ESCAPE '\\'")
        params.append(like(ministry))
    if text:
        where.append(
            f"({a}{id_col} = ? OR {a}name LIKE ? ESCAPE '\\' OR {a}ministry LIKE ? ESCAPE '\\'"
            f" OR {a}bureau LIKE ? ESCAPE '\\')"
        )
        params += [text, like(text), like(text), like(text)]
    return where, params


def find_projects(
    con: sqlite3.Connection,
    text: str | None = None,
    ministry: str | None = None,
    year: int | None = None,
    min_depth: int | None = None,
) -> list[dict[str, Any]]:
    """Projects whose id, name or ministry contains ``text`` (id matches exactly first);
    ``min_depth`` keeps those whose money goes that many hops or more (view project_depths)."""
    where, params = project_filter("p.", "project_id", text, ministry, year)
    if min_depth is not None:
        where.append("d.depth >= ?")
        params.append(min_depth)
    sql = (
        "SELECT p.year, p.project_id, p.name, p.ministry, p.bureau,"
        " (SELECT SUM(amount) FROM expenses e WHERE e.year = p.year AND e.project_id = p.project_id) AS expenses_5_3_yen,"
        " (SELECT COUNT(DISTINCT to_block) FROM block_links b WHERE b.year = p.year AND b.project_id = p.project_id AND to_block != '') AS blocks,"
        " d.depth FROM projects p"
        " LEFT JOIN project_depths d ON d.year = p.year AND d.project_id = p.project_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY p.year, CAST(p.ministry_order AS INTEGER), CAST(p.project_id AS INTEGER)"
    )
    return query(con, sql, params)


def english_names() -> dict[str, str]:
    """Folded English name → Japanese name, from the glossary, so ``payee NetOne`` finds
    ネットワンシステムズ株式会社."""
    import re

    from flowviz.i18n import glossary

    out = {}
    for ja, en in glossary().get("organisations", {}).items():
        key = re.sub(r"[^a-z0-9]|co\.?,?\s*ltd\.?|corporation|inc\.?", "", en.lower())
        out[key] = ja
    return out


def payee_answer(
    con: sqlite3.Connection, text: str, year: int | None = None
) -> tuple[identity.Match, list[dict[str, Any]]]:
    """The organisations a query matches, and the rows of the one chosen (none when the query
    matches several): see :func:`payee_rows` and :mod:`flowviz.store.identity`."""
    match = identity.find(con, text, english_names())
    if match.chosen is None:
        return match, []
    return match, organisation_rows(con, match.chosen, year)


def organisation_lines(match: identity.Match) -> list[str]:
    """One line per organisation the query matched (number, names used, years, rows), the
    chosen one first; advice when the query matched several and none was chosen."""

    def line(o: identity.Organisation) -> str:
        names = ", ".join(sorted(o.names, key=lambda n: -o.names[n])[:4])
        more = f" (+{len(o.names) - 4} names)" if len(o.names) > 4 else ""
        by_name = (
            f"; {len(o.named_only)} names matched by name, no 法人番号" if o.named_only else ""
        )
        return (
            f"{o.corporate_number or '(no 法人番号)':13}  {names}{more}  sheets {o.first_year}–"
            f"{o.last_year}, {o.rows} rows{by_name}"
        )

    if match.chosen is not None:
        out = [f"organisation: {line(match.chosen)}", *link_lines(match.chosen)]
        others = [o for o in match.matched if o is not match.chosen]
        if others:
            out.append(f"also matching {len(others)} other organisations (not counted here):")
            out += [f"  {line(o)}" for o in others[:10]]
            if len(others) > 10:
                out.append(f"  … and {len(others) - 10} more")
        return out
    out = [
        f"{len(match.matched)} organisations match {match.query!r}; none is summed with another:"
    ]
    out += [f"  {line(o)}" for o in match.matched[:30]]
    if len(match.matched) > 30:
        out.append(f"  … and {len(match.matched) - 30} more")
    out.append("ask again with a 法人番号, or the full name")
    return out


def link_lines(org: identity.Organisation) -> list[str]:
    """What the registry says of an organisation, and what the identities file joins to it or
    takes from it, with their sources."""
    out = registry_lines(org.registration)
    out += [
        f"  + rows under {link.corporate_number} in {link.years()}, linked by {link.source}"
        for link in org.linked_in
    ]
    out += [
        f"  - rows of {link.years()} under this number are {link.same_as}'s, linked by {link.source}"
        for link in org.linked_out
    ]
    return out


def registry_lines(reg: dict[str, Any] | None) -> list[str]:
    """The registry's name, English name, closure and successor (its source named)."""
    if not reg:
        return []
    if not reg["registered"]:
        return ["  not in the 法人番号 registry loaded: rows under it are matched by name"]
    en = f" ({reg['en_name']})" if reg["en_name"] else ""
    out = [f"  registered: {reg['name']}{en}, updated {reg['update_date']} ({reg['source']})"]
    if reg["close_date"]:
        out.append(f"  closed {reg['close_date']} ({reg['close_cause']})")
    if reg["successor"]:
        out.append(f"  successor: {reg['successor']} (flowviz payee {reg['successor']})")
    return out


def payee_rows(con: sqlite3.Connection, text: str, year: int | None = None) -> list[dict[str, Any]]:
    """Every published record of one organisation, by 法人番号 or a name as people type it:
    payments (5-3 lines summed per block, 5-1 payee totals) and contracts (5-1 contract rows,
    5-4), each with its own amount — a contract's 契約額 is never a payment. A query matching
    several organisations returns no rows (see :func:`payee_answer`)."""
    return payee_answer(con, text, year)[1]


def organisation_rows(
    con: sqlite3.Connection, org: identity.Organisation, year: int | None = None
) -> list[dict[str, Any]]:
    """The rows of one organisation (:func:`identity.row_filter`), each with ``match``: "by name"
    for a row without a 法人番号, "linked" for a number the identities file joins to it."""
    rows = _rows_where(con, org, year)
    linked = {link.corporate_number for link in org.linked_in}
    for r in rows:
        num = r["corporate_number"] or ""
        r["name_source"] = name_source(r["record"], num)
        r["match"] = (
            "linked"
            if num in linked
            else "by name"
            if org.corporate_number and num != org.corporate_number
            else ""
        )
    mark_suspect(con, rows)
    return rows


def _rows_where(
    con: sqlite3.Connection, org: identity.Organisation, year: int | None
) -> list[dict[str, Any]]:
    cond, params = identity.row_filter(org)
    old_cond, _ = identity.row_filter(org, "sp")
    yc, yp = (" AND year = ?", [year]) if year else ("", [])
    sql = f"""
    SELECT year, project_id, block, payee, corporate_number, '5-3 payment' AS record,
           SUM(amount) AS amount_yen, NULL AS contract_value_yen, NULL AS contract_method,
           NULL AS bidders, NULL AS award_rate, NULL AS reason, MIN(line) AS line
      FROM expenses WHERE {cond}{yc} GROUP BY year, project_id, block, payee, corporate_number
    UNION ALL
    SELECT year, project_id, block, payee, corporate_number, '5-1 payment', MAX(payee_total),
           NULL, NULL, NULL, NULL, NULL, MIN(line)
      FROM payments WHERE {cond}{yc} AND payee != '' AND payee_total IS NOT NULL
      GROUP BY year, project_id, block, payee, corporate_number
    UNION ALL
    SELECT year, project_id, block, payee, corporate_number, '5-1 contract', NULL, amount,
           method, bidders, award_rate, reason, line
      FROM payments WHERE {cond}{yc} AND (method != '' OR contract_summary != '')
    UNION ALL
    SELECT year, project_id, block, payee, corporate_number, '5-4 contract', NULL, amount,
           method, bidders, award_rate, reason, line
      FROM contracts WHERE {cond}{yc}
    """
    old_sql = f"""
    SELECT sp.year, sp.flow_year, s.number AS project_id, s.name AS project, s.ministry, sp.grp AS block,
           sp.payee, sp.corporate_number, 'old-format payee' AS record, sp.amount AS amount_yen,
           NULL AS contract_value_yen, NULL AS contract_method, NULL AS bidders, NULL AS award_rate,
           NULL AS reason, s.line AS line, s.url AS source
      FROM sheet_payees sp JOIN sheets s ON s.sheet_key = sp.sheet_key
     WHERE {old_cond}{yc.replace("year", "sp.year")}
    """
    rows = query(
        con,
        f"SELECT * FROM (SELECT r.year, r.year - 1 AS flow_year, r.project_id, p.name AS project, p.ministry,"
        f" r.block, r.payee, r.corporate_number, r.record, r.amount_yen, r.contract_value_yen,"
        f" r.contract_method, r.bidders, r.award_rate, r.reason, r.line, 'RS' AS source FROM ({sql}) r"
        " LEFT JOIN projects p ON p.year = r.year AND p.project_id = r.project_id"
        f" UNION ALL {old_sql})"
        " ORDER BY flow_year, ministry, COALESCE(amount_yen, contract_value_yen) DESC, project_id, block",
        (params + yp) * 5,
    )
    from flowviz.money import parse_rate

    for r in rows:
        r["award_rate"] = parse_rate(r["award_rate"])
    return rows


def mark_suspect(con: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
    """Give every row a ``check``: why its payment or contract value is suspect
    (:mod:`flowviz.suspect`, judged against its own project's execution and budget), or ``""``."""
    from flowviz import suspect

    def key(r: dict[str, Any]) -> tuple:
        return (r["year"], None if r["source"] == "RS" else r["ministry"], r["project_id"])

    budgets = project_budgets(con, {key(r) for r in rows})
    for r in rows:
        b = budgets.get(key(r), {})
        if r["record"].endswith("contract"):
            r["check"] = suspect.contract_value(
                r["contract_value_yen"], b.get("budget") or None
            ) or suspect.award_rate(r["award_rate"])
        else:
            r["check"] = suspect.payment(r["amount_yen"], b.get("executed"))


def payee_totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Payments per flow year and per ministry (contract values apart): the sums of the rows."""
    by_year: dict[int, int] = {}
    by_ministry: dict[str, int] = {}
    for r in rows:
        if r["record"].endswith("contract") or r["amount_yen"] is None or r.get("check"):
            continue
        by_year[r["flow_year"]] = by_year.get(r["flow_year"], 0) + r["amount_yen"]
        m = r["ministry"] or "（府省庁不明）"
        by_ministry[m] = by_ministry.get(m, 0) + r["amount_yen"]
    return {
        "by_flow_year": dict(sorted(by_year.items())),
        "by_ministry": dict(sorted(by_ministry.items(), key=lambda x: -x[1])),
    }


def payee_footer(rows: list[dict[str, Any]]) -> str:
    """Totals under the ``payee`` table: payments and contract values, never added together;
    per flow year and per ministry when the rows span several."""
    pays = [r for r in rows if not r["record"].endswith("contract")]
    cons = [r for r in rows if r["record"].endswith("contract")]
    paid = sum(r["amount_yen"] or 0 for r in pays if not r.get("check"))
    value = sum(r["contract_value_yen"] or 0 for r in cons if not r.get("check"))
    out = (
        f"{len(pays)} payments, total {format_yen(paid)}; {len(cons)} contracts, contract value"
        f" {format_yen(value)} (契約額, not payments)"
    )
    sus = [r for r in rows if r.get("check")]
    if sus:
        left = sum((r["amount_yen"] or r["contract_value_yen"] or 0) for r in sus)
        out += (
            f"\nleft out of the totals: {len(sus)} suspect figures ({format_yen(left)}), kept as"
            " published and marked in the check column (FV011)"
        )
    t = payee_totals(rows)
    if len(t["by_flow_year"]) > 1:
        out += "\nby flow year: " + ", ".join(
            f"{y} {format_yen(v)}" for y, v in t["by_flow_year"].items()
        )
    if len(t["by_ministry"]) > 1:
        out += "\nby ministry: " + ", ".join(
            f"{m} {format_yen(v)}" for m, v in t["by_ministry"].items()
        )
    replaced = sum(r.get("name_source", "as published") != "as published" for r in rows)
    if replaced:
        out += (
            f"\nnames: {replaced} old-format rows carry the 法人番号 registry's name of"
            f" {JUDGIT_REGISTRY_DATE}, which JUDGIT! put in place of the name printed on the sheet"
            " (name_source in csv/json); a mistyped number there carries another company's name"
        )
    if any(r["record"] == "old-format payee" for r in rows):
        out += (
            "\nnote: old-format sheets list payees per group without saying who paid whom;"
            " amounts are as listed (JUDGIT! / 構想日本, CC BY 4.0)"
        )
    return out
