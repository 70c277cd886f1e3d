"""The renderer-neutral Sankey figure: options, nodes, links, colours.

:mod:`flowviz.render.layout` fills these in; the SVG and plotly renderers only draw them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flowviz.graph import Balance
from flowviz.model import Flow

#: colours from the colour-universal-design set (CUD v4: blue, green, purple, orange, grey, red,
#: brown, pink), darkened until each reaches 3:1 against white; every pair of them stays ΔE ≥ 15
#: (CAM02-UCS) for normal, protan, deutan and tritan vision (tests/render/test_palette.py).
#: Kinds that share a colour share a legend entry (the state; private payees; groups).
KIND_COLORS = {
    "government": "#0041ff",
    "ministry": "#0041ff",
    "local_government": "#35a16b",
    "agency": "#64004f",
    "company": "#b96f00",
    "block": "#6d7882",
    "individual": "#b96f00",
    "other": "#6d7882",
}
NON_COMPETITIVE_COLOR = "#9f1900"
UNKNOWN_COLOR = "#000000"
NEGATIVE_COLOR = "#2b1600"
#: how a link is drawn: a band as wide as its amount, or a line with no width for what a band
#: would misstate (an unpublished amount, a deduction, a published 0円)
#: a suspect figure (flowviz.suspect): drawn as a line with its published amount, never a band
SUSPECT_COLOR = "#79494c"
#: lines told apart by their pattern (thin, dotted edge), not by colour: 4.5:1 on white
PATTERN_GREY = "#767676"
LINK_STYLES = ("band", "unknown", "negative", "zero", "suspect")
FONT_FAMILY = "'Noto Sans CJK JP', 'Noto Sans JP', 'Hiragino Sans', 'Yu Gothic', sans-serif"


@dataclass
class LayoutOptions:
    """Sizes in px. ``min_link_px`` is the narrowest a flow may be drawn."""

    flow_height: float = 420.0
    #: draw this many yen as ``flow_height`` px instead of the picture's largest column, so a
    #: series of pictures (a project's years) shares one scale
    scale_yen: int | None = None
    min_link_px: float = 5.0
    node_width: float = 14.0
    node_gap: float = 14.0
    font_size: float = 12.0
    label_em: float = 18.0
    margin: float = 24.0
    link_run: float = 90.0
    #: a picture for a narrow column: short amounts (約…億円; exact in tooltips and tables),
    #: names on at most two lines, no 法人番号 or contract method in the picture
    compact: bool = False
    #: the width the figure must fit (title and subtitle are shortened to it)
    max_width: float | None = None
    #: node order: "fewest-crossings" (exact where affordable, render/ordering.py) or
    #: "one-pass" (one barycentre pass, the order before the certificate; for comparisons)
    ordering: str = "fewest-crossings"


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
    #: how many of ``label_lines`` are the name (drawn bold)
    caption_lines: int = 0
    #: the label stands above the bar (a payer: bands leave from its right side, where a
    #: label would cover their start) rather than to its right (a final recipient)
    label_above: bool = False
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
    #: the width it is shown at (``--width``): the SVG scales its viewBox to it
    display_width: float | None = None
    #: how the node order was chosen (render/ordering.py): the method, a proved lower bound on
    #: weighted crossings in px² and the gap to it (None: unknown); render/measures.py adds the
    #: rest of the certificate from the geometry
    ordering: str = "one-pass"
    ordering_bound: float | None = None
    ordering_gap: float | None = None
