"""A renderer-neutral Sankey layout: columns by chain depth, exact amounts, honest widths.

The layout decides everything a picture of money must get right — which
column each organisation stands in, the order (stable for the same input),
link widths proportional to yen with a visible minimum (and a ``widened``
mark when that minimum exceeds the true width), label text with amounts, and
label slots that never overlap. SVG and plotly renderers only draw it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flowviz.graph import Balance, balances, depths
from flowviz.model import KIND_LABELS_JA, Flow, FlowDocument
from flowviz.money import format_in_unit, format_yen, format_yen_ja
from flowviz.text import clean, text_width, wareki, wrap

KIND_COLORS = {
    "government": "#4d4d4d",
    "ministry": "#1f4e79",
    "local_government": "#2e8b57",
    "agency": "#7b4fa0",
    "company": "#d97706",
    "block": "#7f7f7f",
    "individual": "#a16207",
    "other": "#8c8c8c",
}
NON_COMPETITIVE_COLOR = "#d62728"
UNKNOWN_COLOR = "#6b7280"
NEGATIVE_COLOR = "#7c2d12"
#: how a link is drawn: a band as wide as its amount, or a line with no width for what a band
#: would misstate (an unpublished amount, a deduction, a published 0円)
LINK_STYLES = ("band", "unknown", "negative", "zero")
FONT_FAMILY = "'Noto Sans CJK JP', 'Noto Sans JP', 'Hiragino Sans', 'Yu Gothic', sans-serif"


@dataclass
class LayoutOptions:
    """Sizes in px. ``min_link_px`` is the narrowest a flow may be drawn."""

    flow_height: float = 420.0
    min_link_px: float = 5.0
    node_width: float = 14.0
    node_gap: float = 14.0
    font_size: float = 12.0
    label_em: float = 18.0
    margin: float = 24.0
    link_run: float = 90.0


@dataclass
class SankeyNode:
    id: str
    name: str
    kind: str
    corporate_number: str | None
    block: str | None
    column: int
    value_in: int
    value_out: int
    balance: Balance = field(default_factory=Balance)
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0
    label_lines: list[str] = field(default_factory=list)
    label_width: float = 0.0
    caption: str = ""
    amount_text: str = ""
    color: str = ""
    tooltip: list[str] = field(default_factory=list)
    faded: bool = False

    @property
    def value(self) -> int:
        return max(self.value_in, self.value_out)


@dataclass
class SankeyLink:
    flow: Flow
    source: str
    target: str
    value: int
    width: float
    widened: bool
    non_competitive: bool
    one_bidder: bool
    color: str
    label: str
    tooltip: list[str]
    y0: float = 0.0
    y1: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    backward: bool = False
    faded: bool = False
    flags: tuple[str, ...] = ()
    show_label: bool = True
    style: str = "band"
    route_published: bool = True


@dataclass
class SankeyFigure:
    """Everything a renderer needs; no renderer-specific types inside."""

    title: str
    subtitle: str
    notes: list[str]
    legend: list[tuple[str, str, str]]  # (kind of mark, colour, text)
    nodes: list[SankeyNode]
    links: list[SankeyLink]
    width: float
    height: float
    top: float
    body_top: float
    body_height: float
    px_per_yen_note: str
    options: LayoutOptions
    unit: str
    total_yen: int


def describe_link(doc: FlowDocument, fl: Flow) -> list[str]:
    """Hover/tooltip lines of a flow: amounts, 費目・使途, contracts."""
    ents = doc.entity_map
    s = ents[fl.source].name if fl.source in ents else fl.source
    t = ents[fl.target].name if fl.target in ents else fl.target
    a = fl.amount_yen
    lines = [f"{clean(s)} → {clean(t)}"]
    if a is None:
        lines.append("金額: 金額不明（公表データに記載がない。0円ではない）")
    else:
        lines.append(
            f"金額: {format_yen(a)}（{format_yen_ja(a)}）"
            + ("（控除・返納等の負の額）" if a < 0 else "")
        )
        if doc.unit != "円":
            lines.append(f"原表: {format_in_unit(a, doc.unit)}")
    if not fl.route_published:
        lines.append("経路: 公表データにない（支払元と支払先の間のつながりは不明）")
    for label, value in (
        ("年度", f"{fl.year}（{wareki(fl.year)}）" if fl.year else ""),
        ("種別", fl.link_type),
        ("費目", fl.expense_item),
        ("使途", fl.purpose),
        ("注", fl.note),
    ):
        if value:
            lines.append(f"{label}: {clean(value)}")
    terms = list(doc.flow_contracts.get(fl.id, ()))
    if not fl.contract.has_terms and fl.contract.summary:  # a 業務概要 without contract terms
        terms.insert(0, fl.contract)
    for c in terms:
        lines += _contract_lines(c)
    for b in fl.breakdown:
        lines.append(
            f"内訳: {clean(b.expense_item)} / {clean(b.purpose)} {format_yen(b.amount_yen)}"
        )
    return lines


def _contract_lines(c) -> list[str]:  # noqa: ANN001 - a model.Contract
    from flowviz.money import format_rate

    out = []
    for label, value in (
        ("契約方式", c.method),
        ("具体的な契約方式", c.method_detail),
        ("入札者数", "" if c.bidders is None else str(c.bidders)),
        ("落札率", "" if c.award_rate_pct is None else f"{format_rate(c.award_rate_pct)}%"),
        ("業務概要", c.summary),
        ("随意契約等の理由", c.non_competitive_reason),
    ):
        if value:
            out.append(f"{label}: {clean(value)}")
    return out


def describe_node(doc: FlowDocument, node_id: str, bal: Balance) -> list[str]:
    """Tooltip lines of an organisation: what came in and went on, and what stayed — only
    when the published rows can show it."""
    e = doc.entity_map.get(node_id)
    if e is None:
        return [node_id]
    lines = [clean(e.name), f"種類: {KIND_LABELS_JA.get(e.kind, e.kind)}"]
    if e.corporate_number:
        lines.append(f"法人番号: {e.corporate_number}")
    if e.block:
        lines.append(
            f"ブロック: {clean(e.block)}" + (f" {clean(e.block_name)}" if e.block_name else "")
        )
    for label, value in (("役割", e.role), ("所在地", e.location)):
        if value:
            lines.append(f"{label}: {clean(value)}")
    if bal.links_in or bal.stated_yen is not None:
        lines.append(f"受取: {received_text(bal, exact=True)}")
    if bal.links_out:
        more = f"（ほか金額不明 {bal.unknown_out}件）" if bal.unknown_out else ""
        lines.append(f"支出: {format_yen(bal.paid_yen)}{more}")
    if bal.links_in:
        if bal.kept_yen is not None:
            lines.append(f"手元に残った額: {format_yen(bal.kept_yen)}")
        else:
            why = "5-1がなく支出先の一部のみ公表" if doc.partial else "金額不明のつながりがある"
            lines.append(f"手元に残った額: 公表データでは説明できない（{why}）")
    contracts = [c for c in doc.contracts if c.contractor == node_id]
    if contracts:
        value = sum(c.amount_yen for c in contracts if c.amount_yen is not None)
        lines.append(f"契約: {len(contracts)}件、契約額 {format_yen(value)}（支払額ではない）")
    return lines


def received_text(bal: Balance, exact: bool = False) -> str:
    """受取 as the data states it: unknown, at least, a stated total, or the sum."""
    fmt = format_yen if exact else format_yen_ja
    got = bal.received
    if got is None:
        return "金額不明"
    if bal.stated_yen is not None and bal.unknown_in:
        return f"{fmt(got)}（支出元ごとの内訳は不明）"
    if bal.received_is_lower_bound:
        return f"{fmt(got)}以上（金額不明 {bal.unknown_in}件）"
    return fmt(got)


def title_of(doc: FlowDocument) -> tuple[str, str]:
    p = doc.project
    head = " ".join(x for x in (f"事業番号 {p.number}" if p.number else p.id, clean(p.name)) if x)
    parts = [clean(" ".join(x for x in (p.ministry, p.bureau, p.division) if x))]
    if p.sheet_year:
        parts.append(f"{wareki(p.sheet_year)}行政事業レビューシート")
    if p.flow_year:
        parts.append(f"資金の流れ: {wareki(p.flow_year)}実績")
    return head, " · ".join(x for x in parts if x)


def make_nodes(
    doc: FlowDocument, o: LayoutOptions, highlight: set[str] | None
) -> dict[str, SankeyNode]:
    """One node per organisation in a flow, with its column, balance, label and tooltip."""
    depth = depths(doc)
    bal = balances(doc)
    used = {fl.source for fl in doc.flows} | {fl.target for fl in doc.flows}
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
        n.caption = (f"{e.block}. " if e.block else "") + n.name
        n.amount_text = _amount_line(b)
        caption = wrap(n.caption, o.label_em)
        n.label_lines = [*caption, n.amount_text]
        widths = [text_width(s, o.font_size, bold=True) for s in caption]
        widths.append(text_width(n.amount_text, o.font_size))
        if e.corporate_number:
            n.label_lines.append(f"法人番号 {e.corporate_number}")
            widths.append(text_width(n.label_lines[-1], 10))  # drawn at 10 px
        n.label_width = max(widths)
        if highlight is not None:
            n.faded = e.id not in highlight
        nodes[e.id] = n
    return nodes


def link_style(amount: int | None) -> str:
    """``band`` for a positive amount; a line with no width for unknown, negative and 0円."""
    if amount is None:
        return "unknown"
    if amount < 0:
        return "negative"
    return "zero" if amount == 0 else "band"


def _link_label(amount: int | None, style: str) -> str:
    if style == "unknown":
        return "金額不明"
    if style == "negative":
        return f"{format_yen_ja(amount or 0)}（控除・返納）"
    return format_yen_ja(amount or 0)


def make_link(
    doc: FlowDocument,
    fl: Flow,
    nodes: dict[str, SankeyNode],
    k: float,
    o: LayoutOptions,
    marks: tuple[str, ...],
) -> SankeyLink:
    """A link in its style; only positive bands get a width from the amount (with a floor)."""
    style = link_style(fl.amount_yen)
    true_w = fl.amount_yen * k if style == "band" else 0.0
    terms = doc.flow_contracts.get(fl.id, ())
    non_comp = any(c.is_non_competitive for c in terms)
    one = any(c.is_one_bidder for c in terms)
    color = {"unknown": UNKNOWN_COLOR, "negative": NEGATIVE_COLOR}.get(
        style, NON_COMPETITIVE_COLOR if (non_comp or one) else nodes[fl.source].color
    )
    label = _link_label(fl.amount_yen, style)
    if non_comp:
        label += " " + clean(next(c.method for c in terms if c.is_non_competitive))
    elif one:
        label += " 一者応札"
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
            f"※ 見やすさのため実際（{true_w:.2f}px）より太く {o.min_link_px:g}px で描画"
        )
    elif style != "band":
        ln.tooltip.append("※ 幅のない線で描画（金額を幅で表せないため）")
    if marks:
        ln.tooltip.append("フラグ: " + ", ".join(marks))
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
    nodes = make_nodes(doc, o, highlight)
    ncols = max((n.column for n in nodes.values()), default=0) + 1
    col_total: dict[int, int] = defaultdict(int)
    for n in nodes.values():
        col_total[n.column] += n.value
    biggest = max(col_total.values(), default=0)
    k = o.flow_height / biggest if biggest else 0.0
    links = [make_link(doc, fl, nodes, k, o, tuple(flags.get(fl.id, ()))) for fl in doc.flows]
    if highlight is not None:
        for ln in links:
            ln.faded = ln.flow.id not in highlight
    return _place(doc, nodes, links, ncols, k, order, o)


def _place(
    doc: FlowDocument,
    nodes: dict[str, SankeyNode],
    links: list[SankeyLink],
    ncols: int,
    k: float,
    order: dict[str, int],
    o: LayoutOptions,
) -> SankeyFigure:
    """Positions: node heights, order within columns, x and y, then the figure around them."""
    outs: dict[str, list[SankeyLink]] = defaultdict(list)
    ins: dict[str, list[SankeyLink]] = defaultdict(list)
    for ln in links:
        outs[ln.source].append(ln)
        ins[ln.target].append(ln)
    for n in nodes.values():
        n.width = o.node_width
        n.height = max(
            sum(ln.width for ln in ins[n.id]),
            sum(ln.width for ln in outs[n.id]),
            (n.balance.stated_yen or 0) * k,
            o.min_link_px,
        )

    # Order within columns: barycentre of predecessors, then larger first, then input order.
    columns: list[list[SankeyNode]] = [[] for _ in range(ncols)]
    for n in nodes.values():
        columns[n.column].append(n)
    rank: dict[str, float] = {}
    for c, col in enumerate(columns):

        def key(n: SankeyNode, c: int = c) -> tuple[float, int, int]:
            preds = [rank[ln.source] for ln in ins[n.id] if ln.source in rank]
            bary = sum(preds) / len(preds) if preds and c else 0.0
            return (bary, -n.value, order[n.id])

        col.sort(key=key)
        for i, n in enumerate(col):
            rank[n.id] = i

    line_h = o.font_size * 1.3
    slot = {n.id: max(n.height, line_h * len(n.label_lines)) for n in nodes.values()}

    head, sub = title_of(doc)
    title_lines = 2
    notes = _notes(doc, links, o)
    top = o.margin + title_lines * 22 + 10
    max_link_label = max((text_width(ln.label, o.font_size - 1) for ln in links), default=0)
    x = o.margin
    for col in columns:
        label_w = max((n.label_width for n in col), default=0)
        for n in col:
            n.x = x
        x += o.node_width + 8 + label_w + 16 + min(max_link_label, 240) + o.link_run
    # Column 0 is stacked from the top; later columns sit level with the links that feed
    # them (then pushed apart so slots never overlap), so a small chain stays beside
    # its source instead of drifting to the middle of the picture.
    for c, col in enumerate(columns):
        prev_bottom = top - o.node_gap
        for n in col:
            feeds = [ln for ln in ins[n.id] if not ln.backward]
            if c and feeds:
                want = min(ln.y0 for ln in feeds) - (slot[n.id] - n.height) / 2
            else:
                want = top
            ytop = max(want, prev_bottom + o.node_gap)
            n.y = ytop + (slot[n.id] - n.height) / 2
            prev_bottom = ytop + slot[n.id]
        y = 0.0
        for n in col:
            y = n.y
            for ln in sorted(outs[n.id], key=lambda ln: (rank[ln.target], order[ln.target])):
                ln.y0, ln.x0 = y, n.x + n.width
                y += ln.width
    body_h = max((n.y + max(n.height, slot[n.id]) - top for n in nodes.values()), default=0.0)

    for n in nodes.values():
        y = n.y
        for ln in sorted(ins[n.id], key=lambda ln: (nodes[ln.source].y, order[ln.source])):
            ln.y1, ln.x1 = y, n.x
            y += ln.width
        # link labels at the target end must not collide with each other
        last = -1e9
        for ln in sorted(ins[n.id], key=lambda ln: ln.y1):
            centre = ln.y1 + ln.width / 2
            ln.show_label = centre - last >= line_h
            if ln.show_label:
                last = centre

    last_col = columns[-1] if columns else []
    width = (
        max((n.x + n.width + 8 + n.label_width for n in last_col), default=o.margin * 2) + o.margin
    )
    width = max(width, text_width(head, 16, bold=True) + 2 * o.margin, text_width(sub, 12) + 2 * o.margin)
    legend = _legend(nodes, links, o)
    height = top + body_h + 24 + 18 * (len(notes) + 1) + o.margin
    total = sum(n.value_out for n in nodes.values() if not n.balance.links_in)
    return SankeyFigure(
        title=head,
        subtitle=sub,
        notes=notes,
        legend=legend,
        nodes=[n for col in columns for n in col],
        links=links,
        width=round(width),
        height=round(height),
        top=top + body_h + 24,
        body_top=top,
        body_height=body_h,
        px_per_yen_note=f"幅: {format_yen_ja(int(1 / k)) if k else '-'} = 1px",
        options=o,
        unit=doc.unit,
        total_yen=total,
    )


def _amount_line(b: Balance) -> str:
    """受取 / 支出 as published: unknown is 金額不明, deductions are shown apart."""
    parts = []
    if b.links_in or b.stated_yen is not None:
        parts.append(f"受取 {received_text(b)}")
    if b.links_out:
        paid = b.paid_yen - b.paid_negative_yen
        if paid or not b.unknown_out:
            parts.append(f"支出 {format_yen_ja(paid)}" + ("以上" if b.unknown_out else ""))
        else:
            parts.append("支出 金額不明")
        if b.paid_negative_yen:
            parts.append(f"控除・返納 {format_yen_ja(b.paid_negative_yen)}")
    return " / ".join(parts) or "支払は公表されていない"


def _notes(doc: FlowDocument, links: list[SankeyLink], o: LayoutOptions) -> list[str]:
    p = doc.project
    notes = [
        "単位: 円（ラベルは億・万で表記した正確な額）"
        + (f"。原表の単位は{doc.unit}、整数の円に換算" if doc.unit != "円" else "")
    ]
    src = clean(p.source.document or doc.file)
    if p.source.section:
        src += f"（{clean(p.source.section)}）"
    notes.append(f"出典: {src}")
    if doc.partial:
        notes.append(f"注意: 金額は一部のみ（{clean(doc.partial_reason) or '部分的なデータ'}）")
    counts = {s: sum(1 for ln in links if ln.style == s) for s in LINK_STYLES}
    if counts["unknown"]:
        notes.append(
            f"金額不明のつながり: {counts['unknown']}件（金額が公表されていない。0円ではない）"
        )
    if counts["negative"]:
        neg = sum(ln.value or 0 for ln in links if ln.style == "negative")
        notes.append(
            f"負の額: {counts['negative']}件、計 {format_yen_ja(neg)}（控除・返納等。帯ではなく線で表示）"
        )
    unrouted = sum(1 for ln in links if not ln.route_published)
    if unrouted:
        notes.append(f"経路不明: {unrouted}件（支払元から支払先への経路は公表データにない）")
    if doc.contracts:
        value = sum(c.amount_yen for c in doc.contracts if c.amount_yen is not None)
        unknown = sum(1 for c in doc.contracts if c.amount_yen is None)
        notes.append(
            f"契約: {len(doc.contracts)}件、契約額の合計 {format_yen_ja(value)}"
            + (f"（ほか金額不明 {unknown}件）" if unknown else "")
            + "。契約額は複数年度にわたりうる額で、支払額ではなく、流れの幅に含めない"
        )
    return notes


def _legend(
    nodes: dict[str, SankeyNode], links: list[SankeyLink], o: LayoutOptions
) -> list[tuple[str, str, str]]:
    kinds = []
    for n in nodes.values():
        if n.kind not in kinds:
            kinds.append(n.kind)
    items = [
        ("node", KIND_COLORS.get(k, KIND_COLORS["other"]), KIND_LABELS_JA.get(k, k)) for k in kinds
    ]
    if any(ln.non_competitive or ln.one_bidder for ln in links):
        items.append(("link", NON_COMPETITIVE_COLOR, "競争性のない随意契約・一者応札"))
    if any(ln.widened for ln in links):
        items.append(
            ("widened", "#555555", f"※斜線: 金額より太く描いた流れ（最小幅 {o.min_link_px:g}px）")
        )
    styles = {ln.style for ln in links}
    if "unknown" in styles:
        items.append(("unknown", UNKNOWN_COLOR, "破線: 金額不明（公表されていない）"))
    if "negative" in styles:
        items.append(("negative", NEGATIVE_COLOR, "一点鎖線: 負の額（控除・返納）"))
    if "zero" in styles:
        items.append(("zero", "#999999", "細線: 公表額 0円"))
    if any(not ln.route_published for ln in links):
        items.append(("unrouted", "#999999", "点線の縁: 経路は公表データにない"))
    if any(ln.flags for ln in links):
        items.append(("flag", "#000000", "◆ 破線: フラグのある流れ（flowviz flags）"))
    return items
