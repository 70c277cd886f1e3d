"""Budget and execution per year as a bar chart with a money axis, labelled years, a legend,
the source and generated alternative text (the report's and the history page's chart)."""

from __future__ import annotations

from html import escape

from flowviz.i18n import english, free
from flowviz.messages import msg
from flowviz.model import BudgetYear, FlowDocument
from flowviz.money import format_yen, format_yen_short
from flowviz.render.alt_text import shorten
from flowviz.render.axes import ticks, y_axis
from flowviz.render.figure import FONT_FAMILY
from flowviz.text import wareki, wrap, xml_safe

#: budget (計) and execution (執行額): blue and orange of the CUD set, both ≥ 3:1 on white
TOTAL_COLOR, EXECUTED_COLOR = "#0041ff", "#b96f00"
MAX_WIDTH = 1000


def _e(v: object) -> str:
    return escape(xml_safe("" if v is None else str(v)), quote=True)


def year_label(y: BudgetYear) -> str:
    """A budget year's label: the sheet's own in Japanese, FY in English; a request says so."""
    label = y.label if y.label and not english() else wareki(y.year)
    return label + (msg("（要求）") if y.request and "要求" not in label else "")


def budget_alt(years: list[BudgetYear]) -> str:
    last = years[-1]
    head = msg(
        "予算と執行額の棒グラフ（{first}〜{last}、{n}年度）。",
        first=year_label(years[0]),
        last=year_label(last),
        n=len(years),
    )
    items = [
        msg(
            "{year} 予算 {total}・執行 {executed}",
            year=year_label(y),
            total=format_yen_short(y.total or 0),
            executed=format_yen_short(y.executed) if y.executed is not None else msg("金額不明"),
        )
        for y in reversed(years)
    ]
    return shorten([head, *items])


def budget_chart(doc: FlowDocument) -> str:
    """Bars of 計 (budget) and 執行額 (executed) per year on one money axis, as inline SVG."""
    years = [y for y in doc.budget.years if y.total is not None]
    if not years:
        return ""
    steps = ticks(max(max(y.total or 0, y.executed or 0) for y in years))
    hi = steps[-1] or 1
    # at most 1000 px wide: it prints on a landscape A4 page without being scaled down
    left, top_y, h = 70, 40, 160
    w = min(96, (MAX_WIDTH - left - 20) // len(years))
    bar = min(30, w // 3)
    width = left + len(years) * w + 20
    alt = budget_alt(years)
    foot = _legend_and_source(doc, top_y + h + 40, width)
    height = top_y + h + 40 + 20 + 14 * (len(foot) - 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="{_e(FONT_FAMILY)}" role="img"'
        f' aria-label="{_e(alt)}">'
        f"<title>{_e(msg('予算と執行額'))}</title><desc>{_e(alt)}</desc>",
        *y_axis(left, top_y, h, width - left - 10, steps),
    ]
    for i, y in enumerate(years):
        x = left + 10 + i * w
        for j, (v, color, label) in enumerate(
            ((y.total, TOTAL_COLOR, msg("計")), (y.executed, EXECUTED_COLOR, msg("執行額")))
        ):
            if v is None:
                continue
            bh = h * max(v, 0) / hi
            parts.append(
                f'<rect x="{x + j * bar}" y="{top_y + h - bh:.1f}" width="{bar - 4}"'
                f' height="{bh:.1f}" fill="{color}">'
                f"<title>{_e(year_label(y))} {_e(label)}: {_e(format_yen(v))}</title></rect>"
            )
        parts.append(
            f'<text x="{x + bar - 2}" y="{top_y + h + 16}" font-size="11" text-anchor="middle"'
            f' fill="#333">{_e(year_label(y))}</text>'
        )
    parts += foot
    parts.append("</svg>")
    return "".join(parts)


def _legend_and_source(doc: FlowDocument, y: float, width: float) -> list[str]:
    out = [
        f'<rect x="10" y="{y - 10}" width="10" height="10" fill="{TOTAL_COLOR}"/>'
        f'<text x="24" y="{y}" font-size="11" fill="#333">{_e(msg("計（予算現額）"))}</text>'
        f'<rect x="150" y="{y - 10}" width="10" height="10" fill="{EXECUTED_COLOR}"/>'
        f'<text x="164" y="{y}" font-size="11" fill="#333">{_e(msg("執行額"))}</text>'
    ]
    source = msg("出典: {source}", source=free(doc.project.source.document or doc.file))
    for k, line in enumerate(wrap(source, (width - 20) / 11, max_lines=3, words=english())):
        out.append(
            f'<text x="10" y="{y + 20 + 14 * k}" font-size="11" fill="#333">{_e(line)}</text>'
        )
    return out
