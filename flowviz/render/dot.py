"""Graphviz DOT source of a money flow: ranks by depth, clusters, widths by amount.

Only builds text (via the ``graphviz`` package's quoting); running ``dot``
happens in :mod:`flowviz.output`. Every data string goes through
``graphviz.escape`` (backslashes doubled, never read as an HTML-like label),
after :func:`flowviz.text.clean` folded control characters.
"""

from __future__ import annotations

import html
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from flowviz.graph import Balance, balances, depths
from flowviz.i18n import free, namer, term
from flowviz.messages import msg
from flowviz.model import ContractRecord, Entity, FlowDocument, kind_label
from flowviz.money import format_yen_ja, unit_name
from flowviz.render.describe import (
    amount_line,
    contract_lines,
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
)
from flowviz.render.layout import link_style
from flowviz.text import clean

FONT = "Noto Sans CJK JP"
MIN_PEN, MAX_PEN = 1.0, 12.0


def _esc(s: str) -> str:
    import graphviz

    return graphviz.escape(clean(s))


def _lines(parts: list[str]) -> str:
    """Join escaped lines with DOT's centred line break."""
    return "\\n".join(_esc(p) for p in parts if p)


def _h(s: str) -> str:
    return html.escape(clean(s), quote=True)


def _html_caption(head: str, sub: str, legend: list[str], kinds: list[str]) -> str:
    """The graph label: title, subtitle, legend lines and colour swatches (HTML-like, escaped)."""
    seen: list[str] = []
    for k in kinds:
        if k not in seen:
            seen.append(k)
    swatches = "".join(
        f'<TD BGCOLOR="{KIND_COLORS.get(k, KIND_COLORS["other"])}40" BORDER="1"'
        f' COLOR="{KIND_COLORS.get(k, KIND_COLORS["other"])}">{_h(kind_label(k))}</TD>'
        for k in seen
    )
    rows = [
        f'<TR><TD ALIGN="LEFT" COLSPAN="{max(len(seen), 1)}"><B>{_h(head)}</B></TD></TR>',
        f'<TR><TD ALIGN="LEFT" COLSPAN="{max(len(seen), 1)}">{_h(sub)}</TD></TR>',
    ]
    rows += [
        f'<TR><TD ALIGN="LEFT" COLSPAN="{max(len(seen), 1)}"><FONT POINT-SIZE="10">{_h(x)}</FONT></TD></TR>'
        for x in legend
    ]
    if swatches:
        rows.append(f"<TR>{swatches}</TR>")
    return '<<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="2">' + "".join(rows) + "</TABLE>>"


def pen_width(amount: int, lo: int, hi: int) -> float:
    """Edge width on a log scale between MIN_PEN and MAX_PEN points."""
    if amount <= 0 or hi <= lo or lo <= 0:
        return MIN_PEN if amount <= 0 else (MIN_PEN + MAX_PEN) / 2
    t = (math.log10(amount) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
    return round(MIN_PEN + t * (MAX_PEN - MIN_PEN), 2)


@dataclass
class _Context:
    """What the DOT steps share: the document, its balances and the node ids to draw."""

    doc: FlowDocument
    highlight: set[str] | None
    flags: dict[str, list[str]]
    bal: dict[str, Balance]
    ents: list[Entity]
    node_ids: dict[str, str]
    unflowed: list[ContractRecord]
    held: dict[str, list[int | None]]
    lo: int
    hi: int


def _context(
    doc: FlowDocument, highlight: set[str] | None, flags: dict[str, list[str]]
) -> _Context:
    unflowed = [c for c in doc.contracts if c.flow is None]
    used = {f.source for f in doc.flows} | {f.target for f in doc.flows}
    used |= {c.contractor for c in unflowed} | {c.buyer for c in unflowed if c.buyer}
    ents = [e for e in doc.entities if e.id in used]
    held: dict[str, list[int | None]] = defaultdict(list)
    for c in unflowed:
        held[c.contractor].append(c.amount_yen)
    amounts = [
        f.amount_yen
        for f in doc.flows
        if f.amount_yen is not None and f.amount_yen > 0 and f.id not in doc.suspects
    ]
    lo, hi = (min(amounts), max(amounts)) if amounts else (1, 1)
    node_ids = {e.id: f"n{i}" for i, e in enumerate(ents)}
    return _Context(doc, highlight, flags, balances(doc), ents, node_ids, unflowed, held, lo, hi)


def _legend(ctx: _Context) -> list[str]:
    doc = ctx.doc
    legend = [
        msg("単位: 円（億・万で表記した正確な額）")
        + (msg("、原表は{unit}", unit=unit_name(doc.unit)) if doc.unit != "円" else ""),
        msg(
            "線の太さ: 金額の対数（{lo_pt}pt = {lo}、{hi_pt}pt = {hi}）",
            lo_pt=f"{MIN_PEN:g}",
            lo=format_yen_ja(ctx.lo),
            hi_pt=f"{MAX_PEN:g}",
            hi=format_yen_ja(ctx.hi),
        ),
        msg("赤い線: 競争性のない随意契約・一者応札"),
    ]
    styles = {link_style(f.amount_yen, f.id in doc.suspects) for f in doc.flows}
    if "unknown" in styles:
        legend.append(msg("灰色の破線: 金額不明（公表されていない。0円ではない）"))
    if "negative" in styles:
        legend.append(msg("茶色の破線: 負の額（控除・返納）"))
    if "suspect" in styles:
        legend.append(msg("⚠ 紫の点線: 疑わしい数値（公表どおりの額、太さにも合計にも含めない）"))
    if any(not f.route_published for f in doc.flows):
        legend.append(msg("点線: 経路は公表データにない"))
    if doc.contracts:
        value = sum(c.amount_yen for c in doc.contracts if c.amount_yen is not None)
        legend.append(
            msg(
                "契約 {n}件、契約額 {amount}（支払額ではない）; 点線と○の矢印: 流れのない契約"
                "（国庫債務負担行為等）",
                n=len(doc.contracts),
                amount=format_yen_ja(value),
            )
        )
    if ctx.flags:
        legend.append(msg("破線・◆: フラグのある流れ（flowviz flags）"))
    if doc.partial:
        why = doc.partial_reason or msg("部分的なデータ")
        legend.append(msg("注意: 金額は一部のみ（{why}）", why=why))
    legend.append(msg("出典: {source}", source=free(doc.project.source.document or doc.file)))
    return legend


def dot_source(
    doc: FlowDocument,
    *,
    highlight: set[str] | None = None,
    flags: dict[str, list[str]] | None = None,
) -> str:
    """DOT text for ``doc``, deterministic for the same input: nodes in clusters, ranks by
    depth, one edge per flow, a dotted edge per contract that no flow pays."""
    import graphviz

    return _dot_source(doc, highlight, flags, graphviz)


def _dot_source(doc, highlight, flags, graphviz):  # noqa: ANN001, ANN202
    ctx = _context(doc, highlight, flags or {})
    head, sub = title_of(doc)
    g = graphviz.Digraph(
        name="flowviz",
        graph_attr={
            "rankdir": "LR",
            "newrank": "true",
            "charset": "UTF-8",
            "fontname": FONT,
            "labelloc": "t",
            "labeljust": "l",
            "label": _html_caption(head, sub, _legend(ctx), [e.kind for e in ctx.ents]),
            "nodesep": "0.3",
            "ranksep": "1.2",
            "tooltip": _esc(head),
        },
        node_attr={"fontname": FONT, "shape": "box", "style": "rounded,filled", "fontsize": "11"},
        edge_attr={"fontname": FONT, "fontsize": "10", "arrowsize": "0.6"},
    )
    _add_clusters(g, ctx)
    _add_ranks(g, ctx)
    for i, fl in enumerate(doc.flows):
        _add_edge(g, doc, fl, i, ctx.node_ids, ctx.flags.get(fl.id, []), highlight, ctx.lo, ctx.hi)
    for c in ctx.unflowed:
        _add_contract_edge(g, ctx, c)
    return g.source


def _add_node(sg: Any, ctx: _Context, e: Entity) -> None:
    label = [namer(ctx.doc)(clean(e.name))]
    if e.corporate_number:
        label.append(msg("法人番号 {number}", number=e.corporate_number))
    label.append(amount_line(ctx.bal[e.id]) if e.id in ctx.bal else "")
    held = ctx.held.get(e.id)
    if held:
        known = sum(v for v in held if v is not None)
        label.append(
            msg(
                "契約 {n}件 契約額 {amount}（支払額ではない）",
                n=len(held),
                amount=format_yen_ja(known),
            )
        )
    color = KIND_COLORS.get(e.kind, KIND_COLORS["other"])
    faded = ctx.highlight is not None and e.id not in ctx.highlight
    sg.node(
        ctx.node_ids[e.id],
        label=_lines(label),
        fillcolor=color + ("33" if faded else "40"),
        color=color + ("55" if faded else ""),
        tooltip=_lines(describe_node(ctx.doc, e.id, ctx.bal[e.id])),
    )


def _add_clusters(g: Any, ctx: _Context) -> None:
    """The ministry's own nodes in one cluster, each block's payees in another."""
    clusters: dict[str, list[Entity]] = defaultdict(list)
    for e in ctx.ents:
        if e.kind in ("ministry", "government") and not e.block:
            clusters["ministry"].append(e)
        elif e.block:
            clusters[f"block {e.block}"].append(e)
        else:
            clusters[""].append(e)
    ordered = sorted(clusters)
    for key in sorted(clusters, key=lambda k: (k != "ministry", k == "", k)):
        members = clusters[key]
        if key == "":
            for e in members:
                _add_node(g, ctx, e)
            continue
        if key == "ministry":
            label = msg("府省庁")
        else:
            names = {clean(e.block_name) for e in members if e.block_name}
            label = msg("ブロック {block}", block=clean(key.split(" ", 1)[1])) + (
                f" {namer(ctx.doc)(sorted(names)[0])}" if len(names) == 1 else ""
            )
        with g.subgraph(name=f"cluster_{len(ctx.node_ids)}_{ordered.index(key)}") as sg:
            sg.attr(
                label=_esc(label), style="dashed", color="#999999", fontname=FONT, fontsize="10"
            )
            for e in members:
                _add_node(sg, ctx, e)


def _add_ranks(g: Any, ctx: _Context) -> None:
    """One rank per depth, so columns read left to right like the Sankey."""
    depth = depths(ctx.doc)
    in_flows = {f.source for f in ctx.doc.flows} | {f.target for f in ctx.doc.flows}
    by_depth: dict[int, list[str]] = defaultdict(list)
    for e in ctx.ents:
        # a contractor with no flow has no depth: left to its contract edge (pinning it to rank
        # 0 inside a block cluster also crashes Graphviz 2.43's -O batch mode with a double free)
        if e.id in in_flows:
            by_depth[depth.get(e.id, 0)].append(ctx.node_ids[e.id])
    for d in sorted(by_depth):
        with g.subgraph() as sg:
            sg.attr(rank="same")
            for n in by_depth[d]:
                sg.node(n)


def _add_contract_edge(g: Any, ctx: _Context, c: ContractRecord) -> None:
    """A contract no flow pays: dotted, ○ arrowhead, labelled with its value (not a payment)."""
    if c.buyer not in ctx.node_ids:
        return
    t = c.terms
    red = t.is_non_competitive or t.is_one_bidder
    label = [
        msg("契約額 {amount}", amount=format_yen_ja(c.amount_yen))
        if c.amount_yen is not None
        else msg("契約額 不明")
    ]
    bidders = msg("入札者数 {n}", n=t.bidders) if t.bidders is not None else ""
    label += [x for x in (term(t.method), bidders) if x]
    g.edge(
        ctx.node_ids[c.buyer],
        ctx.node_ids[c.contractor],
        label=_lines(label),
        style="dotted",
        arrowhead="odot",
        penwidth=str(MIN_PEN),
        color=(NON_COMPETITIVE_COLOR if red else "#555555") + "b0",
        fontcolor="#b00000" if red else "#444444",
        tooltip=_lines(
            [msg("契約（{origin}）: 契約額は支払額ではない", origin=c.origin), *contract_lines(t)]
        ),
        id=f"contract-{ctx.node_ids[c.buyer]}-{ctx.node_ids[c.contractor]}-{c.id}",
    )


def _edge_label(fl, style: str, terms, flagged: bool) -> list[str]:  # noqa: ANN001
    """An edge's lines: amount in its style, link type, contract method and bidders, route."""
    a = fl.amount_yen
    first = {
        "unknown": msg("金額不明"),
        "negative": msg("{amount}（控除・返納）", amount=format_yen_ja(a or 0)),
        "suspect": msg("⚠ {amount}（疑わしい数値）", amount=format_yen_ja(a or 0)),
    }.get(style, format_yen_ja(a or 0))
    label = [("◆ " if flagged else "") + first]
    if fl.link_type:
        label.append(term(fl.link_type))
    for c in terms[:1]:
        if c.method:
            label.append(term(c.method))
        if c.bidders is not None:
            label.append(msg("入札者数 {n}", n=c.bidders))
    if not fl.route_published:
        label.append(msg("経路不明"))
    return label


def _add_edge(
    g, doc: FlowDocument, fl, i: int, node_ids, fl_flags, highlight, lo: int, hi: int
) -> None:  # noqa: ANN001
    """One flow as an edge: width by amount (bands only), dashed for unknown or negative amounts,
    dotted where the route is not published, red for non-competitive or one-bidder contracts."""
    terms = doc.flow_contracts.get(fl.id, ())
    red = any(c.is_non_competitive or c.is_one_bidder for c in terms)
    style = link_style(fl.amount_yen, fl.id in doc.suspects)
    a = fl.amount_yen
    label = _edge_label(fl, style, terms, bool(fl_flags))
    faded = highlight is not None and fl.id not in highlight
    color = {"unknown": UNKNOWN_COLOR, "negative": NEGATIVE_COLOR, "suspect": SUSPECT_COLOR}.get(
        style,
        NON_COMPETITIVE_COLOR
        if red
        else KIND_COLORS.get(doc.entity_map[fl.source].kind, KIND_COLORS["other"]),
    )
    line = (
        "dotted"
        if not fl.route_published
        else (
            "dashed"
            if style in ("unknown", "negative")
            else "dotted"
            if style == "suspect"
            else "solid"
        )
    )
    if fl_flags:
        line += ",bold"
    g.edge(
        node_ids[fl.source],
        node_ids[fl.target],
        label=_lines(label),
        penwidth=str(pen_width(a, lo, hi) if style == "band" else MIN_PEN),
        color=color + ("30" if faded else "b0"),
        fontcolor="#999999" if faded else ("#b00000" if red else "#222222"),
        style=line,
        tooltip=_lines(
            describe_link(doc, fl)
            + ([msg("フラグ: {rules}", rules=", ".join(fl_flags))] if fl_flags else [])
        ),
        labeltooltip=_lines(describe_link(doc, fl)),
        id=f"flow-{node_ids[fl.source]}-{node_ids[fl.target]}-{i}",
    )
