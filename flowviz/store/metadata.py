"""The store's everyday-question layer: a view of non-competitive contracts, a lookup table
for 法人種別 codes, and tables derived at import (payee totals, project depths) so that every
page Datasette serves answers within its time limit."""

from __future__ import annotations

import sqlite3

from flowviz.model import COMPETITIVE_SOLE_SOURCE, NON_COMPETITIVE_PREFIX
from flowviz.store.payee_totals import COLUMNS as PAYEE_TOTAL_COLUMNS
from flowviz.store.payee_totals import rebuild_payee_totals

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
    "CREATE TABLE IF NOT EXISTS corp_kind_codes (code TEXT PRIMARY KEY, name TEXT)",
]

_PAYEE_TOTALS = (
    "SELECT corporate_number, payee, flow_year, ministry, SUM(amount) AS amount_yen,"
    " COUNT(*) AS rows, source FROM ("
    " SELECT e.corporate_number, e.payee, e.year - 1 AS flow_year, p.ministry, e.amount,"
    " 'RS 5-3' AS source FROM expenses e LEFT JOIN projects p"
    " ON p.year = e.year AND p.project_id = e.project_id"
    " UNION ALL SELECT sp.corporate_number, sp.payee, sp.flow_year, s.ministry, sp.amount,"
    " 'old-format' FROM sheet_payees sp JOIN sheets s ON s.sheet_key = sp.sheet_key)"
    " GROUP BY corporate_number, payee, flow_year, ministry, source"
)
# hops from the ministry to the farthest block, as drawn by `info` (5-2 links; a path
# never visits a block twice, so a cycle ends); old-format sheets publish no route, so they have no depth
_PROJECT_DEPTHS = (
    "WITH RECURSIVE walk(year, project_id, block, hops, path) AS ("
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
    " GROUP BY year, project_id"
)


#: tables computed once at import from the published rows, so that Datasette (1 s per request)
#: and SQL users read them instead of recomputing a GROUP BY over 700k rows on every page
#: tables computed once at import from the published rows, so that Datasette (1 s per request)
#: and SQL users read them instead of recomputing a GROUP BY over 700k rows on every page:
#: table → (columns, how to fill it, indexes); ``VIEWS_BEFORE`` keeps the SQL of the views they
#: replace (store layout 4), for the benchmark and the tests
DERIVED = {
    "payee_totals_by_year": (
        PAYEE_TOTAL_COLUMNS,
        rebuild_payee_totals,
        ("corporate_number", "payee", "flow_year, ministry", "ministry, flow_year"),
    ),
    "project_depths": (
        "year INTEGER, project_id TEXT, depth INTEGER, PRIMARY KEY (year, project_id)",
        _PROJECT_DEPTHS,
        ("depth",),
    ),
}
VIEWS_BEFORE = {"payee_totals_by_year": _PAYEE_TOTALS, "project_depths": _PROJECT_DEPTHS}
DERIVED_DDL = [f"CREATE TABLE IF NOT EXISTS {t} ({cols})" for t, (cols, _, _) in DERIVED.items()]
DERIVED_INDEXES = [
    f"CREATE INDEX IF NOT EXISTS {t}_{c.split(',')[0]} ON {t} ({c})"
    for t, (_, _, idx) in DERIVED.items()
    for c in idx
]


def rebuild_derived(con: sqlite3.Connection) -> None:
    """Recompute the derived tables from the stored rows (inside the caller's transaction)."""
    for table, (_, fill, _) in DERIVED.items():
        if callable(fill):
            fill(con)
        else:
            con.execute(f"DELETE FROM {table}")
            con.execute(f"INSERT INTO {table} {fill}")
