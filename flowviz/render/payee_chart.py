"""An organisation's public income by flow year, stacked by ministry, as standalone SVG.

Contract values are left out (they are not payments); old-format rows are as listed.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Any

from flowviz.money import format_yen_ja
from flowviz.render.figure import FONT_FAMILY
from flowviz.text import clean, text_width, xml_safe

PALETTE = ("#1f4e79", "#d97706", "#2e8b57", "#7b4fa0", "#b91c1c", "#0e7490", "#a16207", "#4d4d4d")


def _e(v: object) -> str:
    return escape(xml_safe(str(v)), quote=True)


def income_chart(rows: list[dict[str, Any]], title: str, top: int = 7) -> str:
    """Bars per flow year; the ``top`` ministries by total get a colour, the rest その他."""
    by: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = defaultdict(int)
    for r in rows:
        if r["record"].endswith("contract") or not r["amount_yen"] or r["amount_yen"] < 0:
            continue
        m = r["ministry"] or "（府省庁不明）"
        by[r["flow_year"]][m] += r["amount_yen"]
        totals[m] += r["amount_yen"]
    shown = sorted(totals, key=lambda m: -totals[m])[:top]
    years = sorted(by)
    peak = max((sum(v.values()) for v in by.values()), default=1) or 1
    h, bar, gap, left, top_y = 300, 44, 18, 60, 60
    width = max(left + len(years) * (bar + gap) + 40, 640)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h + 150}" font-family="{_e(FONT_FAMILY)}" font-size="12" role="img">',
        f'<rect width="{width}" height="{h + 150}" fill="#fff"/>',
        f'<text x="20" y="28" font-size="16" font-weight="bold">{_e(clean(title))}</text>',
        '<text x="20" y="46" fill="#444">支払の記載額（年度別・府省庁別、契約額は含まない）</text>',
    ]
    for i, y in enumerate(years):
        x, base = left + i * (bar + gap), top_y + h
        for m in [*shown, "その他"]:
            v = (
                by[y].get(m, 0)
                if m != "その他"
                else sum(a for k, a in by[y].items() if k not in shown)
            )
            if not v:
                continue
            bh = h * v / peak
            base -= bh
            color = PALETTE[shown.index(m)] if m in shown else "#bbbbbb"
            out.append(
                f'<rect x="{x}" y="{base:.1f}" width="{bar}" height="{bh:.1f}" fill="{color}"><title>{_e(y)} {_e(m)} {_e(format_yen_ja(v))}</title></rect>'
            )
        out.append(f'<text x="{x + bar / 2}" y="{top_y + h + 16}" text-anchor="middle">{y}</text>')
    lx, ly = 20, top_y + h + 40
    for m in [*shown, "その他"]:
        color = PALETTE[shown.index(m)] if m in shown else "#bbbbbb"
        label = clean(m)
        out.append(
            f'<rect x="{lx}" y="{ly - 10}" width="10" height="10" fill="{color}"/><text x="{lx + 14}" y="{ly}">{_e(label)}</text>'
        )
        lx += 14 + text_width(label, 12) + 18
        if lx > width - 150:
            lx, ly = 20, ly + 18
    rs = any(r["record"] == "5-3 payment" for r in rows)
    partial = "RSの年度は5-3の記載分のみ（各ブロックで最大の支出先）。" if rs else ""
    out.append(
        f'<text x="20" y="{h + 140}" font-size="11" fill="#444">最大の年: {_e(format_yen_ja(peak))}。'
        f"{partial}出典: RSシステム（PDL1.0）、JUDGIT! / 構想日本（CC BY 4.0）</text>"
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"
