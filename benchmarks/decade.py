"""A decade of money: importing the nine old-format years, and answering across them.

Printed side by side in one run, with the goals of the issue:

- import of the nine NDJSON files (47,597 sheets, 699,361 payee rows) into the store, against
  pandas reading the same files (``read_json(lines=True)``): goal under 30 s and within 2.5×;
- ``history`` of 0048 and a cross-decade ``payee`` (NetOne, 法人番号 7010701007922), in process:
  goal under 50 ms each.

Run: pip install -e '.[bench]' && .venv/bin/python benchmarks/decade.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUDGIT = ROOT.parent / "shared" / "data" / "judgit"


def seconds(fn, repeat: int = 3) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    files = sorted(JUDGIT.glob("judgit-*.ndjson.gz"))
    if not files:
        sys.exit(f"no files in {JUDGIT}")
    from flowviz.analysis.history import load_history
    from flowviz.store.db import connect
    from flowviz.store.importer import import_paths
    from flowviz.store.queries import payee_rows

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "flowviz.db"

        def flowviz_import() -> None:
            db.unlink(missing_ok=True)
            import_paths(db, files)

        t_flowviz = seconds(flowviz_import, 3)
        try:
            import pandas as pd

            t_pandas = seconds(
                lambda: [pd.read_json(f, lines=True, compression="gzip") for f in files], 3
            )
        except ImportError:
            t_pandas = float("nan")
        con = connect(db)
        t_hist = seconds(lambda: load_history(con, "0048", "総務省", 2017), 21)
        t_payee = seconds(lambda: payee_rows(con, "7010701007922"), 21)
        t_name = seconds(lambda: payee_rows(con, "ネットワンシステムズ"), 21)
    ratio = t_flowviz / t_pandas
    print(f"{'what':<44} {'flowviz':>10} {'pandas':>10}  goal")
    print(
        f"{'import 9 old-format years (s)':<44} {t_flowviz:>10.2f} {t_pandas:>10.2f}  < 30 s, ≤ 2.5× pandas ({ratio:.2f}×)"
    )
    print(f"{'history 0048 (ms, in process)':<44} {t_hist * 1000:>10.1f} {'':>10}  < 50 ms")
    print(
        f"{'payee by 法人番号, decade (ms, in process)':<44} {t_payee * 1000:>10.1f} {'':>10}  < 50 ms"
    )
    print(
        f"{'payee by name, decade (ms, in process)':<44} {t_name * 1000:>10.1f} {'':>10}  (LIKE scan)"
    )


if __name__ == "__main__":
    main()
