"""What the money-over-time picture shows, from a lineage's history or an organisation's rows,
in the document's language (words from the catalogue, names through ``name``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flowviz.analysis.history import History
from flowviz.messages import msg
from flowviz.render.over_time import OverTime, top_series


def _sources() -> str:
    return msg("出典: 旧様式シート JUDGIT! / 構想日本（CC BY 4.0）、RSシステム（PDL1.0）")


def _numbers(h: History) -> str:
    return ", ".join(
        f"RS {m.year}:{m.number}"
        if m.source == "rs"
        else m.number
        if "-" in m.number
        else f"{m.year}:{m.number}"
        for m in h.members
    )


def _notes(h: History, years: list[int], name: Callable[[str], str]) -> list[str]:
    renamed: list[tuple[str, int]] = []
    for m in h.members:
        if not renamed or renamed[-1][0] != m.name:
            renamed.append((m.name, m.year))
    negative = sum(1 for p in h.payees for v in p.by_year.values() if v < 0)
    missing = [y for y in years if y not in h.flow_years]
    steps = [msg("{name}（{year}年度シートから）", name=name(n), year=y) for n, y in renamed]
    return [
        msg("シート（公表年度:事業番号）: {numbers}", numbers=_numbers(h)),
        msg("事業名の変遷: {steps}", steps=" → ".join(steps)) if len(renamed) > 1 else "",
        msg("記載額の合計は執行額を超えうる（グループ間の支払が二重に数えられる）。")
        + (
            msg(" 記載のない年度: {years}。", years=", ".join(f"FY{y}" for y in missing))
            if missing
            else ""
        )
        + (msg(" 負の記載額 {n} 件は描いていない。", n=negative) if negative else ""),
    ]


def history_over_time(h: History, name: Callable[[str], str] = str, top: int = 8) -> OverTime:
    """A lineage: its payees year by year (the ``top`` largest by total, the rest as one)."""
    amounts = {
        name(p.name): {y: v for y, v in p.by_year.items() if v > 0} for p in h.payees if p.by_year
    }
    amounts = {k: v for k, v in amounts.items() if v}
    years = list(range(min(h.flow_years), max(h.flow_years) + 1)) if h.flow_years else []
    executed = {
        b.year: b.values["executed"]
        for b in h.budget
        if b.year in years and not b.running and b.values.get("executed") is not None
    }
    first = h.members[0] if h.members else None
    title = (
        msg(
            "{ministry} → 支出先: {project}",
            ministry=name(first.ministry),
            project=name(first.name),
        )
        if first
        else msg("支出先の推移")
    )
    return OverTime(
        title=title,
        subtitle=msg("支出先ごとの記載額、FY{a}–FY{b}（円、同じ縮尺）", a=years[0], b=years[-1])
        if years
        else "",
        years=years,
        series=top_series(amounts, top, msg("その他の支出先")),
        unpublished={m.year - 1 for m in h.members if m.source == "old"} & set(years),
        marks=executed,
        mark_label=msg("執行額"),
        notes=_notes(h, years, name),
        source=_sources(),
    )


def income_over_time(
    rows: list[dict[str, Any]],
    payee: str,
    top: int = 8,
    by: str = "ministry",
    name: Callable[[str], str] = str,
) -> OverTime:
    """An organisation's payments received per money year, one band per ministry or per
    project (``by``; contract values, which are not payments, and negative rows left out)."""
    amounts: dict[str, dict[int, int]] = {}
    old: set[int] = set()
    for r in rows:
        v = r.get("amount_yen")
        if r["record"].endswith("contract") or not v or v < 0 or r["flow_year"] is None:
            continue
        ministry = name(r["ministry"]) if r["ministry"] else msg("（府省庁不明）")
        project = name(r.get("project") or r["project_id"] or "")
        label = (
            ministry
            if by == "ministry"
            else msg("{project}（{ministry}）", project=project, ministry=ministry)
        )
        per = amounts.setdefault(label, {})
        per[r["flow_year"]] = per.get(r["flow_year"], 0) + v
        if r["record"].startswith("old-format"):
            old.add(r["flow_year"])
    all_years = sorted({y for v in amounts.values() for y in v})
    years = list(range(all_years[0], all_years[-1] + 1)) if all_years else []
    by_name = sum(1 for r in rows if r.get("match") == "by name")
    title = (
        msg("{payee} の受取額（府省庁別）", payee=name(payee))
        if by == "ministry"
        else msg("{payee} の受取額（事業別）", payee=name(payee))
    )
    other = msg("その他の府省庁") if by == "ministry" else msg("その他の事業")
    return OverTime(
        title=title,
        subtitle=msg(
            "支払の記載額、FY{a}–FY{b}（円、同じ縮尺。契約額は含まない）", a=years[0], b=years[-1]
        )
        if years
        else "",
        years=years,
        series=top_series(amounts, top, other),
        unpublished=old,
        notes=[
            msg("旧様式の年度は上位10者の記載のみ; RSの年度は5-3の記載分。")
            + (msg(" 法人番号のない {n} 行は名称で同一と判定。", n=by_name) if by_name else "")
        ],
        source=_sources(),
        mark_label="",
    )
