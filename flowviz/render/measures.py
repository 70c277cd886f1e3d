"""The certificate of a Sankey picture: readability measures computed from its final geometry.

Measured on the positions the SVG draws, not on the order the optimiser saw, so a test can
recount them from the SVG alone: crossings and weighted crossings (Zarate et al., PacificVis
2018), swing amplitude and coverage (NeatSankey, Computers & Graphics 2023), label overlaps and
the smallest text at the size the picture is shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from html import escape

from flowviz.render.crossings import inversions
from flowviz.render.figure import SankeyFigure, SankeyLink
from flowviz.text import text_width

#: px between a label above a bar and the bar (as the layout places it)
_LABEL_GAP = 3.0
#: namespace of the certificate in the SVG's <metadata>
NAMESPACE = "https://github.com/flowviz/flowviz/quality/1"


@dataclass
class Quality:
    """Crossings count pairs of forward bands between the same two columns whose order at the
    start and at the end disagree (the crossings the node order decides); weighted crossings sum
    the products of their drawn thicknesses (px²). Back links loop below and are counted apart.
    """

    ordering: str
    crossings: int
    weighted_crossings: float
    #: proved lower bound on weighted crossings, px² (None: unknown)
    bound: float | None
    #: (weighted − bound) / weighted; 0 when proved optimal (None: unknown)
    gap: float | None
    back_links: int
    #: width-weighted mean of how far a band moves up or down between its ends, px
    swing_px: float
    #: share of the picture's width and height spanned by the bars and bands
    coverage_width: float
    coverage_height: float
    label_overlaps: int
    #: the smallest text at the size the picture is shown, px
    smallest_text_px: float


def thickness(ln: SankeyLink) -> float:
    """What a reader sees: a band's width, or the stroke of a line (2 px; 1 px for 0円)."""
    if ln.style == "band":
        return ln.width
    return 1.0 if ln.style == "zero" else 2.0


def crossings(links: list[SankeyLink]) -> tuple[int, float]:
    """(crossings, weighted crossings) of the forward links, from their end positions."""
    spans: dict[tuple[float, float], list[tuple[float, float, float]]] = defaultdict(list)
    for ln in links:
        if not ln.backward:
            spans[ln.x0, ln.x1].append((ln.y0, ln.y1, thickness(ln)))
    count, weighted = 0, 0.0
    for bands in spans.values():
        c, w = inversions(bands)
        count += c
        weighted += w
    return count, weighted


def _label_boxes(fig: SankeyFigure) -> list[tuple[float, float, float, float]]:
    """(x0, y0, x1, y1) of every label's text: node labels as blocks, shown link labels."""
    fs = fig.options.font_size
    line_h = fs * 1.3
    boxes = []
    for n in fig.nodes:
        k = len(n.label_lines)
        if n.label_above:
            x, first = n.x, n.y - _LABEL_GAP - line_h * k + line_h / 2
        else:
            x, first = n.x + n.width + 6, n.y + n.height / 2 - line_h * (k - 1) / 2
        mid0, mid1 = first + 0.35 * fs, first + line_h * (k - 1) + 0.35 * fs
        boxes.append((x, mid0 - fs / 2, x + n.label_width, mid1 + fs / 2))
    for ln in fig.links:
        if ln.show_label:
            tw = text_width(("◆" if ln.flags else "") + ln.label, fs - 1)
            mid = ln.y1 + ln.width / 2 + 0.35 * (fs - 1)
            boxes.append((ln.x1 - 6 - tw, mid - (fs - 1) / 2, ln.x1 - 6, mid + (fs - 1) / 2))
    return boxes


def label_overlaps(fig: SankeyFigure, tol: float = 0.5) -> int:
    """Pairs of labels whose text boxes overlap by more than ``tol`` px both ways."""
    boxes = sorted(_label_boxes(fig), key=lambda b: b[1])
    found = 0
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if b[1] >= a[3] - tol:
                break
            if a[0] < b[2] - tol and b[0] < a[2] - tol:
                found += 1
    return found


def smallest_text(fig: SankeyFigure) -> float:
    """The smallest font drawn, times the scale the picture is shown at."""
    o = fig.options
    sizes = [16.0, 12.0, o.font_size]
    if fig.legend or fig.notes:
        sizes.append(11.0)
    if any(ln.show_label for ln in fig.links):
        sizes.append(o.font_size - 1)
    if not o.compact and any(n.corporate_number for n in fig.nodes):
        sizes.append(10.0)
    return min(sizes) * (fig.display_width or fig.width) / fig.width


def measure(fig: SankeyFigure) -> Quality:
    """The certificate of ``fig``, from its geometry and the record of its ordering."""
    count, weighted = crossings(fig.links)
    fwd = [ln for ln in fig.links if not ln.backward]
    total_w = sum(thickness(ln) for ln in fwd)
    swing = sum(thickness(ln) * abs(ln.y1 - ln.y0) for ln in fwd) / total_w if total_w else 0.0
    xs = [v for n in fig.nodes for v in (n.x, n.x + n.width)]
    ys = [v for n in fig.nodes for v in (n.y, n.y + n.height)]
    return Quality(
        ordering=fig.ordering,
        crossings=count,
        weighted_crossings=weighted,
        # the optimiser counts thickness in 0.1 px: its bound can exceed the exact figure by
        # rounding; a proved order's bound is its own weight
        bound=None
        if fig.ordering_bound is None
        else weighted
        if fig.ordering_gap == 0
        else min(fig.ordering_bound, weighted),
        gap=fig.ordering_gap,
        back_links=len(fig.links) - len(fwd),
        swing_px=swing,
        coverage_width=(max(xs) - min(xs)) / fig.width if xs else 0.0,
        coverage_height=(max(ys) - min(ys)) / fig.height if ys else 0.0,
        label_overlaps=label_overlaps(fig),
        smallest_text_px=smallest_text(fig),
    )


def _fmt(v: object) -> str:
    if v is None:
        return "unknown"
    if isinstance(v, float):
        return (
            f"{v:.4f}".rstrip("0").rstrip(".")
            if abs(v) < 10
            else f"{v:.1f}".rstrip("0").rstrip(".")
        )
    return str(v)


def quality_fields(q: Quality) -> dict[str, str]:
    """The certificate as text, one field per measure (attribute names of the SVG metadata)."""
    return {k.replace("_", "-"): _fmt(v) for k, v in asdict(q).items()}


def metadata_xml(q: Quality) -> str:
    """``<metadata>`` for the SVG: the certificate as attributes of one element."""
    attrs = " ".join(f'{k}="{escape(v, quote=True)}"' for k, v in quality_fields(q).items())
    return f'<metadata><fv:quality xmlns:fv="{NAMESPACE}" {attrs}/></metadata>'


def stats_lines(q: Quality) -> list[str]:
    """``render --stats``: one measure a line, with what it means."""
    f = quality_fields(q)
    gap = "unknown" if q.gap is None else f"{q.gap:.1%}"
    return [
        f"ordering: {q.ordering} (gap to the best possible: {gap})",
        f"crossings: {q.crossings}, weighted {f['weighted-crossings']} px²"
        f" (lower bound {f['bound']}); back links not counted: {q.back_links}",
        f"swing amplitude: {f['swing-px']} px (width-weighted mean rise or fall of a band)",
        f"coverage: {q.coverage_width:.0%} of the width, {q.coverage_height:.0%} of the height",
        f"label overlaps: {q.label_overlaps}",
        f"smallest text at final size: {f['smallest-text-px']} px",
    ]
