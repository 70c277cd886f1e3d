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

from flowviz.graph import depths, totals
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
    """Hover/tooltip lines of a flow: amounts, 費目・使途, contract."""
    ents = doc.entity_map
    s = ents[fl.source].name if fl.source in ents else fl.source
    t = ents[fl.target].name if fl.target in ents else fl.target
    c = fl.contract
    lines = [
        f"{clean(s)} → {clean(t)}",
        f"金額: {format_yen(fl.amount_yen)}（{format_yen_ja(fl.amount_yen)}）",
    ]
    if doc.unit != "円":
        lines.append(f"原表: {format_in_unit(fl.amount_yen, doc.unit)}")
    for label, value in (
        ("年度", f"{fl.year}（{wareki(fl.year)}）" if fl.year else ""),
        ("種別", fl.link_type),
        ("費目", fl.expense_item),
        ("使途", fl.purpose),
        ("契約方式", c.method),
        ("具体的な契約方式", c.method_detail),
        ("入札者数", "" if c.bidders is None else str(c.bidders)),
        ("落札率", "" if c.award_rate_pct is None else f"{c.award_rate_pct}%"),
        ("業務概要", c.summary),
        ("随意契約等の理由", c.non_competitive_reason),
        ("注", fl.note),
    ):
        if value:
            lines.append(f"{label}: {clean(value)}")
    for b in fl.breakdown:
        lines.append(
            f"内訳: {clean(b.expense_item)} / {clean(b.purpose)} {format_yen(b.amount_yen)}"
        )
    return lines


def describe_node(doc: FlowDocument, node_id: str, vin: int, vout: int) -> list[str]:
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
    if e.role:
        lines.append(f"役割: {clean(e.role)}")
    if e.location:
        lines.append(f"所在地: {clean(e.location)}")
    lines.append(f"受取: {format_yen(vin)}（{format_yen_ja(vin)}）")
    lines.append(f"支出: {format_yen(vout)}（{format_yen_ja(vout)}）")
    if vin and vout <= vin:
        if doc.partial:  # unlisted payees downstream: the difference is not what it kept
            lines.append(
                f"受取と支出の差: {format_yen(vin - vout)}（金額は一部のみ。手元に残った額とは限らない）"
            )
        else:
            lines.append(f"手元に残った額: {format_yen(vin - vout)}")
    return lines


def title_of(doc: FlowDocument) -> tuple[str, str]:
    p = doc.project
    head = " ".join(x for x in (f"事業番号 {p.number}" if p.number else p.id, clean(p.name)) if x)
    parts = [clean(" ".join(x for x in (p.ministry, p.bureau, p.division) if x))]
    if p.sheet_year:
        parts.append(f"{wareki(p.sheet_year)}行政事業レビューシート")
    if p.flow_year:
        parts.append(f"資金の流れ: {wareki(p.flow_year)}実績")
    return head, " · ".join(x for x in parts if x)


def sankey_layout(
    doc: FlowDocument,
    options: LayoutOptions | None = None,
    *,
    highlight: set[str] | None = None,
    flags: dict[str, list[str]] | None = None,
) -> SankeyFigure:
    """Lay out ``doc`` as a Sankey figure.

    ``highlight``: node and flow ids to keep bright (the rest fade), for ``--focus``.
    ``flags``: flow id → rule ids, drawn as marked links, for ``--flags``.
    """
    o = options or LayoutOptions()
    flags = flags or {}
    depth = depths(doc)
    vin, vout = totals(doc)
    used = {fl.source for fl in doc.flows} | {fl.target for fl in doc.flows}
    order = {e.id: i for i, e in enumerate(doc.entities)}

    nodes: dict[str, SankeyNode] = {}
    for e in doc.entities:
        if e.id not in used:
            continue
        n = SankeyNode(
            id=e.id,
            name=clean(e.name),
            kind=e.kind,
            corporate_number=e.corporate_number,
            block=e.block,
            column=depth.get(e.id, 0),
            value_in=vin.get(e.id, 0),
            value_out=vout.get(e.id, 0),
            color=KIND_COLORS.get(e.kind, KIND_COLORS["other"]),
        )
        n.tooltip = describe_node(doc, e.id, n.value_in, n.value_out)
        n.caption = (f"{e.block}. " if e.block else "") + n.name
        n.amount_text = _amount_line(n)
        n.label_lines = wrap(n.caption, o.label_em) + [n.amount_text]
        if e.corporate_number:
            n.label_lines.append(f"法人番号 {e.corporate_number}")
        n.label_width = max(text_width(s, o.font_size) for s in n.label_lines)
        if highlight is not None:
            n.faded = e.id not in highlight
        nodes[e.id] = n

    ncols = max((n.column for n in nodes.values()), default=0) + 1
    col_total = defaultdict(int)
    for n in nodes.values():
        col_total[n.column] += n.value
    biggest = max(col_total.values(), default=0)
    k = o.flow_height / biggest if biggest else 0.0

    links: list[SankeyLink] = []
    for fl in doc.flows:
        true_w = fl.amount_yen * k
        c = fl.contract
        non_comp = c.is_non_competitive
        one = c.bidders == 1
        color = NON_COMPETITIVE_COLOR if (non_comp or one) else nodes[fl.source].color
        label = format_yen_ja(fl.amount_yen)
        if non_comp:
            label += f" {clean(c.method)}"
        elif one:
            label += " 一者応札"
        ln = SankeyLink(
            flow=fl,
            source=fl.source,
            target=fl.target,
            value=fl.amount_yen,
            width=max(true_w, o.min_link_px),
            widened=true_w < o.min_link_px,
            non_competitive=non_comp,
            one_bidder=one,
            color=color,
            label=label,
            tooltip=describe_link(doc, fl),
            backward=nodes[fl.target].column <= nodes[fl.source].column,
            flags=tuple(flags.get(fl.id, ())),
        )
        if ln.widened:
            ln.label = "※" + ln.label
            ln.tooltip.append(
                f"※ 見やすさのため実際（{true_w:.2f}px）より太く {o.min_link_px:g}px で描画"
            )
        if ln.flags:
            ln.tooltip.append("フラグ: " + ", ".join(ln.flags))
        if highlight is not None:
            ln.faded = fl.id not in highlight
        links.append(ln)

    outs: dict[str, list[SankeyLink]] = defaultdict(list)
    ins: dict[str, list[SankeyLink]] = defaultdict(list)
    for ln in links:
        outs[ln.source].append(ln)
        ins[ln.target].append(ln)
    for n in nodes.values():
        n.width = o.node_width
        n.height = max(
            sum(ln.width for ln in ins[n.id]), sum(ln.width for ln in outs[n.id]), o.min_link_px
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
    width = max(width, text_width(head, 16) + 2 * o.margin, text_width(sub, 12) + 2 * o.margin)
    legend = _legend(nodes, links, o)
    height = top + body_h + 24 + 18 * (len(notes) + 1) + o.margin
    total = sum(vout.get(r, 0) for r in _roots(nodes))
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


def _roots(nodes: dict[str, SankeyNode]) -> list[str]:
    return [n.id for n in nodes.values() if n.value_in == 0 and n.value_out > 0]


def _amount_line(n: SankeyNode) -> str:
    if n.value_in == 0 and n.value_out == 0:
        return "受取 0円"
    if n.value_in == 0:
        return f"支出 {format_yen_ja(n.value_out)}"
    if n.value_out == 0:
        return f"受取 {format_yen_ja(n.value_in)}"
    return f"受取 {format_yen_ja(n.value_in)} / 支出 {format_yen_ja(n.value_out)}"


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
    if any(ln.flags for ln in links):
        items.append(("flag", "#000000", "◆ 破線: フラグのある流れ（flowviz flags）"))
    return items
