"""A project's history as one self-contained HTML page: the sheets and why they belong
together, budget and execution by year (table and chart), payees × year, and one Sankey per
sheet drawn to one scale so the years compare. No script, no network."""

from __future__ import annotations

from html import escape
from typing import Any

from flowviz.analysis.history import History, budget_records, incumbents, payee_records
from flowviz.i18n import current, localise_rows, translator_for
from flowviz.messages import N_, msg
from flowviz.model import BUDGET_AMOUNTS, Budget, BudgetYear, FlowDocument
from flowviz.render.budget_chart import budget_chart
from flowviz.render.figure import FONT_FAMILY, LayoutOptions
from flowviz.render.history_text import member_records
from flowviz.render.layout import sankey_layout
from flowviz.render.over_time import over_time_svg
from flowviz.render.over_time_data import history_over_time
from flowviz.render.report import CSS, _diagram, _inline_svg, _table, print_css
from flowviz.render.sankey_svg import sankey_svg
from flowviz.text import xml_safe

_MONEY = {*BUDGET_AMOUNTS, "gross", "request"}


def _e(v: object) -> str:
    return escape(xml_safe("" if v is None else str(v)), quote=True)


def shared_scale(docs: list[FlowDocument]) -> int:
    """The largest published money leaving any sheet's source: every picture draws it as the
    same height, so a year with half the money looks half as big."""
    best = 0
    for d in docs:
        out = sum(
            f.amount_yen
            for f in d.flows
            if f.amount_yen and f.amount_yen > 0 and f.source == "ministry"
        )
        best = max(best, out)
    return best or 1


def year_pictures(docs: list[FlowDocument]) -> list[tuple[FlowDocument, str]]:
    """(document, Sankey SVG) per sheet, to one scale."""
    opts = LayoutOptions(scale_yen=shared_scale(docs))
    return [(d, sankey_svg(sankey_layout(d, opts))) for d in docs]


def _budget_chart(h: History, docs: list[FlowDocument]) -> str:
    """The budget chart of the lineage on the one gross definition."""
    if not docs:
        return ""
    budget = Budget(
        years=tuple(
            BudgetYear(
                b.year, str(b.year), total=b.values.get("gross"), executed=b.values.get("executed")
            )
            for b in h.budget
        )
    )
    return budget_chart(FlowDocument(project=docs[0].project, entities=(), flows=(), budget=budget))


def history_html(h: History, docs: list[FlowDocument], incumbency: int = 3) -> str:
    first = h.members[0] if h.members else None
    name = translator_for(docs[0]) if docs else str
    short = translator_for(docs[0], originals=False) if docs else str  # labels cut to fit
    title = (
        msg("{name}（{ministry}）の推移", name=name(first.name), ministry=name(first.ministry))
        if first
        else msg("推移")
    )
    chart = _budget_chart(h, docs)
    payees = localise_rows(payee_records(h), docs)
    years = [str(y) for y in h.flow_years]
    pictures = "".join(
        _diagram(
            f"sheet-{d.project.sheet_year}",
            msg("{year}年度シート（{number}）", year=d.project.sheet_year, number=d.project.number),
            _inline_svg(svg),
            tag="div",
        )
        for d, svg in year_pictures(docs)
    )
    disagree = "".join(f"<li>FY{b.year} {_e(x)}</li>" for b in h.budget for x in b.disagreements)
    sheets = _table(
        localise_rows(member_records(h), docs), [(k, msg(v)) for k, v in _SHEET_COLUMNS]
    )
    budget_table = _table(
        budget_records(h),
        [(k, msg(v)) for k, v in _BUDGET_COLUMNS],
        _MONEY,
        dict.fromkeys(_MONEY, "—"),
    )
    differ = f'<p class="note">{_e(msg("シートの間で数値が異なる箇所:"))}</p><ul class="note">{disagree}</ul>'
    payee_columns = [
        ("payee", msg("支出先")),
        ("corporate_number", msg("法人番号")),
        *[(y, y) for y in years],
    ]
    return f"""<!DOCTYPE html>
<html lang="{current()}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title><style>{CSS}{print_css(title)} body {{ font-family: {FONT_FAMILY}; }}</style></head>
<body><header class="tables"><h1>{_e(title)}</h1><div class="sub">{_e(msg("flowviz history — 旧様式シート（JUDGIT! / 構想日本, CC BY 4.0）とRSシステム（PDL1.0）"))}</div></header>
<main>
<section id="over-time" class="diagram landscape"><h2>{_e(msg("資金の推移（同じ縮尺）"))}</h2><div class="figure">{_inline_svg(over_time_svg(history_over_time(h, short)))}</div></section>
<section id="sheets" class="tables"><h2>{_e(msg("シートと結び付けの根拠"))}</h2>{sheets}</section>
<section id="budget" class="tables"><h2>{_e(msg("予算と執行（各数値はそれを載せる最新のシートから）"))}</h2>
<p class="note">{_e(msg(GROSS_NOTE))}</p>
{budget_table}
<div class="figure">{chart}</div>{differ if disagree else ""}</section>
<section id="payees" class="tables"><h2>{_e(msg("支出先の推移（円、記載額。グループ間の支払の重複を含みうる）"))}</h2>
{_table(payees, payee_columns, set(years), dict.fromkeys(years, ""))}
{_incumbency_html(h, incumbency)}</section>
<section id="sankeys"><h2>{_e(msg("年度ごとの資金の流れ（同じ縮尺）"))}</h2>{pictures}</section>
</main>
<footer class="note"><p>{_e(msg("flowviz で作成。金額は整数の円。旧様式のシートは誰が誰に支払ったかを載せないため、経路は描かない。"))}</p></footer>
</body></html>
"""


_SHEET_COLUMNS = [
    ("year", N_("年度")),
    ("source", N_("出典")),
    ("number", N_("事業番号")),
    ("name", N_("事業名")),
    ("evidence", N_("根拠")),
    ("url", N_("URL")),
]
GROSS_NOTE = N_(
    "総額 = 当初予算 + 補正予算 + 前年度から繰越し + 予備費等（旧様式の予算計は翌年度へ繰越しを差し引いた額、RSの計は総額のため、比較と執行率はこの総額で行う）。"  # noqa: E501
)
_BUDGET_COLUMNS = [
    ("year", N_("年度")),
    ("initial", N_("当初予算")),
    ("supplementary", N_("補正予算")),
    ("carried_in", N_("前年度から繰越し")),
    ("reserve", N_("予備費等")),
    ("gross", N_("歳出予算現額（総額）")),
    ("carried_over", N_("翌年度へ繰越し")),
    ("executed", N_("執行額")),
    ("execution_rate_pct", N_("執行率(%)（総額に対し）")),
    ("request", N_("要求額")),
    ("from", N_("出典シート")),
]


def _incumbency_html(h: History, n: int) -> str:
    rows: list[dict[str, Any]] = incumbents(h, n)
    if not rows:
        return ""
    table = _table(
        localise_rows(rows, ()),
        [
            ("payee", msg("支出先")),
            ("corporate_number", msg("法人番号")),
            ("years", msg("連続年数")),
            ("from", msg("から")),
            ("to", msg("まで")),
            ("total_yen", msg("合計")),
        ],
        {"total_yen"},
    )
    return f"<h3>{_e(msg('FV012 同じ支出先が{n}年以上続く', n=n))}</h3>{table}"
