"""What the money-over-time picture shows, from a lineage's history or an organisation's rows."""

from __future__ import annotations

from typing import Any

from flowviz.analysis.history import History
from flowviz.render.over_time import OverTime, top_series

SOURCES = "出典: 旧様式シート JUDGIT! / 構想日本（CC BY 4.0）、RSシステム（PDL1.0）"


def history_over_time(h: History, top: int = 8) -> OverTime:
    """A lineage: its payees year by year (the ``top`` largest by total, the rest as one)."""
    amounts = {p.name: {y: v for y, v in p.by_year.items() if v > 0} for p in h.payees if p.by_year}
    amounts = {k: v for k, v in amounts.items() if v}
    series = top_series(amounts, top, "その他の支出先")
    years = list(range(min(h.flow_years), max(h.flow_years) + 1)) if h.flow_years else []
    old = {m.year - 1 for m in h.members if m.source == "old"}
    executed = {
        b.year: b.values["executed"]
        for b in h.budget
        if b.year in years and not b.running and b.values.get("executed") is not None
    }
    first = h.members[0] if h.members else None
    names = sorted({m.name for m in h.members})
    numbers = ", ".join(
        f"RS {m.year}:{m.number}"
        if m.source == "rs"
        else m.number
        if "-" in m.number
        else f"{m.year}:{m.number}"
        for m in h.members
    )
    renamed = []
    for m in h.members:
        if not renamed or renamed[-1][0] != m.name:
            renamed.append((m.name, m.year))
    negative = sum(1 for p in h.payees for v in p.by_year.values() if v < 0)
    missing = [y for y in years if y not in h.flow_years]
    notes = [
        f"シート（公表年度:事業番号）: {numbers}",
        "事業名の変遷: " + " → ".join(f"{n}（{y}年度シートから）" for n, y in renamed)
        if len(renamed) > 1
        else "",
        "記載額の合計は執行額を超えうる（グループ間の支払が二重に数えられる）。"
        + (f" 記載のない年度: {', '.join(f'FY{y}' for y in missing)}。" if missing else "")
        + (f" 負の記載額 {negative} 件は描いていない。" if negative else ""),
    ]
    return OverTime(
        title=f"{first.ministry} → 支出先: {names[-1] if len(names) == 1 else first.name}"
        if first
        else "支出先の推移",
        subtitle=f"支出先ごとの記載額、FY{years[0]}–FY{years[-1]}（円、同じ縮尺）" if years else "",
        years=years,
        series=series,
        unpublished=old & set(years),
        marks=executed,
        notes=notes,
        source=SOURCES,
    )


def income_over_time(rows: list[dict[str, Any]], name: str, top: int = 8) -> OverTime:
    """An organisation's payments received per money year, by ministry (contract values, which
    are not payments, and negative rows left out)."""
    amounts: dict[str, dict[int, int]] = {}
    old: set[int] = set()
    for r in rows:
        v = r.get("amount_yen")
        if r["record"].endswith("contract") or not v or v < 0 or r["flow_year"] is None:
            continue
        per = amounts.setdefault(r["ministry"] or "（府省庁不明）", {})
        per[r["flow_year"]] = per.get(r["flow_year"], 0) + v
        if r["record"].startswith("old-format"):
            old.add(r["flow_year"])
    all_years = sorted({y for v in amounts.values() for y in v})
    years = list(range(all_years[0], all_years[-1] + 1)) if all_years else []
    by_name = sum(1 for r in rows if r.get("match") == "by name")
    return OverTime(
        title=f"{name} の受取額（府省庁別）",
        subtitle=f"支払の記載額、FY{years[0]}–FY{years[-1]}（円、同じ縮尺。契約額は含まない）"
        if years
        else "",
        years=years,
        series=top_series(amounts, top, "その他の府省庁"),
        unpublished=old,
        notes=[
            "旧様式の年度は上位10者の記載のみ; RSの年度は5-3の記載分。"
            + (f" 法人番号のない {by_name} 行は名称で同一と判定。" if by_name else "")
        ],
        source=SOURCES,
        mark_label="",
    )
