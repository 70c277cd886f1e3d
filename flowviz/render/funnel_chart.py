"""A funnel plot in SVG (no script): every judged unit as a dot at (sample size on a log scale,
value), the population's expected value as a line and the control limit on the risk side as a
line through the units' own limits, so a reader sees that small units may stray further."""

from __future__ import annotations

import math
from decimal import Decimal
from html import escape
from typing import Any

W, H, PAD, TOP = 640, 170, 36, 12


def funnel_chart(judged: list[dict[str, Any]], mine: set[str]) -> str:
    """The funnel of one indicator (rows already judged by a funnel method)."""
    values = [r["value"] for r in judged] + [r["fence"] for r in judged]
    lo, hi = min(Decimal(0), *values), max(values)
    hi = hi if hi > lo else lo + 1
    n_max = max(r["sample"] for r in judged)
    span = math.log10(n_max) if n_max > 1 else 1.0

    def x(n: int) -> float:
        return PAD + math.log10(max(n, 1)) / span * (W - 2 * PAD)

    def y(v: Decimal) -> float:
        return TOP + float((hi - v) / (hi - lo)) * (H - TOP - 30)

    exp = judged[0]["expected"]
    here = [r for r in judged if r["unit"] in mine]
    alt = escape(
        f"Funnel plot of {len(judged)} units: value against sample size, expected {exp}, with"
        f" the control limits; this page's units: {len(here)},"
        f" {sum(r['flagged'] for r in here)} beyond the limits."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" role="img"'
        f' aria-label="{alt}"><title>{alt}</title>'
    ]
    parts.append(
        f'<line x1="{PAD}" y1="{y(exp):.1f}" x2="{W - PAD}" y2="{y(exp):.1f}" stroke="#666"/>'
        f'<text x="{W - PAD}" y="{y(exp) - 3:.1f}" text-anchor="end">expected {exp}</text>'
    )
    limit = sorted({(r["sample"], r["fence"]) for r in judged})
    points = " ".join(f"{x(n):.1f},{y(v):.1f}" for n, v in limit)
    parts.append(
        f'<polyline points="{points}" fill="none" stroke="#c00" stroke-dasharray="4 2"/>'
        f'<text x="{x(limit[-1][0]):.1f}" y="{y(limit[-1][1]) - 3:.1f}" text-anchor="end"'
        f' fill="#c00">99.8 % limit</text>'
    )
    for r in sorted(judged, key=lambda r: r["unit"] in mine):
        own = r["unit"] in mine
        colour = "#c00" if r["flagged"] and own else ("#1f5fa8" if own else "#bbb")
        parts.append(
            f'<circle cx="{x(r["sample"]):.1f}" cy="{y(r["value"]):.1f}" r="{4 if own else 2.5}"'
            f' fill="{colour}" fill-opacity="0.75"><title>{escape(r["unit"])}: {r["value"]}'
            f" (n {r['sample']}, limit {r['fence']})</title></circle>"
        )
    base = H - 18
    parts.append(
        f'<line x1="{PAD}" y1="{base}" x2="{W - PAD}" y2="{base}" stroke="#999"/>'
        f'<text x="{PAD}" y="{base + 13}">n = 1</text>'
        f'<text x="{W - PAD}" y="{base + 13}" text-anchor="end">n = {n_max} (log scale)</text>'
        f'<text x="{PAD - 4}" y="{y(hi) + 4:.1f}" text-anchor="end">{hi}</text>'
        f'<text x="{PAD - 4}" y="{y(lo) + 4:.1f}" text-anchor="end">{lo}</text></svg>'
    )
    return "".join(parts)
