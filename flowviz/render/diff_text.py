"""A year-to-year diff as text."""

from __future__ import annotations

from typing import Any

from flowviz.analysis.diff import Diff
from flowviz.money import format_yen
from flowviz.render.tables import format_table


def diff_rows(d: Diff, top: int | None) -> list[dict[str, Any]]:
    """The changed rows, at most ``top`` of each status (``None``: all); unchanged rows left out."""
    out, seen = [], {"new": 0, "gone": 0, "changed": 0}
    for r in d.rows:
        if r["status"] == "same":
            continue
        seen[r["status"]] += 1
        if top is None or seen[r["status"]] <= top:
            out.append(r)
    return out


def _total(year: int, total: int | None) -> str:
    return f"{year} no sheet" if total is None else f"{year} {format_yen(total)}"


def compared_lines(d: Diff) -> list[str]:
    """Which sheets of the lineage were compared, per flow year (or that a year has none)."""
    if d.sheets is None:
        return []
    out = []
    for year, sheets in d.sheets.items():
        if not sheets:
            out.append(f"FY{year} money: no sheet of this project lists it (sheet year {year + 1})")
        for m in sheets:
            kind = "old-format sheet" if m.source == "old" else "RS"
            out.append(
                f"FY{year} money: {m.ministry} {m.number} {m.name} ({kind}, sheet year {m.year})"
            )
    return [*out, ""]


def diff_lines(d: Diff, rows: list[dict[str, Any]]) -> list[str]:
    counts = {
        s: sum(1 for r in d.rows if r["status"] == s) for s in ("new", "gone", "changed", "same")
    }
    lines = [
        *compared_lines(d),
        f"payees listed: {_total(d.year_a, d.total_a)}, {_total(d.year_b, d.total_b)}"
        " (as listed; old-format groups may pay each other)",
        f"new {counts['new']}, gone {counts['gone']}, changed {counts['changed']}, unchanged {counts['same']}",
    ]
    by_name = sum(1 for r in d.rows if r["matched_by"] == "name")
    if by_name:
        lines.append(
            f"{by_name} payee{'s' if by_name != 1 else ''} matched across the years by name"
            " where a 法人番号 is missing"
            " (matched_by = name)"
        )
    lines.append("")
    cols = (
        "status",
        "payee",
        "corporate_number",
        f"amount_{d.year_a}_yen",
        f"amount_{d.year_b}_yen",
        "change_yen",
        f"share_{d.year_b}_pct",
        "matched_by",
        "contract_method_change",
    )
    lines.append(format_table(rows, cols))
    if d.projects_new:
        lines += [
            "",
            f"projects new in {d.year_b}: {len(d.projects_new)}: " + ", ".join(d.projects_new[:20]),
        ]
    if d.projects_ended:
        lines += [
            f"projects ended after {d.year_a}: {len(d.projects_ended)}: "
            + ", ".join(d.projects_ended[:20])
        ]
    return lines
