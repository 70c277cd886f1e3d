"""The findings page: one offline HTML page per ministry (or the government) that ranks its
units by every indicator, with a small chart of each distribution: every unit of the population
as a dot, the quartiles and the fence as lines, this ministry's units in blue and flagged ones
in red. Pure text; figures exactly as in ``flowviz indicators``."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from html import escape
from typing import Any

from flowviz.i18n import Translator, current, english
from flowviz.messages import N_, msg
from flowviz.render.findings_text import INDICATORS

W, H, PAD = 640, 84, 30
STYLE = """
body{font-family:'Noto Sans CJK JP','Noto Sans JP',sans-serif;margin:2em auto;max-width:60em;color:#222}
table{border-collapse:collapse;font-size:.9em}td,th{border-bottom:1px solid #ddd;padding:.2em .6em;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}tr.flag td{background:#fde8e8}
.note{color:#555;font-size:.9em}svg text{font-size:11px;fill:#333}
"""


def _x(v: Decimal, hi: Decimal) -> float:
    return PAD + float(v / hi) * (W - 2 * PAD) if hi else PAD


BINS = 60


def _unit_of(indicator: str) -> str:
    """What an indicator's values count, for the axis."""
    if indicator.endswith("_pct"):
        return "%"
    return {
        "hhi": msg("HHI（0〜10,000）"),
        "depth": msg("段"),
        "procedure_grade": msg("段階（0〜4）"),
    }.get(indicator, "")


def strip_chart(rows: list[dict[str, Any]], mine: set[str], indicator: str = "") -> str:
    """The population as a grey histogram, Q1, median, Q3 and the fence as ticks, this page's
    units as dots (red when flagged), and an axis with its unit; values past the axis sit at its
    end, their true value in the tooltip (SVG, no script). Alternative text in <desc>."""
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
    alt = msg(
        "{n}単位の分布（中央値 {median}、Q3 {q3}、境界 {fence}{unit}）。この頁の単位 {m}、うち境界超 {flagged}。",
        n=len(judged),
        median=first["median"],
        q3=first["q3"],
        fence=first["fence"],
        unit=_unit_of(indicator),
        m=len(here),
        flagged=sum(r["flagged"] for r in here),
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" role="img"'
        f' aria-label="{escape(alt)}"><title>{escape(alt)}</title><desc>{escape(alt)}</desc>'
    ]
    parts += _bars(counts)
    parts.append(f'<line x1="{PAD}" y1="48" x2="{W - PAD}" y2="48" stroke="#595959"/>')
    ticks = (("Q1", first["q1"], 66), (msg("中央値"), first["median"], 79), ("Q3", first["q3"], 66))
    for label, v, y in ticks:  # the median's label on a second line: Q1 and median often meet
        x = _x(min(max(v, Decimal(0)), hi), hi)
        parts.append(f'<line x1="{x:.1f}" y1="44" x2="{x:.1f}" y2="54" stroke="#595959"/>')
        parts.append(f'<text x="{x:.1f}" y="{y}" text-anchor="middle">{escape(label)}</text>')
    fx = _x(min(max(first["fence"], Decimal(0)), hi), hi)
    parts.append(
        f'<line x1="{fx:.1f}" y1="12" x2="{fx:.1f}" y2="56" stroke="#b00000" stroke-dasharray="4 2"/>'
    )
    anchor = "end" if fx > W - 2 * PAD else "middle"
    fence = msg("境界 {value}", value=first["fence"])
    parts.append(
        f'<text x="{fx:.1f}" y="10" text-anchor="{anchor}" fill="#b00000">{escape(fence)}</text>'
    )
    for r in here:
        colour = "#b00000" if r["flagged"] else "#0041ff"
        x = _x(min(max(r["value"], Decimal(0)), hi), hi)
        parts.append(
            f'<circle cx="{x:.1f}" cy="48" r="4" fill="{colour}" fill-opacity="0.8">'
            f"<title>{escape(_unit_name(r['unit']))}: {r['value']}</title></circle>"
        )
    unit = _unit_of(indicator)
    parts.append(f'<text x="{PAD}" y="66" text-anchor="start">0{escape(unit)}</text>')
    parts.append(
        f'<text x="{W - PAD}" y="66" text-anchor="end">{_v(hi)}{escape(unit)}+</text></svg>'
    )
    return "".join(parts)


def _bars(counts: list[int]) -> list[str]:
    """The population's histogram: one grey bar per bin, its count in the tooltip."""
    bw = (W - 2 * PAD) / BINS
    out = []
    for i, c in enumerate(counts):
        if c:
            h = 4 + 22 * c / max(counts)
            out.append(
                f'<rect x="{PAD + i * bw:.1f}" y="{48 - h:.1f}" width="{bw:.1f}" height="{h:.1f}"'
                f' fill="#767676"><title>{escape(msg("{n}単位", n=c))}</title></rect>'
            )
    return out


def _unit_name(unit: str) -> str:
    """A unit (府省庁 / 局, or a project) in the page's language."""
    return " / ".join(Translator().name(p) if english() else p for p in unit.split(" / "))


def _table(rows: list[dict[str, Any]]) -> str:
    head = "".join(
        f"<th>{escape(msg(h))}</th>"
        for h in (N_("単位"), N_("値"), N_("件数"), "Q3", N_("境界"), N_("判定"))
    )
    body = "".join(
        f'<tr class="{"flag" if r["flagged"] else ""}"><td>{escape(_unit_name(r["unit"]))}</td>'
        f'<td class="n">{_v(r["value"])}</td><td class="n">{r["sample"]}</td>'
        f'<td class="n">{_v(r["q3"])}</td><td class="n">{_v(r["fence"])}</td>'
        f"<td>{escape(_verdict(r))}</td></tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _verdict(r: dict[str, Any]) -> str:
    if r["flagged"]:
        return msg("境界超")
    return "" if r["judged"] else msg("判定には少なすぎる")


def _v(v: Any) -> str:
    return "—" if v is None else escape(str(v))


def _section(name: str, ind_rows: list[dict[str, Any]], mine: set[str] | None) -> str:
    own = {r["unit"] for r in ind_rows} if mine is None else mine
    here = sorted((r for r in ind_rows if r["unit"] in own), key=lambda r: not r["flagged"])
    title, measures, false_positives = (msg(k) for k in INDICATORS.get(name, (name, "", "")))
    flagged = sum(r["flagged"] for r in here)
    count = msg("{flagged}/{n}単位が境界を超える。", flagged=flagged, n=len(here))
    if len(here) > 40:
        count += msg("最初の40単位を示す。")
    known = msg("知られている誤検出: {text}", text=false_positives)
    return (
        f"<section><h2>{escape(title)} <small>({escape(name)})</small></h2>"
        f'<p class="note">{escape(measures)} {escape(known)}</p>'
        f"{strip_chart(ind_rows, own, name)}<p>{escape(count)}</p>{_table(here[:40])}</section>"
    )


def findings_html(rows: list[dict[str, Any]], title: str, mine: set[str] | None, year: int) -> str:
    """The page: per indicator its method, the distribution chart and this ministry's units
    ranked (``mine`` None: every unit, the government page), in the document's language."""
    by_indicator: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_indicator[r["indicator"]].append(r)

    def flagged_here(item: tuple[str, list[dict[str, Any]]]) -> int:
        return -sum(r["flagged"] and (mine is None or r["unit"] in mine) for r in item[1])

    # the indicators with the most flagged units of this page first
    sections = [_section(n, r, mine) for n, r in sorted(by_indicator.items(), key=flagged_here)]
    about = msg(
        "{year}年のシート。各単位をその年の全単位と比べ、Q3 + 1.5 × IQR を超えるもの（低いほど"
        "問題のものは Q1 − 1.5 × IQR 未満）を示す。灰色の棒: 各値をとる単位の数。点: この頁の"
        "単位（赤: 境界超）。所見は問うべき問いであって、結論ではない。",
        year=year,
    )
    sources = msg(
        "出典: RSシステム オープンデータ（行政事業レビュー見える化サイト）、公共データ利用規約 "
        "第1.0版（PDL1.0）; 旧様式シート: JUDGIT! / 構想日本, CC BY 4.0。方法: docs/methods.md。"
    )
    return (
        f'<!DOCTYPE html><html lang="{current()}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body><main>"
        f"<h1>{escape(title)}</h1><p>{escape(about)}</p>"
        + "".join(sections)
        + f'<p class="note">{escape(sources)}</p></main></body></html>\n'
    )
