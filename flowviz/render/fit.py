"""Pictures for where they go: a Sankey fitted to a width with text no smaller than 11 px.

Shrinking a big picture into an 800 px article column makes its text unreadable; this module
condenses instead, in named steps, until the picture fits at full text size: the compact style
(short amounts, names on two lines, 法人番号 and contract methods left to the tables), then
fewer organisations per column — the largest N of each column, the rest merged into one
「その他」 node per column whose links keep the exact amounts. The legend says what was done.
"""

from __future__ import annotations

from dataclasses import replace

from flowviz.exceptions import RenderTooLarge
from flowviz.graph import depths
from flowviz.messages import msg
from flowviz.model import ContractRecord, Entity, FlowDocument
from flowviz.render.figure import LayoutOptions, SankeyFigure

#: --style → width in px (poster: the full picture, as wide as it needs)
STYLES = {"article": 800, "report": 1000, "poster": None}
MIN_TEXT_PX = 11
_TOPS = (None, 8, 6, 5, 4, 3, 2)
#: (label width in em, link run in px), loosest first: deep chains need narrow columns
_SPACINGS = ((10.0, 28.0), (8.0, 28.0), (6.5, 24.0), (5.0, 18.0))


def condense(doc: FlowDocument, top: int) -> FlowDocument:
    """The largest ``top`` organisations of each column; the rest of a column become one
    「その他（k団体）」 node, and every flow keeps its own amount (merged ends, exact sums)."""
    depth = depths(doc)
    size: dict[str, int] = {}
    for f in doc.flows:
        if f.amount_yen and f.amount_yen > 0:
            size[f.source] = size.get(f.source, 0) + f.amount_yen
            size[f.target] = size.get(f.target, 0) + f.amount_yen
    used = {f.source for f in doc.flows} | {f.target for f in doc.flows}
    by_col: dict[int, list[Entity]] = {}
    for e in doc.entities:
        if e.id in used:
            by_col.setdefault(depth.get(e.id, 0), []).append(e)
    into: dict[str, str] = {}
    buckets: list[Entity] = []
    merged = 0
    for col, ents in sorted(by_col.items()):
        ranked = sorted(ents, key=lambda e: -size.get(e.id, 0))
        rest = ranked[top:]
        if len(rest) > 1:
            bucket = Entity(f"others:{col}", msg("その他（{n}団体）", n=len(rest)), "other")
            buckets.append(bucket)
            into.update({e.id: bucket.id for e in rest})
            merged += len(rest)
    if not merged:
        return doc
    flows = tuple(
        replace(f, source=into.get(f.source, f.source), target=into.get(f.target, f.target))
        for f in doc.flows
    )
    note = msg(
        "各列の上位{top}団体のみ表示。残り{merged}団体は列ごとに「その他」にまとめた"
        "（つながりの金額はそのまま。一覧は flowviz payees で）",
        top=top,
        merged=merged,
    )
    return replace(
        doc,
        entities=tuple(e for e in doc.entities if e.id not in into) + tuple(buckets),
        flows=flows,
        contracts=tuple(_moved(c, into) for c in doc.contracts),
        findings=(*doc.findings, note),
    )


def _moved(c: ContractRecord, into: dict[str, str]) -> ContractRecord:
    return replace(
        c,
        contractor=into.get(c.contractor, c.contractor),
        buyer=into.get(c.buyer, c.buyer) if c.buyer else c.buyer,
    )


def _widest_labels(doc, o: LayoutOptions, fig: SankeyFigure, highlight, flags) -> SankeyFigure:  # noqa: ANN001
    """Use the free width before cutting a label: labels widen 2 em at a time while the
    picture still fits (the names then need fewer lines and no …)."""
    from flowviz.render.layout import sankey_layout

    for em in (o.label_em + 2 * k for k in range(1, 8)):
        wider = sankey_layout(doc, replace(o, label_em=em), highlight=highlight, flags=flags)
        if wider.width > (o.max_width or 0):
            break
        fig = wider
    return fig


def fit_to_width(
    doc: FlowDocument,
    width: int,
    highlight: set[str] | None = None,
    flags: dict[str, list[str]] | None = None,
) -> SankeyFigure:
    """The least condensed figure that fits ``width`` px with every text at least 11 px."""
    from flowviz.render.layout import sankey_layout

    if width < 320:
        raise RenderTooLarge(f"--width {width}: a Sankey needs at least 320 px; give a wider one")
    fig = None
    for top in _TOPS:
        shown = condense(doc, top) if top else doc
        for em, run in _SPACINGS:
            o = LayoutOptions(compact=True, max_width=width, label_em=em, link_run=run, node_gap=10)
            fig = sankey_layout(shown, o, highlight=highlight, flags=flags)
            if fig.width <= width:
                fig = _widest_labels(shown, o, fig, highlight, flags)
                fig.display_width = width
                return fig
    raise RenderTooLarge(
        f"{doc.project.id}: its columns need {round(fig.width)} px even condensed to the"
        f" largest 2 per column, more than --width {width}; give a wider --width, or"
        " --style poster for the full picture"
    )
