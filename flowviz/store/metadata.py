"""The store as a publishable database: views for the everyday questions, a lookup table for
法人種別 codes, and Datasette metadata (what every table and column is, in which unit, from
which published header, under which licence)."""

from __future__ import annotations

from typing import Any

from flowviz.model import COMPETITIVE_SOLE_SOURCE, NON_COMPETITIVE_PREFIX
from flowviz.sources.rs_spec import KINDS

#: 法人種別 codes of the National Tax Agency's 法人番号 system, as used in RS 5-1/5-4
CORP_KIND_CODES = (
    ("101", "国の機関"),
    ("201", "地方公共団体"),
    ("301", "株式会社"),
    ("302", "有限会社"),
    ("303", "合名会社"),
    ("304", "合資会社"),
    ("305", "合同会社"),
    ("399", "その他の設立登記法人"),
    ("401", "外国会社等"),
    ("499", "その他"),
)

MAX_HOPS = 50
#: a contract awarded without competition, or to the one bidder there was (SQL, table alias t):
#: flowviz.model.is_non_competitive written in SQL from the same words (Datasette has no
#: Python), or 入札者数 = 1
NON_COMPETITIVE = (
    f"({{t}}.method LIKE '{NON_COMPETITIVE_PREFIX}%'"
    + "".join(f" AND {{t}}.method NOT LIKE '%{w}%'" for w in COMPETITIVE_SOLE_SOURCE)
    + ") OR {t}.bidders = 1"
)

VIEWS = [
    "CREATE VIEW IF NOT EXISTS non_competitive_contracts AS"
    " SELECT c.year, c.project_id, p.name AS project, p.ministry, c.block, c.payee,"
    " c.corporate_number, c.amount AS contract_value_yen, c.method, c.bidders, c.award_rate,"
    " c.reason, c.line FROM contracts c LEFT JOIN projects p"
    " ON p.year = c.year AND p.project_id = c.project_id"
    " WHERE " + NON_COMPETITIVE.format(t="c"),
    "CREATE VIEW IF NOT EXISTS payee_totals_by_year AS"
    " SELECT corporate_number, payee, flow_year, ministry, SUM(amount) AS amount_yen,"
    " COUNT(*) AS rows, source FROM ("
    " SELECT e.corporate_number, e.payee, e.year - 1 AS flow_year, p.ministry, e.amount,"
    " 'RS 5-3' AS source FROM expenses e LEFT JOIN projects p"
    " ON p.year = e.year AND p.project_id = e.project_id"
    " UNION ALL SELECT sp.corporate_number, sp.payee, sp.flow_year, s.ministry, sp.amount,"
    " 'old-format' FROM sheet_payees sp JOIN sheets s ON s.sheet_key = sp.sheet_key)"
    " GROUP BY corporate_number, payee, flow_year, ministry, source",
    # hops from the ministry to the farthest block, as drawn by `info` (5-2 links; a path
    # never visits a block twice, so a cycle ends); old-format sheets publish no route, so they have no depth
    "CREATE VIEW IF NOT EXISTS project_depths AS"
    " WITH RECURSIVE walk(year, project_id, block, hops, path) AS ("
    " SELECT year, project_id, to_block, 1, '|' || to_block || '|' FROM block_links r"
    " WHERE to_block != '' AND (from_block = '' OR NOT EXISTS (SELECT 1 FROM block_links x"
    # a first block named as the ministry itself (復興庁 → 内閣府) counts as the ministry
    " WHERE x.year = r.year AND x.project_id = r.project_id AND x.to_block = r.from_block))"
    " UNION SELECT b.year, b.project_id, b.to_block, w.hops + 1, w.path || b.to_block || '|'"
    " FROM walk w JOIN block_links b"
    " ON b.year = w.year AND b.project_id = w.project_id AND b.from_block = w.block"
    f" WHERE w.hops < {MAX_HOPS} AND instr(w.path, '|' || b.to_block || '|') = 0)"
    " SELECT year, project_id, MAX(hops) AS depth FROM ("
    " SELECT year, project_id, hops FROM walk"
    # payments with no published block still went one hop: ministry → payee
    # (a 5-3 placeholder row with no payee and no amount is no payment)
    " UNION ALL SELECT DISTINCT year, project_id, 1 FROM expenses"
    " WHERE payee != '' OR amount IS NOT NULL"
    " UNION ALL SELECT DISTINCT year, project_id, 1 FROM payments)"
    " GROUP BY year, project_id",
    "CREATE TABLE IF NOT EXISTS corp_kind_codes (code TEXT PRIMARY KEY, name TEXT)",
]

_TABLES = {
    "projects": ("RS projects, one row per sheet year (1-1 and every file)", "RS"),
    "budgets": ("2-1 予算・執行_サマリ: budget and execution per project and budget year", "RS"),
    "block_links": ("5-2 支出ブロックのつながり: who pays which block (no amounts)", "RS"),
    "payments": ("5-1 支出情報: block, payee and contract rows", "RS"),
    "expenses": ("5-3 費目・使途: per payee, amounts in yen (negative: deductions, returns)", "RS"),
    "contracts": ("5-4 国庫債務負担行為等による契約: contract values, not payments", "RS"),
    "sheets": ("Old-format review sheets 2015–2023, one row per sheet", "JUDGIT"),
    "sheet_budgets": ("Old-format 予算 rows, in yen", "JUDGIT"),
    "sheet_payees": ("Old-format 支出先 rows (no route: who paid whom is not published)", "JUDGIT"),
    "sheet_links": ("Old-format 関連する過去のレビューシート", "JUDGIT"),
    "sheet_adjustments": ("Published figures that are not a whole number of yen", "JUDGIT"),
    "imports": ("What was imported, from which file, when", ""),
    "corp_kind_codes": ("法人種別 codes (301 → 株式会社 …)", ""),
    "non_competitive_contracts": (
        "View: 5-4 contracts awarded without competition or to one bidder",
        "RS",
    ),
    "project_depths": ("View: hops from the ministry to the farthest block (5-2)", "RS"),
    "payee_totals_by_year": ("View: listed payments per organisation, flow year and ministry", ""),
}
_SOURCES = {
    "RS": (
        "行政事業レビュー見える化サイト (RSシステム) オープンデータ",
        "https://rssystem.go.jp/",
        "公共データ利用規約 第1.0版 (PDL1.0)",
    ),
    "JUDGIT": (
        "JUDGIT! / 構想日本 (行政事業レビューシート主要事項データベース)",
        "https://judgit.net/",
        "CC BY 4.0",
    ),
}
_UNITS = {
    "amount": "yen",
    "total": "yen",
    "initial": "yen",
    "executed": "yen",
    "award_rate": "percent",
    "execution_rate": "fraction",
    "amount_yen": "yen",
    "contract_value_yen": "yen",
}


def _columns(table: str) -> dict[str, str]:
    """Column → description with the published Japanese header where there is one."""
    headers: dict[str, str] = {}
    for _, (_, _, fields) in KINDS.items():
        for name, (names, _typ) in fields.items():
            headers.setdefault(name, names[0])
    out = {
        "year": "sheet year (事業年度 / 公開年度)",
        "project_id": "予算事業ID",
        "line": "line in the published CSV",
    }
    for col, header in headers.items():
        unit = _UNITS.get(col) or ("yen" if col.endswith(("_yen", "_total")) else "")
        out[col] = header + (f" — {unit}" if unit else "")
    return out


def datasette_metadata() -> dict[str, Any]:
    """The ``metadata.json`` Datasette reads: tables, columns, units, sources, licences."""
    tables = {}
    cols = _columns("")
    for table, (description, source) in _TABLES.items():
        entry: dict[str, Any] = {"description": description, "columns": cols}
        if source:
            title, url, lic = _SOURCES[source]
            entry.update(source=title, source_url=url, license=lic)
        tables[table] = entry
    return {
        "title": "flowviz store: where Japanese public money goes",
        "description": "Administrative project review sheets (行政事業レビューシート): RS-system open data and the old-format sheets of 2015–2023, imported by flowviz. Amounts are integer yen; unknown amounts are NULL, never 0.",
        "license": "PDL1.0 (RS data) and CC BY 4.0 (JUDGIT!)",
        "source": "RSシステム, JUDGIT! / 構想日本",
        "databases": {"flowviz": {"tables": tables}},
    }
