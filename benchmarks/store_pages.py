"""What Datasette runs for the advertised pages of the store, on a decade store: the
``payee_totals_by_year`` and ``project_depths`` answers computed per request (the views of
store layout 4) against the tables computed once at import (layout 5). Datasette interrupts a
query after 1 s (``sql_time_limit_ms``); the per-request figures show why the tables exist.

Run: .venv/bin/python benchmarks/store_pages.py STORE.db   (a store with FY2024 and 2015–2023:
flowviz import ../shared/data/rs2024/*.zip ../shared/data/judgit/*.ndjson.gz --db STORE.db)
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import time

from flowviz.store.metadata import VIEWS_BEFORE

NETONE = "7010701007922"
#: (what a page asks, its SQL with {t} for the table or the per-request query)
PAGES = [
    ("payee_totals_by_year: first page", "payee_totals_by_year", "SELECT * FROM {t} LIMIT 101"),
    ("payee_totals_by_year: row count", "payee_totals_by_year", "SELECT COUNT(*) FROM {t}"),
    (
        "payee_totals_by_year: one 法人番号",
        "payee_totals_by_year",
        f"SELECT * FROM {{t}} WHERE corporate_number = '{NETONE}'",
    ),
    (
        "payee_totals_by_year: largest first",
        "payee_totals_by_year",
        "SELECT * FROM {t} ORDER BY amount_yen DESC LIMIT 101",
    ),
    (
        "project_depths: deepest first",
        "project_depths",
        "SELECT * FROM {t} ORDER BY depth DESC LIMIT 101",
    ),
]


def seconds(con: sqlite3.Connection, sql: str, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        con.execute(sql).fetchall()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    print(f"{'page':<40} {'per request (view)':>20} {'table at import':>16}")
    for what, table, sql in PAGES:
        per_request = seconds(con, sql.format(t=f"({VIEWS_BEFORE[table]})"))
        stored = seconds(con, sql.format(t=table))
        print(f"{what:<40} {per_request:>18.3f} s {stored:>14.4f} s")


if __name__ == "__main__":
    main()
