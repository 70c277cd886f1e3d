"""The findings page: one offline HTML page per ministry (or the government). First the flagged
units, each once with every indicator it trips and one sentence per indicator that says why;
then per indicator its method and a chart of the population — a funnel plot (value against
sample size, the control limit as a line) for shares and means, a histogram with the quartiles
and the fence for Tukey-judged ones — this ministry's units in blue and flagged ones in red,
and the full ranking folded. Pure text; figures exactly as in ``flowviz indicators``."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from html import escape
from typing import Any

from flowviz.analysis.methods import METHODS
from flowviz.analysis.why import why
from flowviz.render.evidence import SOURCES
from flowviz.render.funnel_chart import funnel_chart

W, H, PAD = 640, 84, 30
STYLE = """
body{font-family:'Noto Sans CJK JP','Noto Sans JP',sans-serif;margin:2em auto;max-width:60em;color:#222}
table{border-collapse:collapse;font-size:.9em}td,th{border-bottom:1px solid #ddd;padding:.2em .6em;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}tr.flag td{background:#fde8e8}
.note{color:#555;font-size:.9em}svg text{font-size:11px;fill:#444}
"""


def _x(v: Decimal, hi: Decimal) -> float:
    return PAD + float(v / hi) * (W - 2 * PAD) if hi else PAD


BINS = 60


def strip_chart(rows: list[dict[str, Any]], mine: set[str]) -> str:
    """The population as a grey histogram, Q1, median, Q3 and the fence as ticks, this page's
    units as dots (red when flagged); values past the axis sit at its end, their true value in
    the tooltip (SVG, no script)."""
    judged = [r for r in rows if r["judged"]]
    if not judged:
        return '<p class="note">No unit has enough observations to judge.</p>'
    first = judged[0]
    top = max(first["fence"], first["q3"], Decimal(0))
    hi = min(max(r["value"] for r in judged), top * 2 if top else Decimal(100)) or Decimal(1)
    counts = [0] * BINS
    for r in judged:
        counts[min(int(max(r["value"], Decimal(0)) / hi * BINS), BINS - 1)] += 1
    here = [r for r in judged if r["unit"] in mine]
    alt = escape(
        f"Distribution of {len(judged)} units: Q1 {first['q1']}, median {first['median']},"
        f" Q3 {first['q3']}, fence {first['fence']}; this page's units: {len(here)},"
        f" {sum(r['flagged'] for r in here)} beyond the fence."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" role="img"'
        f' aria-label="{alt}"><title>{alt}</title>'
    ]
    bw = (W - 2 * PAD) / BINS
    for i, c in enumerate(counts):
        if c:
            h = 4 + 22 * c / max(counts)
            parts.append(
                f'<rect x="{PAD + i * bw:.1f}" y="{48 - h:.1f}" width="{bw:.1f}" height="{h:.1f}"'
                f' fill="#ccc"><title>{c} units</title></rect>'
            )
    parts.append(f'<line x1="{PAD}" y1="48" x2="{W - PAD}" y2="48" stroke="#999"/>')
    ticks = (("Q1", first["q1"], 66), ("median", first["median"], 79), ("Q3", first["q3"], 66))
    for label, v, y in ticks:  # the median's label on a second line: Q1 and median often meet
        x = _x(min(max(v, Decimal(0)), hi), hi)
        parts.append(f'<line x1="{x:.1f}" y1="44" x2="{x:.1f}" y2="54" stroke="#666"/>')
        parts.append(f'<text x="{x:.1f}" y="{y}" text-anchor="middle">{label}</text>')
    fx = _x(min(max(first["fence"], Decimal(0)), hi), hi)
    parts.append(
        f'<line x1="{fx:.1f}" y1="12" x2="{fx:.1f}" y2="56" stroke="#c00" stroke-dasharray="4 2"/>'
    )
    anchor = "end" if fx > W - 2 * PAD else "middle"
    parts.append(
        f'<text x="{fx:.1f}" y="10" text-anchor="{anchor}" fill="#c00">fence {first["fence"]}</text>'
    )
    for r in (r for r in judged if r["unit"] in mine):
        colour = "#c00" if r["flagged"] else "#1f5fa8"
        x = _x(min(max(r["value"], Decimal(0)), hi), hi)
        parts.append(
            f'<circle cx="{x:.1f}" cy="48" r="4" fill="{colour}" fill-opacity="0.7">'
            f"<title>{escape(r['unit'])}: {r['value']}</title></circle>"
        )
    parts.append(f'<text x="{W - PAD}" y="66" text-anchor="end">{_v(hi)}+</text></svg>')
    return "".join(parts)


def _table(rows: list[dict[str, Any]]) -> str:
    head = (
        "<tr><th>unit</th><th>class</th><th>value</th><th>n</th><th>expected</th>"
        "<th>limit</th><th>flag</th></tr>"
    )
    body = "".join(
        f'<tr class="{"flag" if r["flagged"] else ""}"><td>{escape(r["unit"])}</td>'
        f"<td>{escape(r.get('condition') or '')}</td>"
        f'<td class="n">{_v(r["value"])}</td><td class="n">{r["sample"]}</td>'
        f'<td class="n">{_v(r.get("expected"))}</td><td class="n">{_v(r["fence"])}</td>'
        f"<td>{'flagged' if r['flagged'] else ('' if r['judged'] else 'not judged')}</td></tr>"
        for r in rows
    )
    return f"<table>{head}{body}</table>"


def flagged_list(rows: list[dict[str, Any]], mine: set[str] | None, lang: str) -> str:
    """Every flagged unit of the page once, with every indicator it trips and why."""
    units: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r["flagged"] and (mine is None or r["unit"] in mine):
            units[r["unit"]].append(r)
    if not units:
        return "<p>No unit of this page is beyond its limits.</p>"
    items = []
    for unit, found in sorted(units.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        reasons = "".join(
            f"<li><b>{escape(_title(r['indicator']))}</b>: {escape(why(r, lang))}</li>"
            for r in found
        )
        items.append(f"<li>{escape(unit)}<ul>{reasons}</ul></li>")
    head = f"<h2>Flagged units ({len(units)})</h2><p>Each unit once, with every indicator it trips.</p>"
    return f"{head}<ol>{''.join(items)}</ol>"


def _title(name: str) -> str:
    m = METHODS.get(name)
    return m.title if m else name


def _chart(rows: list[dict[str, Any]], mine: set[str]) -> str:
    """The chart of one class (the one of this page's first flagged unit, else the largest;
    each class has its own expected value and limits): a funnel plot for funnel-judged
    indicators, else the histogram with quartiles and fence."""
    judged = [r for r in rows if r["judged"]]
    classes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in judged:
        classes[r.get("condition") or ""].append(r)
    if not classes:
        return strip_chart(judged, mine)
    hit = next((r["condition"] for r in judged if r["flagged"] and r["unit"] in mine), None)
    cond = hit if hit is not None else max(classes, key=lambda c: len(classes[c]))
    label = f'<p class="note">Class: {escape(cond)}</p>' if len(classes) > 1 or cond else ""
    chosen = classes[cond]
    if chosen[0]["method"].startswith("funnel"):
        return label + funnel_chart(chosen, mine)
    return label + strip_chart(chosen, mine)


def _v(v: Any) -> str:
    return "—" if v is None else escape(str(v))


def findings_html(
    rows: list[dict[str, Any]], title: str, mine: set[str] | None, year: int, lang: str = "en"
) -> str:
    """The page: the flagged units, then per indicator its method, the distribution chart and
    this ministry's units ranked (``mine`` None: every unit, the government page)."""
    by_indicator: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_indicator[r["indicator"]].append(r)
    sections = []

    def flagged_here(item: tuple[str, list[dict[str, Any]]]) -> int:
        return -sum(r["flagged"] and (mine is None or r["unit"] in mine) for r in item[1])

    # the indicators with the most flagged units of this page first
    for name, ind_rows in sorted(by_indicator.items(), key=flagged_here):
        own = {r["unit"] for r in ind_rows} if mine is None else mine
        here = sorted((r for r in ind_rows if r["unit"] in own), key=lambda r: not r["flagged"])
        shown = here[:40]
        m = METHODS.get(name)
        flagged = sum(r["flagged"] for r in here)
        sections.append(
            f"<section><h2>{escape(m.title if m else name)} <small>({escape(name)})</small></h2>"
            f'<p class="note">{escape(m.measures if m else "")} Known false positives:'
            f" {escape(m.false_positives if m else '')}</p>"
            f"{_chart(ind_rows, own)}<p>{flagged} of {len(here)} units are beyond their"
            f" limits.</p><details><summary>Ranking"
            f"{' (the first 40)' if len(here) > 40 else ''}</summary>{_table(shown)}</details>"
            "</section>"
        )
    return (
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body><main>"
        f"<h1>{escape(title)}</h1><p>Sheets of {year}. Each unit is judged against all units of"
        " the year by the method that fits the indicator (docs/methods.md): shares and means"
        " against funnel-plot limits that allow for the unit's sample size, budget figures"
        " within their class (fund, supplementary, multi-year, ordinary). Findings are"
        " questions to ask, not conclusions.</p>"
        + flagged_list(rows, mine, lang)
        + "".join(sections)
        + f'<p class="note">Sources: {escape(SOURCES)}. Methods: docs/methods.md.</p></main></body></html>\n'
    )
