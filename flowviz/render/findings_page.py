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

from flowviz.analysis.why import why
from flowviz.i18n import current
from flowviz.messages import N_, msg
from flowviz.render.findings_text import INDICATORS
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
        return f'<p class="note">{escape(msg("判定に足る観測のある単位がない。"))}</p>'
    first = judged[0]
    top = max(first["fence"], first["q3"], Decimal(0))
    hi = min(max(r["value"] for r in judged), top * 2 if top else Decimal(100)) or Decimal(1)
    counts = [0] * BINS
    for r in judged:
        counts[min(int(max(r["value"], Decimal(0)) / hi * BINS), BINS - 1)] += 1
    here = [r for r in judged if r["unit"] in mine]
    alt = escape(
        msg(
            "{n}単位の分布: Q1 {q1}、中央値 {median}、Q3 {q3}、境界 {fence}。この頁の単位 {m}、"
            "うち境界超 {flagged}。",
            n=len(judged),
            q1=first["q1"],
            median=first["median"],
            q3=first["q3"],
            fence=first["fence"],
            m=len(here),
            flagged=sum(r["flagged"] for r in here),
        )
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" role="img"'
        f' aria-label="{alt}"><title>{alt}</title>'
    ]
    parts += _bars(counts)
    parts.append(f'<line x1="{PAD}" y1="48" x2="{W - PAD}" y2="48" stroke="#999"/>')
    ticks = (("Q1", first["q1"], 66), (msg("中央値"), first["median"], 79), ("Q3", first["q3"], 66))
    for label, v, y in ticks:  # the median's label on a second line: Q1 and median often meet
        x = _x(min(max(v, Decimal(0)), hi), hi)
        parts.append(f'<line x1="{x:.1f}" y1="44" x2="{x:.1f}" y2="54" stroke="#666"/>')
        parts.append(f'<text x="{x:.1f}" y="{y}" text-anchor="middle">{escape(label)}</text>')
    fx = _x(min(max(first["fence"], Decimal(0)), hi), hi)
    parts.append(
        f'<line x1="{fx:.1f}" y1="12" x2="{fx:.1f}" y2="56" stroke="#c00" stroke-dasharray="4 2"/>'
    )
    anchor = "end" if fx > W - 2 * PAD else "middle"
    parts.append(
        f'<text x="{fx:.1f}" y="10" text-anchor="{anchor}" fill="#b00000">{escape(msg("境界 {value}", value=first["fence"]))}</text>'
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


def _bars(counts: list[int]) -> list[str]:
    """The population's histogram: one grey bar per bin, its count in the tooltip."""
    bw = (W - 2 * PAD) / BINS
    return [
        f'<rect x="{PAD + i * bw:.1f}" y="{48 - 4 - 22 * c / max(counts):.1f}" width="{bw:.1f}"'
        f' height="{4 + 22 * c / max(counts):.1f}" fill="#ccc">'
        f"<title>{escape(msg('{n}単位', n=c))}</title></rect>"
        for i, c in enumerate(counts)
        if c
    ]


def _table(rows: list[dict[str, Any]]) -> str:
    names = (N_("単位"), N_("類型"), N_("値"), N_("件数"), N_("期待値"), N_("限度"), N_("判定"))
    head = "<tr>" + "".join(f"<th>{escape(msg(h))}</th>" for h in names) + "</tr>"
    body = "".join(
        f'<tr class="{"flag" if r["flagged"] else ""}"><td>{escape(r["unit"])}</td>'
        f"<td>{escape(r.get('condition') or '')}</td>"
        f'<td class="n">{_v(r["value"])}</td><td class="n">{r["sample"]}</td>'
        f'<td class="n">{_v(r.get("expected"))}</td><td class="n">{_v(r["fence"])}</td>'
        f"<td>{escape(msg('境界超') if r['flagged'] else ('' if r['judged'] else msg('判定せず')))}</td></tr>"
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
        return f"<p>{escape(msg('この頁に限度を超える単位はない。'))}</p>"
    items = []
    for unit, found in sorted(units.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        reasons = "".join(
            f"<li><b>{escape(_title(r['indicator']))}</b>: {escape(why(r, lang))}</li>"
            for r in found
        )
        items.append(f"<li>{escape(unit)}<ul>{reasons}</ul></li>")
    head = (
        f"<h2>{escape(msg('境界を超える単位（{n}）', n=len(units)))}</h2>"
        f"<p>{escape(msg('各単位を一度ずつ、超えるすべての指標とともに示す。'))}</p>"
    )
    return f"{head}<ol>{''.join(items)}</ol>"


def _title(name: str) -> str:
    return msg(INDICATORS[name][0]) if name in INDICATORS else name


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
    label = (
        f'<p class="note">{escape(msg("類型: {cls}", cls=cond))}</p>'
        if len(classes) > 1 or cond
        else ""
    )
    chosen = classes[cond]
    if chosen[0]["method"].startswith("funnel"):
        return label + funnel_chart(chosen, mine)
    return label + strip_chart(chosen, mine)


def _v(v: Any) -> str:
    return "—" if v is None else escape(str(v))


def _section(name: str, ind_rows: list[dict[str, Any]], mine: set[str] | None) -> str:
    own = {r["unit"] for r in ind_rows} if mine is None else mine
    here = sorted((r for r in ind_rows if r["unit"] in own), key=lambda r: not r["flagged"])
    title, measures, false_positives = (msg(k) for k in INDICATORS.get(name, (name, "", "")))
    flagged = sum(r["flagged"] for r in here)
    count = msg("{flagged}/{n}単位が限度を超える。", flagged=flagged, n=len(here))
    ranking = msg("順位") + (msg("（最初の40単位）") if len(here) > 40 else "")
    known = msg("知られている誤検出: {text}", text=false_positives)
    return (
        f"<section><h2>{escape(title)} <small>({escape(name)})</small></h2>"
        f'<p class="note">{escape(measures)} {escape(known)}</p>'
        f"{_chart(ind_rows, own)}<p>{escape(count)}</p><details><summary>{escape(ranking)}"
        f"</summary>{_table(here[:40])}</details></section>"
    )


def findings_html(
    rows: list[dict[str, Any]], title: str, mine: set[str] | None, year: int, lang: str = ""
) -> str:
    """The page: the flagged units, then per indicator its method, the distribution chart and
    this ministry's units ranked (``mine`` None: every unit, the government page), in the
    document's language (``lang``: the reasons' language, the document's by default)."""
    lang = lang or current()
    by_indicator: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_indicator[r["indicator"]].append(r)

    def flagged_here(item: tuple[str, list[dict[str, Any]]]) -> int:
        return -sum(r["flagged"] and (mine is None or r["unit"] in mine) for r in item[1])

    # the indicators with the most flagged units of this page first
    sections = [_section(n, r, mine) for n, r in sorted(by_indicator.items(), key=flagged_here)]
    about = msg(
        "{year}年のシート。各単位をその年の全単位と、指標に合う方法で比べる（docs/methods.md）: "
        "割合と平均は単位の件数を考慮したファネル図の限度と、予算の数値は類型（基金、補正、"
        "複数年度、通常）の中で。所見は問うべき問いであって、結論ではない。",
        year=year,
    )
    sources = msg(
        "出典: RSシステム オープンデータ（行政事業レビュー見える化サイト）、公共データ利用規約 "
        "第1.0版（PDL1.0）; 旧様式シート: JUDGIT! / 構想日本, CC BY 4.0。方法: docs/methods.md。"
    )
    return (
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body><main>"
        f"<h1>{escape(title)}</h1><p>{escape(about)}</p>"
        + flagged_list(rows, mine, lang)
        + "".join(sections)
        + f'<p class="note">{escape(sources)}</p></main></body></html>\n'
    )
