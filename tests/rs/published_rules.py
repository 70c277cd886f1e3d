"""The published-data rules restated for the tests, in plain arithmetic on the CSV cells (no
flowviz code): which FY2024 figures are suspect (docs/methods.md, "Suspect figures")."""

from __future__ import annotations

from decimal import Decimal

from .test_fy2024_truth import P, published

CAP = 50 * 10**12
MIN_JUDGED = 10**8
RATIO = 100


def yen(cell: str) -> int | None:
    text = cell.strip()
    return int(Decimal(text)) if text else None


def budgets_2024() -> dict[str, dict[str, int | None]]:
    """Per 予算事業ID: ``executed`` in FY2023 and ``largest`` 計 or 執行額 of any year (2-1 total
    rows: 会計区分 blank)."""
    out: dict[str, dict[str, int | None]] = {}
    for r in published("2-1"):
        if r["会計区分"].strip() or not r["予算年度"].strip():
            continue
        b = out.setdefault(r["予算事業ID"], {"executed": None, "largest": None})
        total, executed = yen(r["計（歳出予算現額合計）"]), yen(r["執行額（合計）"])
        if int(r["予算年度"]) == 2023:
            b["executed"] = executed
        for v in (total, executed):
            if v and (b["largest"] is None or v > b["largest"]):
                b["largest"] = v
    return out


def suspect_contract(row: dict[str, str], budgets: dict[str, dict[str, int | None]]) -> bool:
    value = yen(row[f"契約額{P}"])
    rate = row[f"落札率（％）{P}"].strip()
    if rate and Decimal(rate) > 100:
        return True
    if value is None:
        return False
    largest = budgets.get(row["予算事業ID"], {}).get("largest")
    return value > CAP or (bool(largest) and value >= MIN_JUDGED and value > largest * RATIO)


def suspect_payment(amount: int | None, executed: int | None) -> bool:
    if amount is None:
        return False
    if abs(amount) > CAP:
        return True
    return bool(executed) and executed > 0 and amount >= MIN_JUDGED and amount > executed * RATIO
