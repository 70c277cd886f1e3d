"""An organisation's public income by flow year, stacked by ministry, as standalone SVG: a
money axis with its unit, the years labelled as flow years, a legend, the source wrapped to the
width, and generated alternative text.

Contract values are left out (they are not payments); old-format rows are as listed.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Any

from flowviz.i18n import english, namer
from flowviz.messages import msg
from flowviz.money import format_yen_ja, format_yen_short
from flowviz.render.alt_text import shorten
from flowviz.render.axes import ticks, y_axis
from flowviz.render.figure import FONT_FAMILY, KIND_COLORS
from flowviz.text import clean, text_width, wrap, xml_safe

#: the CUD set of the pictures, then two more, each ≥ 3:1 on white; the rest of the ministries
#: are one grey
PALETTE = (
    KIND_COLORS["ministry"],
    KIND_COLORS["company"],
    KIND_COLORS["local_government"],
    KIND_COLORS["agency"],
    "#9f1900",
    "#007a99",
    "#2b1600",
)
REST = "#8a8a8a"


def _e(v: object) -> str:
    return escape(xml_safe(str(v)), quote=True)


def _by_year(rows: list[dict[str, Any]]) -> tuple[dict[int, dict[str, int]], dict[str, int]]:
    by: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = defaultdict(int)
    for r in rows:
        if r["record"].endswith("contract") or not r["amount_yen"] or r["amount_yen"] < 0:
            continue
        m = r["ministry"] or msg("（府省庁不明）")
        by[r["flow_year"]][m] += r["amount_yen"]
        totals[m] += r["amount_yen"]
    return by, totals


def income_chart(rows: list[dict[str, Any]], title: str, top: int = 7) -> str:
    """Bars per flow year; the ``top`` ministries by total get a colour, the rest その他."""
    by, totals = _by_year(rows)
    shown = sorted(totals, key=lambda m: -totals[m])[: min(top, len(PALETTE))]
    years = sorted(by)
    peak = max((sum(v.values()) for v in by.values()), default=1) or 1
    steps = ticks(peak)
    h, bar, gap, left, top_y = 300, 44, 18, 80, 80
    width = max(left + len(years) * (bar + gap) + 40, 640)
    name = namer(None, originals=False)
    alt = _alt(title, by, peak)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{{height}}"'
        f' viewBox="0 0 {width} {{height}}" font-family="{_e(FONT_FAMILY)}" font-size="12"'
        f' role="img" aria-label="{_e(alt)}">',
        f"<title>{_e(clean(title))}</title><desc>{_e(alt)}</desc>",
        f'<rect width="{width}" height="{{height}}" fill="#fff"/>',
        f'<text x="20" y="28" font-size="16" font-weight="bold">{_e(clean(title))}</text>',
        f'<text x="20" y="46" fill="#333">{_e(msg("支払の記載額（年度別・府省庁別、契約額は含まない）"))}</text>',
        *y_axis(left, top_y, h, width - left - 20, steps),
    ]
    for i, y in enumerate(years):
        x, base = left + 10 + i * (bar + gap), top_y + h
        for m in [*shown, None]:
            v = by[y].get(m, 0) if m else sum(a for k, a in by[y].items() if k not in shown)
            if not v:
                continue
            bh = h * v / steps[-1]
            base -= bh
            color = PALETTE[shown.index(m)] if m else REST
            who = name(m) if m else msg("その他")
            out.append(
                f'<rect x="{x}" y="{base:.1f}" width="{bar}" height="{bh:.1f}" fill="{color}">'
                f"<title>{_e(y)} {_e(who)} {_e(format_yen_ja(v))}</title></rect>"
            )
        out.append(f'<text x="{x + bar / 2}" y="{top_y + h + 16}" text-anchor="middle">{y}</text>')
    out.append(
        f'<text x="{left}" y="{top_y + h + 32}" font-size="11" fill="#333">'
        f"{_e(msg('年度は支払の年度（資金の流れの年度）'))}</text>"
    )
    ly = top_y + h + 56
    legend, ly = _legend([(name(m), PALETTE[i]) for i, m in enumerate(shown)], width, ly)
    out += legend
    rs = any(r["record"] == "5-3 payment" for r in rows)
    note = msg("最大の年: {amount}。", amount=format_yen_ja(peak))
    if rs:
        note += msg("RSの年度は5-3の記載分のみ（各ブロックで最大の支出先）。")
    note += msg("出典: RSシステム（PDL1.0）、JUDGIT! / 構想日本（CC BY 4.0）")
    for k, line in enumerate(wrap(note, (width - 40) / 11, max_lines=4, words=english())):
        out.append(
            f'<text x="20" y="{ly + 20 + 15 * k}" font-size="11" fill="#333">{_e(line)}</text>'
        )
        height = ly + 20 + 15 * k + 12
    out.append("</svg>")
    return ("\n".join(out) + "\n").replace("{height}", f"{height:.0f}")


def _legend(items: list[tuple[str, str]], width: float, y: float) -> tuple[list[str], float]:
    """Swatches and names, wrapped to the width; the ministries past the top are その他."""
    out, x = [], 20.0
    for label, color in [*items, (msg("その他"), REST)]:
        w = 14 + text_width(label, 12) + 18
        if x + w > width - 20 and x > 20:
            x, y = 20.0, y + 18
        out.append(
            f'<rect x="{x}" y="{y - 10}" width="10" height="10" fill="{color}"/>'
            f'<text x="{x + 14}" y="{y}">{_e(label)}</text>'
        )
        x += w
    return out, y


def _alt(title: str, by: dict[int, dict[str, int]], peak: int) -> str:
    years = sorted(by)
    if not years:
        return msg("{title}: 支払の記載なし", title=clean(title))
    best = max(years, key=lambda y: sum(by[y].values()))
    head = msg(
        "{title}の年度別の受取（{first}〜{last}）。最大の年は{year}で{amount}。",
        title=clean(title),
        first=years[0],
        last=years[-1],
        year=best,
        amount=format_yen_short(peak),
    )
    return shorten([head])
