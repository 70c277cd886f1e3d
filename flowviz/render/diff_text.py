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


def diff_lines(d: Diff, rows: list[dict[str, Any]]) -> list[str]:
    counts = {
        s: sum(1 for r in d.rows if r["status"] == s) for s in ("new", "gone", "changed", "same")
    }
    lines = [
        f"payees listed: {d.year_a} {format_yen(d.total_a)}, {d.year_b} {format_yen(d.total_b)}"
        " (as listed; old-format groups may pay each other)",
        f"new {counts['new']}, gone {counts['gone']}, changed {counts['changed']}, unchanged {counts['same']}",
        "",
    ]
    cols = (
        "status",
        "payee",
        "corporate_number",
        f"amount_{d.year_a}_yen",
        f"amount_{d.year_b}_yen",
        "change_yen",
        f"share_{d.year_b}_pct",
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
