"""Importing a full-size 5-1 (支出先_支出情報) file, side by side with pandas reading it.

GENERATED DATA, not the published file: ../shared/data has no FY2024 5-1 (the largest RS file,
194,133 rows, ~65 MB). This writes a CSV with the published 5-1 layout (the header of the
FY2025 excerpt in tests/data/rs) and the same row count, shaped like the real one (projects of
blocks, a block row, then payee rows and their contract rows; valid 法人番号, amounts, methods,
bidders, award rates), zips it, and measures in separate processes:

  * pandas.read_csv of the same ZIP, every column as text (a plain read: no checks, no store);
  * `flowviz import` of the ZIP into a new store (parse, check every cell, store, index).

Each line shows wall time, CPU time and peak RSS of that process. Run:
  .venv/bin/python benchmarks/rs_5_1_full.py [ROWS]   (pandas: pip install -e '.[bench]')
"""

from __future__ import annotations

import csv
import io
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "rs" / "rs_sample__5-1_2025_excerpt.csv"
ROWS = 194_133
METHODS = [
    "一般競争契約（最低価格）",
    "一般競争契約（総合評価）",
    "随意契約（企画競争）",
    "随意契約（その他）",
    "指名競争契約",
]


def corporate_number(rng: random.Random) -> str:
    body = "".join(rng.choice("0123456789") for _ in range(12))
    check = 9 - sum(int(d) * (2 if i % 2 else 1) for i, d in enumerate(reversed(body))) % 9
    return f"{check}{body}"


def generate(rows: int, seed: int = 2024) -> bytes:
    """A 5-1 CSV (UTF-8 with BOM, CRLF, like the published files) of exactly ``rows`` rows."""
    rng = random.Random(seed)
    header = next(csv.reader(io.StringIO(SAMPLE.read_text("utf-8-sig"))))
    col = {h: i for i, h in enumerate(header)}
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(header)
    n, pid = 0, 0
    while n < rows:
        pid += 1
        common = ["レビューシート", "2024", str(pid), f"生成事業{pid}", str(pid % 40 + 1)]
        common += ["総務省", "総務省", "自治行政局", "", f"第{pid % 9}課", "", "", ""]
        for block in "ABCD"[: rng.randint(1, 4)]:
            payees = rng.randint(1, 12)
            amounts = [rng.randint(1, 10**9) for _ in range(payees)]
            row = common + [""] * (len(header) - len(common))
            row[col["支出先ブロック番号"]] = block
            row[col["支出先ブロック名"]] = f"株式会社生成{pid}{block}ほか"
            row[col["支出先の数"]] = str(payees)
            row[col["事業を行う上での役割"]] = "システム運用等"
            row[col["ブロックの合計支出額"]] = f"{sum(amounts)} "
            w.writerow(row)
            n += 1
            for k, amount in enumerate(amounts):
                if n >= rows:
                    break
                row = common + [""] * (len(header) - len(common))
                row[col["支出先ブロック番号"]] = block
                row[col["支出先名"]] = f"株式会社生成{rng.randint(1, 40_000)}"
                row[col["法人番号"]] = corporate_number(rng) + " "
                row[col["所在地"]] = "東京都千代田区霞が関２丁目１番２号"
                row[col["法人種別"]] = "301"
                row[col["その他支出先"]] = "FALSE"
                row[col["支出先の合計支出額"]] = f"{amount} "
                row[col["契約概要"]] = f"生成業務{pid}-{block}-{k}"
                row[col["金額"]] = f"{amount} "
                row[col["契約方式等"]] = rng.choice(METHODS)
                row[col["入札者数"]] = str(rng.randint(1, 8))
                row[col["落札率"]] = f"{rng.randint(600, 1000) / 10}"
                w.writerow(row)
                n += 1
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def measure(cmd: list[str]) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MiB) of one process."""
    t = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, env=dict(os.environ, PYTHONPATH=str(ROOT))
    )
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else ROWS
    with tempfile.TemporaryDirectory() as tmp:
        data = generate(rows)
        zipped = Path(tmp) / "5-1_RS_2024_支出先_支出情報.zip"
        with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("5-1_RS_2024_支出先_支出情報.csv", data)
        print(f"GENERATED 5-1 file (published layout, not published data): {rows:,} rows,")
        print(f"  {len(data) / 1e6:.1f} MB of CSV, {zipped.stat().st_size / 1e6:.1f} MB zipped")
        read = "import pandas, sys; pandas.read_csv(sys.argv[1], dtype=str, keep_default_na=False)"
        runs = {
            "pandas.read_csv (all text, no checks, no store)": [sys.executable, "-c", read, str(zipped)],
            "flowviz import (parse, check, store, index)": [
                sys.executable, "-m", "flowviz", "import", str(zipped), "--db", f"{tmp}/s.db",
            ],
        }  # fmt: skip
        print(f"{'':<50} {'wall s':>7} {'CPU s':>7} {'peak MiB':>9}")
        for label, cmd in runs.items():
            wall, cpu, rss = measure(cmd)
            print(f"{label:<50} {wall:7.1f} {cpu:7.1f} {rss:9.0f}")


if __name__ == "__main__":
    main()
