"""`payee` by name on the full store (FY2024 RS + 2015–2023 old-format sheets), side by side
with the plain alternative: a LIKE scan over every payee row.

flowviz looks names up in its name index (the store's ``payee_names``, built at import); the
alternative is what a reader would write without one. Both run in this process on the same
store, after one warm-up; the median of RUNS calls is printed, and the rows each finds.

Run: .venv/bin/python benchmarks/payee_name.py [--db STORE]
(without --db the store is built from ../shared/data first, about a minute)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
RUNS = 20
NAMES = ("博報堂", "日本電気", "ネットワンシステムズ", "地方公共団体情報システム機構")
SCAN = (
    "SELECT count(*) FROM ("
    " SELECT payee FROM sheet_payees WHERE payee LIKE ?"
    " UNION ALL SELECT payee FROM expenses WHERE payee LIKE ?"
    " UNION ALL SELECT payee FROM payments WHERE payee LIKE ?"
    " UNION ALL SELECT payee FROM contracts WHERE payee LIKE ?)"
)


def median_ms(fn) -> float:
    fn()
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from flowviz.store.db import connect
    from flowviz.store.queries import payee_answer

    args = sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        if "--db" in args:
            db = Path(args[args.index("--db") + 1])
        else:
            db = Path(tmp) / "full.db"
            files = sorted((DATA / "rs2024").glob("*.zip")) + sorted(
                (DATA / "judgit").glob("*.ndjson.gz")
            )
            cmd = [sys.executable, "-m", "flowviz", "import", *map(str, files), "--db", str(db)]
            subprocess.run(cmd, check=True, capture_output=True)
        con = connect(db)
        print(f"payee by name on {db.name}, median of {RUNS} calls (ms)")
        print(f"{'name':<32} {'flowviz payee':>14} {'LIKE scan':>10}  rows (flowviz / scan)")
        for name in NAMES:
            found: list = []

            def ours(name: str = name, found: list = found) -> None:
                found[:] = payee_answer(con, name)[1]

            pattern = f"%{name}%"
            scanned: list = []

            def scan(pattern: str = pattern, scanned: list = scanned) -> None:
                scanned[:] = [con.execute(SCAN, (pattern,) * 4).fetchone()[0]]

            a, b = median_ms(ours), median_ms(scan)
            print(f"{name:<32} {a:14.1f} {b:10.1f}  {len(found):,} / {scanned[0]:,}")
        con.close()


if __name__ == "__main__":
    main()
