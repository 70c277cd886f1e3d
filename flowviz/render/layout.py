"""A renderer-neutral Sankey layout: columns by chain depth, exact amounts, honest widths.

The layout decides everything a picture of money must get right — which
column each organisation stands in, the order (stable for the same input),
link widths proportional to yen with a visible minimum (and a ``widened``
mark when that minimum exceeds the true width), label text with amounts, and
label slots that never overlap. SVG and plotly renderers only draw it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from flowviz.graph import balances, depths
from flowviz.i18n import namer, term, translator_for
from flowviz.messages import msg
from flowviz.model import Flow, FlowDocument
from flowviz.money import format_yen_ja, format_yen_short
from flowviz.names import short_legal_form
from flowviz.render.column_order import order_columns
from flowviz.render.describe import (
    amount_line,
    compact_amount,
    describe_link,
    describe_node,
    title_of,
)
from flowviz.render.figure import (
    KIND_COLORS,
    NEGATIVE_COLOR,
    NON_COMPETITIVE_COLOR,
    SUSPECT_COLOR,
    UNKNOWN_COLOR,
    LayoutOptions,
    SankeyFigure,
    SankeyLink,
    SankeyNode,
)
from flowviz.render.legend import legend_items as _legend
from flowviz.render.legend import legend_places
from flowviz.render.legend import picture_notes as _notes
from flowviz.text import clean, text_width, wrap

#: px between a label above a bar and the bar
LABEL_GAP = 3.0


def make_nodes(
    doc: FlowDocument,
    o: LayoutOptions,
    highlight: set[str] | None,
    tx: Callable[[str], str] = str,
) -> dict[str, SankeyNode]:
    """One node per organisation in a flow, with its column, balance, label and tooltip;
    ``tx`` puts every text into the picture's language (:mod:`flowviz.i18n`)."""
    depth = depths(doc)
    bal = balances(doc)
    used = {fl.source for fl in doc.flows} | {fl.target for fl in doc.flows}
    # a compact English label shows the romanised name only; the original is in the tooltip
    tx_name = namer(doc, originals=False)  # the original is in the tooltip and the tables
    pos_in: dict[str, int] = defaultdict(int)
    pos_out: dict[str, int] = defaultdict(int)
    for fl in doc.flows:
        if fl.amount_yen is not None and fl.amount_yen > 0:
            pos_in[fl.target] += fl.amount_yen
            pos_out[fl.source] += fl.amount_yen
    nodes: dict[str, SankeyNode] = {}
    for e in doc.entities:
        if e.id not in used:
            continue
        b = bal[e.id]
        n = SankeyNode(
            id=e.id,
            name=clean(e.name),
            kind=e.kind,
            corporate_number=e.corporate_number,
            block=e.block,
            column=depth.get(e.id, 0),
            value_in=max(pos_in[e.id], b.stated_yen or 0),
            value_out=pos_out[e.id],
            balance=b,
            color=KIND_COLORS.get(e.kind, KIND_COLORS["other"]),
        )
        n.tooltip = describe_node(doc, e.id, b)
        shown = short_legal_form(n.name) if o.compact and tx is str else tx_name(n.name)
        n.caption = (f"{e.block}. " if e.block else "") + shown
        n.amount_text = compact_amount(b) if o.compact else amount_line(b)
        caption = wrap(n.caption, o.label_em, max_lines=3, words=tx is not str)
        n.caption_lines = len(caption)
        amounts = [n.amount_text]
        if o.compact and text_width(n.amount_text, o.font_size) > o.label_em * o.font_size:
            amounts = n.amount_text.split(" ", 1)  # 支出 / 約5,354億円 on two lines
        n.label_lines = [*caption, *amounts]
        widths = [text_width(s, o.font_size, bold=True) for s in caption]
        widths += [text_width(a, o.font_size) for a in amounts]
        if e.corporate_number and not o.compact:  # compact: 法人番号 in the tables instead
            n.label_lines.append(msg("法人番号 {number}", number=e.corporate_number))
            widths.append(text_width(n.label_lines[-1], 10))  # drawn at 10 px
        n.label_width = max(widths)
        if highlight is not None:
            n.faded = e.id not in highlight
        nodes[e.id] = n
    return nodes


def link_style(amount: int | None, suspect: bool = False) -> str:
    """``band`` for a positive amount; a line with no width for unknown, negative and 0円, and
    for a suspect figure (kept as published, never widening a band or a node)."""
    if suspect:
        return "suspect"
    if amount is None:
        return "unknown"
    if amount < 0:
        return "negative"
    return "zero" if amount == 0 else "band"


def _link_label(amount: int | None, style: str, short: bool = False) -> str:
    fmt = format_yen_short if short else format_yen_ja
    if style == "unknown":
        return msg("金額不明")
    if style == "negative":
        return msg("{amount}（控除・返納）", amount=fmt(amount or 0))
    if style == "suspect":
        return msg("⚠ {amount}（疑わしい数値）", amount=fmt(amount or 0))
    return fmt(amount or 0)


def make_link(
    doc: FlowDocument,
    fl: Flow,
    nodes: dict[str, SankeyNode],
    k: float,
    o: LayoutOptions,
    marks: tuple[str, ...],
) -> SankeyLink:
    """A link in its style; only positive bands get a width from the amount (with a floor)."""
    style = link_style(fl.amount_yen, fl.id in doc.suspects)
    true_w = fl.amount_yen * k if style == "band" else 0.0
    terms = doc.flow_contracts.get(fl.id, ())
    non_comp = any(c.is_non_competitive for c in terms)
    one = any(c.is_one_bidder for c in terms)
    color = {"unknown": UNKNOWN_COLOR, "negative": NEGATIVE_COLOR, "suspect": SUSPECT_COLOR}.get(
        style, NON_COMPETITIVE_COLOR if (non_comp or one) else nodes[fl.source].color
    )
    label = _link_label(fl.amount_yen, style, o.compact)
    if non_comp and not o.compact:  # compact: the colour and the legend say it
        label += " " + term(clean(next(c.method for c in terms if c.is_non_competitive)))
    elif one and not o.compact:
        label += " " + msg("一者応札")
    widened = style == "band" and true_w < o.min_link_px
    ln = SankeyLink(
        flow=fl,
        source=fl.source,
        target=fl.target,
        value=fl.amount_yen,
        width=max(true_w, o.min_link_px),
        widened=widened,
        non_competitive=non_comp,
        one_bidder=one,
        color=color,
        label=("※" if widened else "") + label,
        tooltip=describe_link(doc, fl),
        backward=nodes[fl.target].column <= nodes[fl.source].column,
        flags=marks,
        style=style,
        route_published=fl.route_published,
    )
    if widened:
        ln.tooltip.append(
            msg(
                "※ 見やすさのため実際（{true}px）より太く {px}px で描画",
                true=f"{true_w:.2f}",
                px=f"{o.min_link_px:g}",
            )
        )
    elif style == "suspect":
        ln.tooltip.append(
            msg(
                "⚠ 疑わしい数値: {why}。公表どおりの額を示し、幅にも合計にも含めない",
                why=doc.suspects[fl.id],
            )
        )
    elif style != "band":
        ln.tooltip.append(msg("※ 幅のない線で描画（金額を幅で表せないため）"))
    if marks:
        ln.tooltip.append(msg("フラグ: {rules}", rules=", ".join(marks)))
    return ln


def sankey_layout(
    doc: FlowDocument,
    options: LayoutOptions | None = None,
    *,
    highlight: set[str] | None = None,
    flags: dict[str, list[str]] | None = None,
) -> SankeyFigure:
    """Lay out ``doc`` as a Sankey figure: nodes, links, order, positions, notes and legend.

    ``highlight``: node and flow ids to keep bright (the rest fade), for ``--focus``.
    ``flags``: flow id → rule ids, drawn as marked links, for ``--flags``.
    """
    o = options or LayoutOptions()
    flags = flags or {}
    order = {e.id: i for i, e in enumerate(doc.entities)}
    tx = translator_for(doc)
    nodes = make_nodes(doc, o, highlight, tx)
    ncols = max((n.column for n in nodes.values()), default=0) + 1
    col_total: dict[int, int] = defaultdict(int)
    for n in nodes.values():
        col_total[n.column] += n.value
    biggest = o.scale_yen or max(col_total.values(), default=0)
    k = o.flow_height / biggest if biggest else 0.0
    links = [make_link(doc, fl, nodes, k, o, tuple(flags.get(fl.id, ()))) for fl in doc.flows]
    if highlight is not None:
        for ln in links:
            ln.faded = ln.flow.id not in highlight
    return _place(doc, nodes, links, ncols, k, order, o)


@dataclass
class _Frame:
    """What the placing steps share: links by node, node order and label slots."""

    ins: dict[str, list[SankeyLink]]
    outs: dict[str, list[SankeyLink]]
    order: dict[str, int]
    rank: dict[str, float] = field(default_factory=dict)
    slot: dict[str, float] = field(default_factory=dict)


def _place(
    doc: FlowDocument,
    nodes: dict[str, SankeyNode],
    links: list[SankeyLink],
    ncols: int,
    k: float,
    order: dict[str, int],
    o: LayoutOptions,
) -> SankeyFigure:
    """Positions, step by step: node heights, order within columns, x, y, link ends; then the
    figure around them (title, notes, legend, size)."""
    f = _Frame(defaultdict(list), defaultdict(list), order)
    for ln in links:
        f.outs[ln.source].append(ln)
        f.ins[ln.target].append(ln)
    _node_heights(nodes, f, k, o)
    columns, cert = order_columns(nodes, f.ins, f.outs, f.order, f.rank, ncols, o)
    line_h = o.font_size * 1.3
    for n in nodes.values():
        n.label_above = bool(f.outs[n.id])
        block = line_h * len(n.label_lines)
        f.slot[n.id] = n.height + block + LABEL_GAP if n.label_above else max(n.height, block)
    top = o.margin + 2 * 22 + 10  # two title lines
    _assign_x(columns, links, o)
    _assign_y(columns, f, top, o)
    body_h = max((n.y + max(n.height, f.slot[n.id]) - top for n in nodes.values()), default=0.0)
    _link_ends(nodes, f, line_h, o.compact)
    fig = _figure(doc, nodes, links, columns, k, top, body_h, o)
    fig.ordering = cert.method
    # weights are in 0.1 px units: a product of two is 0.01 px²
    fig.ordering_bound = None if cert.bound is None else cert.bound / 100
    fig.ordering_gap = cert.gap
    return fig


def _node_heights(nodes: dict[str, SankeyNode], f: _Frame, k: float, o: LayoutOptions) -> None:
    """As tall as the wider side of its links, or its stated total, never below the floor."""
    for n in nodes.values():
        n.width = o.node_width
        n.height = max(
            sum(ln.width for ln in f.ins[n.id]),
            sum(ln.width for ln in f.outs[n.id]),
            (n.balance.stated_yen or 0) * k,
            o.min_link_px,
        )


def _assign_x(columns: list[list[SankeyNode]], links: list[SankeyLink], o: LayoutOptions) -> None:
    """Columns left to right, each as wide as its widest label plus room for link labels."""
    # compact pictures show amounts on the organisations only (links: tooltips and tables)
    max_link_label = (
        0 if o.compact else max((text_width(ln.label, o.font_size - 1) for ln in links), default=0)
    )
    x = o.margin
    for col in columns:
        label_w = max((n.label_width for n in col), default=0)
        for n in col:
            n.x = x
        x += o.node_width + 8 + label_w + 16 + min(max_link_label, 240) + o.link_run


def _assign_y(columns: list[list[SankeyNode]], f: _Frame, top: float, o: LayoutOptions) -> None:
    """Column 0 is stacked from the top; later columns sit level with the links that feed them
    (then pushed apart so slots never overlap), so a small chain stays beside its source
    instead of drifting to the middle of the picture."""
    for c, col in enumerate(columns):
        prev_bottom = top - o.node_gap
        for n in col:
            feeds = [ln for ln in f.ins[n.id] if not ln.backward]
            # where the bar sits in its slot: under its label, or centred beside it
            inset = f.slot[n.id] - n.height if n.label_above else (f.slot[n.id] - n.height) / 2
            want = min(ln.y0 for ln in feeds) - inset if c and feeds else top
            ytop = max(want, prev_bottom + o.node_gap)
            n.y = ytop + inset
            prev_bottom = ytop + f.slot[n.id]
        for n in col:
            y = n.y
            for ln in sorted(f.outs[n.id], key=lambda ln: (f.rank[ln.target], f.order[ln.target])):
                ln.y0, ln.x0 = y, n.x + n.width
                y += ln.width


def _link_ends(nodes: dict[str, SankeyNode], f: _Frame, line_h: float, compact: bool) -> None:
    """Where links enter their targets; labels at the target end never collide."""
    for n in nodes.values():
        y = n.y
        for ln in sorted(f.ins[n.id], key=lambda ln: (nodes[ln.source].y, f.order[ln.source])):
            ln.y1, ln.x1 = y, n.x
            y += ln.width
        last = -1e9
        for ln in sorted(f.ins[n.id], key=lambda ln: ln.y1):
            centre = ln.y1 + ln.width / 2
            ln.show_label = centre - last >= line_h and not compact
            if ln.show_label:
                last = centre


def _cut_to(text: str, px: float, size: float, bold: bool = False) -> str:
    """``text`` on one line of at most ``px``, measured with the font, cut with … if needed."""
    if text_width(text, size, bold=bold) <= px:
        return text
    lo, hi = 0, len(text)  # the longest prefix that fits with the ellipsis
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid] + "…", size, bold=bold) <= px:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo] + "…"


def _figure(
    doc: FlowDocument,
    nodes: dict[str, SankeyNode],
    links: list[SankeyLink],
    columns: list[list[SankeyNode]],
    k: float,
    top: float,
    body_h: float,
    o: LayoutOptions,
) -> SankeyFigure:
    english = translator_for(doc) is not str
    head, sub = title_of(doc)
    if o.max_width:  # a fixed width: the title and subtitle are shortened, not the picture widened
        room = o.max_width - 2 * o.margin
        head, sub = _cut_to(head, room, 16, bold=True), _cut_to(sub, room, 12)
    last_col = columns[-1] if columns else []
    width = max((n.x + n.width + 8 + n.label_width for n in last_col), default=o.margin * 2)
    width = max(
        width + o.margin,
        text_width(head, 16, bold=True) + 2 * o.margin,
        text_width(sub, 12) + 2 * o.margin,
        min(600, o.max_width or 600),
    )
    # notes wrap to the picture's width (11 px text), so a long source never widens it
    em = (width - 2 * o.margin) / 11
    notes = [
        line
        for note in _notes(doc, links, o)
        for line in wrap(note, em, max_lines=8, words=english)
    ]
    legend = _legend(nodes, links, o)
    rows = 1 + max((row for _, row in legend_places(legend, width, o.margin)), default=0)
    return SankeyFigure(
        title=head,
        subtitle=sub,
        notes=notes,
        legend=legend,
        nodes=[n for col in columns for n in col],
        links=links,
        width=round(width),
        height=round(top + body_h + 24 + 18 * (len(notes) + rows) + o.margin),
        top=top + body_h + 24,
        body_top=top,
        body_height=body_h,
        px_per_yen_note=msg("幅: {amount} = 1px", amount=format_yen_ja(int(1 / k)) if k else "-"),
        options=o,
        unit=doc.unit,
        total_yen=sum(n.value_out for n in nodes.values() if not n.balance.links_in),
    )
