"""Store-wide questions answered in one command and checked against the published 5-4 file
with plain csv arithmetic: FV010 across a year and a ministry, contracts --reason-missing, and
a contract listed in several projects counted once with its projects named."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from flowviz.cli import app

from ..conftest import SHARED

runner = CliRunner()
P = "（国庫債務負担行為等による契約）"


def published() -> list[tuple[int, dict[str, str]]]:
    (z,) = (SHARED / "rs2024").glob("5-4_*.zip")
    with zipfile.ZipFile(z) as zf:
        text = zf.read(zf.namelist()[0]).decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    head = next(reader)
    out = []
    for row in reader:
        out.append((reader.line_num, dict(zip(head, row, strict=True))))
    return out


def _int(text: str) -> int | None:
    t = text.strip().removesuffix(".0")
    return int(t) if t else None


def budgets() -> dict[str, int]:
    """Project → its largest yearly 計 or 執行額 (2-1 total rows: no 会計区分)."""
    (z,) = (SHARED / "rs2024").glob("2-1_*.zip")
    with zipfile.ZipFile(z) as zf:
        text = zf.read(zf.namelist()[0]).decode("utf-8-sig")
    out: dict[str, int] = defaultdict(int)
    for r in csv.DictReader(io.StringIO(text, newline="")):
        if not r["会計区分"].strip() and r["予算年度"].strip():
            for col in ("計（歳出予算現額合計）", "執行額（合計）"):
                out[r["予算事業ID"]] = max(out[r["予算事業ID"]], _int(r[col]) or 0)
    return out


BUDGETS: dict[str, int] = {}


def reason_missing(r: dict[str, str]) -> bool:
    """The test's own FV010: 随意契約 (not 企画競争/公募/少額) or one bidder, 契約額 10億円 or
    more, no reason; figures the sheet contradicts set apart (落札率 over 100 %, over 50兆円,
    over 100 times the project's largest yearly budget)."""
    if not BUDGETS:
        BUDGETS.update(budgets())
    method, value = r[f"契約方式等{P}"], _int(r[f"契約額{P}"])
    sole = method.startswith("随意契約") and not any(
        k in method for k in ("企画競争", "公募", "少額")
    )
    one = r[f"入札者数（応募者数）{P}"].strip() in ("1", "1.0")
    reason = next(v for k, v in r.items() if k.startswith("一者応札・一者応募"))
    rate = r[f"落札率（％）{P}"].strip()
    budget = BUDGETS.get(r["予算事業ID"], 0)
    suspect = (
        (rate and Decimal(rate) > 100)
        or (value or 0) > 50 * 10**12
        or (budget > 0 and (value or 0) >= 10**8 and (value or 0) > 100 * budget)
    )
    return (sole or one) and (value or 0) >= 10**9 and not reason.strip() and not suspect


def run(store: Path, *args: str) -> str:
    r = runner.invoke(app, [*args, "--db", str(store)])
    assert r.exit_code == 0, r.output
    return r.stdout


def test_fv010_across_the_store_and_contracts_reason_missing(decade_store: Path):
    rows = published()
    want = {line for line, r in rows if reason_missing(r)}
    flags = json.loads(
        run(decade_store, "flags", "--rule", "FV010", "--year", "2024", "-f", "json")
    )
    assert {int(f["figures"]["origin"].split()[-1]) for f in flags} == want and len(want) > 100
    mod = json.loads(
        run(
            decade_store, "flags", "--rule", "FV010", "--year", "2024", "-m", "防衛省", "-f", "json"
        )
    )
    ministry = {line for line, r in rows if reason_missing(r) and r["府省庁"] == "防衛省"}
    assert {int(f["figures"]["origin"].split()[-1]) for f in mod} == ministry and ministry < want
    listed = json.loads(
        run(decade_store, "contracts", "--reason-missing", "--year", "2024", "-f", "json")
    )
    assert {int(c["source"].removeprefix("5-4 line ")) for c in listed} == want
    table = run(decade_store, "flags", "--rule", "FV010", "--year", "2024", "-m", "防衛省")
    assert "project_id" in table.splitlines()[0]  # store-wide rows say which project


def test_a_contract_listed_in_several_projects_is_counted_once(decade_store: Path):
    named = [
        r for _, r in published() if r[f"契約先名{P}"].strip() or _int(r[f"契約額{P}"]) is not None
    ]
    groups: dict[tuple, set[str]] = defaultdict(set)
    for r in named:
        value = _int(r[f"契約額{P}"])
        who = r[f"契約先の法人番号{P}"].strip().removesuffix(".0") or r[f"契約先名{P}"].strip()
        if value is not None and who:
            groups[(who, value, r[f"契約概要（契約名）{P}"].strip())].add(r["予算事業ID"])
    shared = {k: v for k, v in groups.items() if len(v) > 1}
    again = sum(k[1] * (len(v) - 1) for k, v in shared.items())
    total = sum(_int(r[f"契約額{P}"]) or 0 for r in named) - again
    out = run(decade_store, "contracts", "--year", "2024", "--include-suspect", "--top", "1")
    assert f"total contract value of the {len(named)}: {total:,}円" in out
    assert (
        f"listed in several projects: {len(shared)} contracts" in out and f"{again:,}円 more" in out
    )
    (biggest,) = [k for k in shared if k[1] == max(k[1] for k in shared)]
    projects = ", ".join(sorted(shared[biggest], key=lambda p: (len(p), p)))
    assert re.search(rf"{biggest[1]:,}円 .* in projects {projects}", out)
