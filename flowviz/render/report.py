"""One self-contained HTML page per project: metadata, Sankey, DOT diagram, flows, payees,
flags, and the budget with a small chart of budget vs execution. No script, no network:
it opens offline, prints cleanly and can be archived as one file.
"""

from __future__ import annotations

import re
from decimal import Decimal
from html import escape

from flowviz.analysis import flags, payees
from flowviz.analysis.records import contract_records, flow_records
from flowviz.i18n import current, english, free, localise_rows, namer, term
from flowviz.messages import N_, msg
from flowviz.model import FlowDocument
from flowviz.money import format_rate, format_yen, format_yen_ja
from flowviz.render.budget_chart import budget_chart, year_label
from flowviz.render.describe import title_of
from flowviz.render.dot import dot_source
from flowviz.render.figure import FONT_FAMILY
from flowviz.render.layout import sankey_layout
from flowviz.render.output import run_dot
from flowviz.render.print_fit import print_fit
from flowviz.render.sankey_svg import sankey_svg
from flowviz.text import clean, wareki, xml_safe

SANKEY_NOTE = N_(
    "金額の単位は円。※と斜線は、見やすさのため実際の金額より太く描いた流れ。赤は競争性のない"
    "随意契約・一者応札。破線は金額不明、一点鎖線は負の額（控除・返納）で、どちらも幅を持たない。"
)
FOOTER = N_(
    "flowviz で作成。金額は整数の円で計算し、表示の億・万は正確な額。金額不明は0円として扱わない。"
)

CSS = f"""
body {{ font-family: {FONT_FAMILY}; margin: 24px; color: #222; }}
h1 {{ font-size: 20px; margin-bottom: 4px; }} h2 {{ font-size: 16px; border-bottom: 1px solid #ccc; margin-top: 28px; }}
.sub {{ color: #555; }} .note {{ color: #555; font-size: 12px; }}
table {{ border-collapse: collapse; font-size: 12px; margin: 8px 0; }}
th, td {{ border: 1px solid #ddd; padding: 3px 6px; vertical-align: top; }}
th {{ background: #f3f3f3; text-align: left; }} td.num {{ text-align: right; white-space: nowrap; }}
.figure {{ overflow-x: auto; }} .figure svg {{ max-width: 100%; height: auto; }}
.flag {{ margin: 4px 0; }} .unknown {{ color: #6b7280; font-style: italic; }} .rule {{ font-family: monospace; background: #fde2e2; padding: 0 4px; }}
@media print {{
  body {{ margin: 0; font-size: 10pt; }} .figure {{ overflow: visible; }}
  h2 {{ break-after: avoid; }} tr, .flag {{ break-inside: avoid; }}
  a {{ color: inherit; text-decoration: none; }}
  section.landscape, .tables, .landscape {{ page: wide; }}  /* landscape pages of their own */
  section.diagram {{ break-inside: avoid; }}
  .portrait .figure svg {{ max-height: 235mm; }}
  .landscape .figure svg {{ max-height: 150mm; }}
  .print-omit .figure {{ display: none; }}  /* its text would print below 7 pt */
  .print-omit .print-only {{ display: block; }}
  table {{ font-size: 8.5pt; }} td small {{ font-size: 7.5pt; }}
  td {{ overflow-wrap: anywhere; }}  /* a long URL wraps instead of shrinking the page */
}}
.print-only {{ display: none; }}
"""


def print_css(source_line: str) -> str:
    """A4 pages with margins; the page number and ``source_line`` on every page (CSS margin
    boxes); wide diagrams on landscape pages of their own."""
    src = css_string(source_line)
    return f"""
@page {{ size: A4; margin: 14mm 12mm 16mm 12mm;
  @bottom-left {{ content: {src}; font-size: 7.5pt; color: #555; }}
  @bottom-right {{ content: counter(page) " / " counter(pages); font-size: 8pt; color: #555; }} }}
@page wide {{ size: A4 landscape; }}
"""


def css_string(text: str) -> str:
    """``text`` as a CSS string literal: quotes, backslashes, breaks and ``<`` escaped, so
    nothing from the data can end the string or the <style> element."""
    out = []
    for ch in xml_safe(text):
        if ch in '"\\<>' or ord(ch) < 0x20:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _e(v: object) -> str:
    return escape(xml_safe("" if v is None else str(v)), quote=True)


def _inline_svg(svg: str) -> str:
    """Drop the XML prologue and DOCTYPE so the SVG can sit inside HTML."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else ""


def _money_cell(v: object, blank: str) -> str:
    if isinstance(v, int) and not isinstance(v, bool):
        return f'<td class="num">{_e(format_yen(v))}<br><small>{_e(format_yen_ja(v))}</small></td>'
    return f'<td class="num unknown">{_e(blank)}</td>'


def _table(
    rows: list[dict],
    columns: list[tuple[str, str]],
    money: set[str] = frozenset(),
    blanks: dict[str, str] | None = None,
) -> str:
    """A table; a money cell without a figure says why (``blanks``: column → text), never 0円."""
    if not rows:
        return f'<p class="note">{_e(msg("(なし)"))}</p>'
    blanks = blanks or {}
    head = "".join(f"<th>{_e(label)}</th>" for _, label in columns)
    body = []
    for r in rows:
        cells = []
        for key, _ in columns:
            v = r.get(key)
            if key in money:
                cells.append(_money_cell(v, blanks.get(key) or msg("金額不明")))
            elif isinstance(v, Decimal):
                cells.append(f"<td>{_e(format_rate(v))}</td>")
            else:
                cells.append(f"<td>{_e('' if v is None else v)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _meta_section(doc: FlowDocument) -> str:
    p = doc.project
    ministry = " ".join(x for x in (p.ministry, p.bureau, p.division) if x)
    meta = [
        (msg("事業番号"), p.number or p.id),
        (msg("事業名"), term(p.name)),
        (msg("府省庁"), namer(doc)(ministry) if ministry else ""),
        (msg("レビューシートの年度"), wareki(p.sheet_year)),
        (msg("資金の流れの年度"), wareki(p.flow_year)),
        (msg("事業期間"), f"{wareki(p.start_year)} – {wareki(p.end_year)}" if p.start_year else ""),
        (msg("会計区分"), term(p.account)),
        (msg("実施方法"), term(p.implementation)),
        (msg("根拠法令"), free(" / ".join(p.legal_basis))),
        (msg("政策・施策"), free(" / ".join(x for x in (p.policy, p.measure) if x))),
        (msg("出典"), free(" ".join(x for x in (p.source.document, p.source.section) if x))),
        (msg("利用条件"), free(p.source.license)),
    ]
    rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in meta if v)
    said = (*(free(n) for n in p.notes), *doc.findings)
    notes = "".join(f'<p class="note">{_e(n)}</p>' for n in said)
    partial = (
        f'<p class="note">{_e(msg("注意: 金額は一部のみ（{why}）", why=doc.partial_reason))}</p>'
        if doc.partial
        else ""
    )
    return f'<section id="metadata"><h2>{_e(msg("事業の概要"))}</h2><table>{rows}</table>{partial}{notes}</section>'


def _flows_section(doc: FlowDocument) -> str:
    table = _table(
        localise_rows(flow_records(doc), [doc]),
        [
            ("source", msg("支出元")),
            ("target", msg("支出先")),
            ("amount_yen", msg("金額")),
            ("link_type", msg("種別")),
            ("expense_item", msg("費目")),
            ("purpose", msg("使途")),
            ("contract_method", msg("契約方式")),
            ("bidders", msg("入札者数")),
            ("award_rate", msg("落札率")),
            ("target_corporate_number", msg("法人番号")),
        ],
        {"amount_yen"},
        {"amount_yen": msg("金額不明（公表されていない）")},
    )
    return f'<section id="flows" class="tables"><h2>{_e(msg("支出の一覧"))}</h2>{table}</section>'


def _payees_section(doc: FlowDocument) -> str:
    roles = {"final": msg("最終"), "intermediary": msg("中間")}
    rows = [{**r, "role": roles.get(r.get("role"), r.get("role"))} for r in payees([doc])]
    table = _table(
        localise_rows(rows, [doc]),
        [
            ("name", msg("支出先")),
            ("corporate_number", msg("法人番号")),
            ("role", msg("役割")),
            ("received_yen", msg("受取")),
            ("passed_on_yen", msg("再委託等で支出")),
            ("kept_yen", msg("手元に残った額")),
            ("kept_pct", msg("残った割合(%)")),
            ("contracts", msg("契約数")),
            ("contract_value_yen", msg("契約額（支払額ではない）")),
        ],
        {"received_yen", "passed_on_yen", "kept_yen", "contract_value_yen"},
        {"kept_yen": msg("公表データでは説明できない"), "contract_value_yen": "—"},
    )
    return f'<section id="payees" class="tables"><h2>{_e(msg("支出先ごとの受取額"))}</h2>{table}</section>'


def _contracts_section(doc: FlowDocument) -> str:
    rows = contract_records(doc)
    if not rows:
        return ""
    table = _table(
        localise_rows(rows, [doc]),
        [
            ("contractor", msg("契約先")),
            ("corporate_number", msg("法人番号")),
            ("block", msg("ブロック")),
            ("contract_value_yen", msg("契約額")),
            ("method", msg("契約方式")),
            ("bidders", msg("入札者数")),
            ("award_rate", msg("落札率")),
            ("reason", msg("一者応札・随意契約の理由")),
            ("origin", msg("出典")),
        ],
        {"contract_value_yen"},
        {"contract_value_yen": msg("公表されていない")},
    )
    note = msg(
        "契約額は契約の総額（複数年度にわたることがある）で、その年度の支払額ではない。"
        "資金の流れの図の幅や合計には含めていない。"
    )
    return f'<section id="contracts" class="tables"><h2>{_e(msg("契約"))}</h2><p class="note">{_e(note)}</p>{table}</section>'


def _flags_section(doc: FlowDocument) -> str:
    found = flags(doc)
    items = "".join(
        f'<div class="flag"><span class="rule">{_e(f["rule_id"])}</span> {_e(_flag_text(f))}</div>'
        for f in found
    )
    none = f'<p class="note">{_e(msg("(フラグなし)"))}</p>'
    return f'<section id="flags" class="tables"><h2>{_e(msg("注意すべき点（flowviz flags）"))}</h2>{items or none}</section>'


def _flag_text(f: dict) -> str:
    """A flag in the page's language: on a Japanese page the rule's Japanese name, the
    organisation and the amount (the CLI's English sentence says the same at length)."""
    if english():
        return f["message"]
    from flowviz.analysis.methods import TITLES_JA

    amount = f.get("amount_yen")
    money = f"（{format_yen_ja(amount)}）" if isinstance(amount, int) else ""
    who = f": {f['entity']}" if f.get("entity") else ""
    return f"{TITLES_JA.get(f['rule_id'], f['rule'])}{who}{money}"


def _budget_section(doc: FlowDocument) -> str:
    rows = [
        {
            "year": year_label(y) + (" †" if y.sources else ""),
            "initial": y.initial,
            "supplementary": y.supplementary,
            "carried_in": y.carried_in,
            "carried_over": y.carried_over,
            "reserve": y.reserve,
            "total": y.total,
            "executed": y.executed,
            "rate": f"{format_rate(y.execution_rate_pct)}%"
            if y.execution_rate_pct is not None
            else "",
        }
        for y in doc.budget.years
    ]
    columns = [
        ("year", msg("年度")),
        ("initial", msg("当初予算")),
        ("supplementary", msg("補正予算")),
        ("carried_in", msg("前年度から繰越し")),
        ("carried_over", msg("翌年度へ繰越し")),
        ("reserve", msg("予備費等")),
        ("total", msg("計")),
        ("executed", msg("執行額")),
        ("rate", msg("執行率")),
    ]
    money = {k for k, _ in columns if k not in ("year", "rate")}
    table = _table(rows, columns, money, dict.fromkeys(money, "—"))
    labels = dict(columns)
    cited = "".join(
        f"<li>{_e(year_label(y))} {_e(labels.get(f, f))}: {_e(free(c))}</li>"
        for y in doc.budget.years
        for f, c in y.sources
    )
    notes = (
        f'<p class="note">{_e(msg("† シート以外から採った数値の出典:"))}</p><ul class="note">{cited}</ul>'
        if cited
        else ""
    )
    chart = f'<div class="figure">{budget_chart(doc)}</div>'
    return f'<section id="budget" class="tables"><h2>{_e(msg("予算と執行"))}</h2>{table}{notes}{chart}</section>'


def _report_figure(doc: FlowDocument):  # noqa: ANN202
    """The Sankey at report width (1000 px: a landscape A4 page) when it fits, condensed as
    render --style report does; the full picture when even that cannot fit."""
    from flowviz.exceptions import RenderTooLarge
    from flowviz.render.fit import STYLES, fit_to_width

    try:
        return fit_to_width(doc, STYLES["report"])
    except RenderTooLarge:
        return sankey_layout(doc)


def _diagram(section: str, heading: str, svg: str, note: str = "", tag: str = "section") -> str:
    """A picture's section: on paper in the orientation that prints it largest, or, when its
    text would print below 7 pt, left out of print with a note saying where to find it."""
    fit = print_fit(svg)
    level = "h2" if tag == "section" else "h3"
    omit = "" if fit.prints else " print-omit"
    where = msg(
        "印刷では文字が{pt}ptになるため、この図は省略した。HTML版（画面）とSVGファイル"
        "（flowviz render）に全体がある。",
        pt=f"{fit.smallest_pt:g}",
    )
    return (
        f'<{tag} id="{section}" class="diagram {fit.orientation}{omit}">'
        f"<{level}>{_e(heading)}</{level}>"
        f'<p class="note print-only">{_e(where)}</p><div class="figure">{svg}</div>'
        + (f'<p class="note">{_e(note)}</p>' if note else "")
        + f"</{tag}>"
    )


def report_html(doc: FlowDocument) -> str:
    """The whole report page as text: named sections, no script, offline."""
    from flowviz.render.api import RenderOptions, fit_for_picture

    fit_for_picture(doc, RenderOptions())  # refuse early, with advice, what no page can show
    head, sub = title_of(doc)
    fig = _report_figure(doc)
    sankey = _inline_svg(sankey_svg(fig))
    dot = _inline_svg(run_dot(dot_source(doc), "svg").decode("utf-8"))
    source = msg("出典: {source}", source=free(clean(doc.project.source.document or doc.file)))
    page = f"""<!DOCTYPE html>
<html lang="{current()}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(head)}</title>
<style>{CSS}{print_css(source)}</style>
</head>
<body>
<header><h1>{_e(head)}</h1><div class="sub">{_e(sub)}</div></header>
<main>
{_meta_section(doc)}
{_diagram("sankey", msg("資金の流れ（サンキー図）"), sankey, msg(SANKEY_NOTE))}
{_diagram("dot", msg("資金の流れ（関係図）"), dot)}
{_flows_section(doc)}
{_payees_section(doc)}
{_contracts_section(doc)}
{_flags_section(doc)}
{_budget_section(doc)}
</main>
<footer class="note tables"><p>{_e(msg(FOOTER))}</p></footer>
</body>
</html>
"""
    return re.sub(r"\n{3,}", "\n\n", page)
