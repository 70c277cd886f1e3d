"""Money over time in one static picture: an alluvial of one lineage's (or one organisation's)
money, year by year on one scale.

Each money year (flow year, FY) is a column whose stacked segments are the listed amounts; a
series (a payee, or a ministry for an organisation's income) keeps one place in the stack in
every year, and ribbons join its segments from year to year, so a payee is followed across the
decade. A series that appears grows from nothing out of the year before (new), one that vanishes
narrows to nothing into the year after (gone). Old-format years publish no route between the
ministry and the groups: their columns are drawn hatched and marked 経路非公表, never as links.
Labels sit in one column on the right, spread so none overlaps (checked by the text-box test).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from flowviz.messages import msg
from flowviz.money import format_yen_ja
from flowviz.render.figure import FONT_FAMILY
from flowviz.text import clean, text_width, xml_safe

PALETTE = (
    "#1f4e79",
    "#d97706",
    "#2e8b57",
    "#7b4fa0",
    "#b91c1c",
    "#0e7490",
    "#a16207",
    "#be185d",
    "#4d7c0f",
    "#334155",
)
OTHER = "#bdbdbd"
W, LEFT, PLOT_R, LABEL_X = 800, 78, 560, 600
TOP, PLOT_H, BAR = 96, 300, 16
OKU = 10**8


@dataclass
class Series:
    """One band: its label and its amount per money year (yen; absent = not listed)."""

    label: str
    by_year: dict[int, int] = field(default_factory=dict)
    other: bool = False


@dataclass
class OverTime:
    title: str
    subtitle: str
    years: list[int]
    series: list[Series]
    #: money years whose routes are not published (old-format sheets): drawn hatched
    unpublished: set[int] = field(default_factory=set)
    #: a reference total per year drawn as a tick (執行額), absent = not stated
    marks: dict[int, int] = field(default_factory=dict)
    mark_label: str = ""
    notes: list[str] = field(default_factory=list)
    source: str = ""


def _e(v: object) -> str:
    return escape(xml_safe(clean(v)), quote=True)


def top_series(amounts: dict[str, dict[int, int]], top: int, other_label: str) -> list[Series]:
    """The ``top`` labels by total as series (largest first), the rest summed into one."""
    totals = {k: sum(v.values()) for k, v in amounts.items()}
    ranked = sorted(totals, key=lambda k: (-totals[k], k))
    out = [Series(k, dict(amounts[k])) for k in ranked[:top]]
    rest: dict[int, int] = {}
    for k in ranked[top:]:
        for y, v in amounts[k].items():
            rest[y] = rest.get(y, 0) + v
    if rest:
        out.append(Series(other_label, rest, other=True))
    return out


def _ticks(peak: int) -> list[int]:
    unit = OKU if peak >= OKU else 10**4
    step = unit
    mults = (1, 2, 5)
    i = 0
    while peak / step > 5:
        i += 1
        step = unit * mults[i % 3] * 10 ** (i // 3)
    return list(range(0, peak + step, step))


def _tick_label(v: int) -> str:
    if v == 0:
        return "0"
    if v % OKU == 0 and v >= OKU:
        return f"{v // OKU:,}"
    return msg("{n}万", n=f"{v // 10**4:,}")


def over_time_svg(ot: OverTime) -> str:
    """The picture as a standalone SVG document, 800 px wide."""
    years = ot.years
    stack = {y: sum(max(s.by_year.get(y, 0), 0) for s in ot.series) for y in years}
    peak = max([*stack.values(), *ot.marks.values(), 1])
    ticks = _ticks(peak)
    scale = PLOT_H / ticks[-1]
    step = (PLOT_R - LEFT - BAR) / max(len(years) - 1, 1)
    xs = {y: LEFT + i * step for i, y in enumerate(years)}
    spans = _spans(ot, years, scale)
    legend_h = 18 * (len([n for n in ot.notes if n]) + 4)
    height = TOP + PLOT_H + 84 + legend_h
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{height}"'
        f' viewBox="0 0 {W} {height}" font-family="{_e(FONT_FAMILY)}" font-size="12" role="img">',
        f"<title>{_e(ot.title)}</title>",
        '<defs><pattern id="unpublished" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)">'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/></pattern></defs>',
        f'<rect width="{W}" height="{height}" fill="#fff"/>',
        f'<text x="16" y="26" font-size="16" font-weight="bold">{_e(_fit(ot.title, 16, W - 32, bold=True))}</text>',
        f'<text x="16" y="46" fill="#444">{_e(_fit(ot.subtitle, 12, W - 32))}</text>',
    ]
    out += _axes(ticks, scale, years, xs, ot.unpublished)
    out += _ribbons(ot, years, xs, spans)
    out += _bars(ot, years, xs, spans)
    out += _marks(ot, xs, scale)
    out += _labels(ot, years, xs, spans)
    out += _legend(ot, TOP + PLOT_H + 80)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _spans(
    ot: OverTime, years: list[int], scale: float
) -> dict[tuple[int, int], tuple[float, float]]:
    """(series index, year) → (top y, bottom y) of its segment; the stack keeps series order."""
    out = {}
    base = TOP + PLOT_H
    for y in years:
        cur = base
        for i, s in enumerate(reversed(ot.series)):
            v = s.by_year.get(y)
            if v is None or v <= 0:
                continue
            h = v * scale
            out[(len(ot.series) - 1 - i, y)] = (cur - h, cur)
            cur -= h
    return out


def _axes(ticks, scale, years, xs, unpublished) -> list[str]:  # noqa: ANN001
    base = TOP + PLOT_H
    unit = msg("億円") if ticks[-1] >= OKU else msg("円")
    out = [f'<text x="16" y="{TOP - 14}" fill="#444">{_e(_fit(unit, 12, PLOT_R - 16))}</text>']
    for t in ticks:
        y = base - t * scale
        out.append(
            f'<line x1="{LEFT - 4}" x2="{PLOT_R}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e5e5"/>'
            f'<text x="{LEFT - 8}" y="{y:.1f}" dy="0.35em" text-anchor="end" fill="#444"'
            f' font-size="11">{_tick_label(t)}</text>'
        )
    for y in years:
        x = xs[y] + BAR / 2
        out.append(
            f'<text x="{x:.1f}" y="{base + 21}" text-anchor="middle" font-size="11">FY{y}</text>'
        )
    out += _unpublished_brackets(sorted(unpublished & set(years)), xs, base + 30)
    out.append(
        f'<text x="{LEFT}" y="{base + 60}" font-size="11" fill="#444">'
        f"{_e(msg('支出年度（シートは翌年度に公表）'))}</text>"
    )
    return out


def _unpublished_brackets(years: list[int], xs: dict, y: float) -> list[str]:
    """One bracket under each run of consecutive old-format years, labelled once."""
    runs: list[list[int]] = []
    for yr in years:
        if runs and runs[-1][-1] == yr - 1:
            runs[-1].append(yr)
        else:
            runs.append([yr])
    out = []
    for run in runs:
        x0, x1 = xs[run[0]], xs[run[-1]] + BAR
        label = msg("経路非公表（旧様式）") if x1 - x0 > 110 else msg("経路非公表")
        out.append(
            f'<path d="M{x0:.1f},{y - 4} L{x0:.1f},{y} L{x1:.1f},{y} L{x1:.1f},{y - 4}"'
            ' stroke="#888" fill="none"/>'
        )
        if x1 - x0 >= text_width(label, 11):
            out.append(
                f'<text x="{(x0 + x1) / 2:.1f}" y="{y + 12}" text-anchor="middle" font-size="11"'
                f' fill="#666">{_e(label)}</text>'
            )
    return out


def _color(ot: OverTime, i: int) -> str:
    return OTHER if ot.series[i].other else PALETTE[i % len(PALETTE)]


def _ribbons(ot: OverTime, years, xs, spans) -> list[str]:  # noqa: ANN001
    """Joins, new (growing from a point) and gone (narrowing to one) between adjacent years."""
    out = []
    for i in range(len(ot.series)):
        for a, b in zip(years, years[1:], strict=False):
            sa, sb = spans.get((i, a)), spans.get((i, b))
            if not sa and not sb:
                continue
            x0, x1 = xs[a] + BAR, xs[b]
            if sa and sb:
                (t0, b0), (t1, b1) = sa, sb
            elif sa:  # gone: narrows to its bottom edge half-way
                (t0, b0), x1 = sa, (x0 + x1) / 2
                t1 = b1 = b0
            else:  # new: grows from its bottom edge half-way
                (t1, b1), x0 = sb, (x0 + x1) / 2
                t0 = b0 = b1
            m = (x0 + x1) / 2
            d = (
                f"M{x0:.1f},{t0:.1f} C{m:.1f},{t0:.1f} {m:.1f},{t1:.1f} {x1:.1f},{t1:.1f}"
                f" L{x1:.1f},{b1:.1f} C{m:.1f},{b1:.1f} {m:.1f},{b0:.1f} {x0:.1f},{b0:.1f} Z"
            )
            kind = "join" if sa and sb else "gone" if sa else "new"
            out.append(
                f'<path d="{d}" fill="{_color(ot, i)}" fill-opacity="0.35" data-kind="{kind}"/>'
            )
    return out


def _bars(ot: OverTime, years, xs, spans) -> list[str]:  # noqa: ANN001
    out = []
    for (i, y), (t, b) in sorted(spans.items()):
        s = ot.series[i]
        tip = f"FY{y} {s.label} {format_yen_ja(s.by_year[y])}"
        out.append(
            f'<rect x="{xs[y]:.1f}" y="{t:.1f}" width="{BAR}" height="{max(b - t, 0.5):.1f}"'
            f' fill="{_color(ot, i)}"><title>{_e(tip)}</title></rect>'
        )
        if y in ot.unpublished:
            out.append(
                f'<rect x="{xs[y]:.1f}" y="{t:.1f}" width="{BAR}" height="{max(b - t, 0.5):.1f}"'
                ' fill="url(#unpublished)"/>'
            )
    return out


def _marks(ot: OverTime, xs, scale) -> list[str]:  # noqa: ANN001
    out = []
    for y, v in sorted(ot.marks.items()):
        if y not in xs:
            continue
        h = TOP + PLOT_H - v * scale
        out.append(
            f'<line x1="{xs[y] - 4:.1f}" x2="{xs[y] + BAR + 4:.1f}" y1="{h:.1f}" y2="{h:.1f}"'
            f' stroke="#000" stroke-width="2"><title>{_e(f"FY{y} {ot.mark_label} {format_yen_ja(v)}")}</title></line>'
        )
    return out


def _labels(ot: OverTime, years, xs, spans) -> list[str]:  # noqa: ANN001
    """One label per series in the right column, at its last segment's height, spread 15 px
    apart (a leader line joins it to the segment)."""
    wanted = []
    for i in range(len(ot.series)):
        last = max((y for y in years if (i, y) in spans), default=None)
        if last is None:
            continue
        t, b = spans[(i, last)]
        wanted.append(((t + b) / 2, i, last))
    wanted.sort()
    placed, gap = [], 15.0
    for want, i, last in wanted:
        y = max(want, placed[-1][0] + gap if placed else TOP)
        placed.append((y, i, last, want))
    overflow = (placed[-1][0] - (TOP + PLOT_H)) if placed else 0
    out = []
    for n, (y, i, last, want) in enumerate(placed):
        if overflow > 0:
            y = max(y - overflow, TOP - 20 + n * gap)
        s = ot.series[i]
        years_txt = msg("（〜FY{year}）", year=last) if last != years[-1] else ""
        label = _fit(s.label + years_txt, 11, W - LABEL_X - 16)
        x_end = xs[last] + BAR
        out.append(
            f'<path d="M{x_end:.1f},{want:.1f} L{LABEL_X - 6},{y:.1f}" stroke="{_color(ot, i)}"'
            f' stroke-width="0.8" fill="none"/>'
            f'<text x="{LABEL_X}" y="{y:.1f}" dy="0.35em" font-size="11">{_e(label)}</text>'
        )
    return out


def _fit(text: str, size: float, width: float, bold: bool = False) -> str:
    """``text`` cut with … to ``width`` px at ``size``."""
    t = clean(text)
    if text_width(t, size, bold) <= width:
        return t
    while t and text_width(t + "…", size, bold) > width:
        t = t[:-1]
    return t + "…"


def _legend(ot: OverTime, y: float) -> list[str]:
    lines = [
        msg("帯の高さ = 記載額（全年度で同じ縮尺）。年度の間をつなぐ帯 = 同じ支出先。"),
        msg("点から広がる帯 = その年度に新たに記載、細くなって消える帯 = 翌年度に記載なし。"),
        (msg("黒い横線 = {what}（予算・執行の表）。", what=ot.mark_label) if ot.marks else "")
        + msg("斜線の列 = 旧様式: 府省庁から支出先への経路は公表データにない"),
        *ot.notes,
        ot.source,
    ]
    return [
        f'<text x="16" y="{y + 18 * k:.1f}" font-size="11" fill="#444">{_e(_fit(t, 11, W - 32))}</text>'
        for k, t in enumerate(t for t in lines if t)
    ]
