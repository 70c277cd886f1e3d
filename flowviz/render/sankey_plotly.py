"""The interactive Sankey page: the same layout, drawn by plotly.js in the browser.

plotly is imported only here (it is slow to import). The figure is built as a
plain dict — golden-testable JSON — from :class:`~flowviz.layout.SankeyFigure`,
so node order, colours, widened flows and hover texts match the static SVG.
Data strings are HTML-escaped before they reach plotly, whose labels accept
a subset of HTML.
"""

from __future__ import annotations

from html import escape
from typing import Any

from flowviz.i18n import english
from flowviz.messages import msg
from flowviz.render.figure import FONT_FAMILY, SankeyFigure

PLOTLY_JS_NOTE = (
    "plotly.js is inlined in the page (about 4.7 MB) so the file works offline and can be"
    " mailed or archived on its own."
)


def _e(s: str) -> str:
    return escape(s, quote=True)


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _legend_text(kind: str, text: str) -> str:
    if kind == "widened":  # plotly cannot hatch or widen: thin flows get a dark outline
        return msg("※ 細すぎて見えない流れは黒い縁取りで表示（幅と数値は実額のまま）")
    if kind == "link":
        return msg("赤: {text}", text=text)
    return text


def plotly_figure(fig: SankeyFigure) -> dict[str, Any]:
    """A plotly figure dict (``{"data": [...], "layout": {...}}``) with exact hover data."""
    index = {n.id: i for i, n in enumerate(fig.nodes)}
    ncols = max((n.column for n in fig.nodes), default=0)
    node_labels = [f"{_e(n.caption)} {_e(n.amount_text)}" for n in fig.nodes]
    # the figure's numbers are the true amounts (never a widened value: a reader of the JSON
    # gets what was published); a flow too thin to see is outlined instead of widened.
    # Unknown, negative and 0円 links have no width: plotly draws none for them (notes say so)
    link_values = [ln.value if ln.style == "band" else 0 for ln in fig.links]
    return {
        "data": [
            {
                "type": "sankey",
                "arrangement": "snap",
                "valueformat": ",d",
                "valuesuffix": (" " if english() else "") + msg("円"),
                "node": {
                    "label": node_labels,
                    "color": [_rgba(n.color, 0.35 if n.faded else 1.0) for n in fig.nodes],
                    "x": [0.001 + 0.998 * n.column / ncols if ncols else 0.5 for n in fig.nodes],
                    "y": [
                        min(
                            max(
                                (n.y + n.height / 2 - fig.body_top) / max(fig.body_height, 1), 0.001
                            ),
                            0.999,
                        )
                        for n in fig.nodes
                    ],
                    "pad": 18,
                    "thickness": 14,
                    "customdata": ["<br>".join(_e(t) for t in n.tooltip) for n in fig.nodes],
                    "hovertemplate": "%{customdata}<extra></extra>",
                },
                "link": {
                    "source": [index[ln.source] for ln in fig.links],
                    "target": [index[ln.target] for ln in fig.links],
                    "value": link_values,
                    "color": [
                        _rgba(ln.color, 0.08 if ln.faded else (0.75 if ln.widened else 0.45))
                        for ln in fig.links
                    ],
                    "line": {
                        "color": ["#222222" if ln.widened else "rgba(0,0,0,0)" for ln in fig.links],
                        "width": [1.5 if ln.widened else 0 for ln in fig.links],
                    },
                    "customdata": ["<br>".join(_e(t) for t in ln.tooltip) for ln in fig.links],
                    "hovertemplate": "%{customdata}<extra></extra>",
                },
            }
        ],
        "layout": _layout(fig),
    }


def _layout(fig: SankeyFigure) -> dict[str, Any]:
    """Title, size, fonts, and the notes and legend as annotations under the figure."""
    return {
        "title": {
            "text": f"{_e(fig.title)}<br><sup>{_e(fig.subtitle)}</sup>",
            "x": 0.01,
            "font": {"size": 16},
        },
        "font": {"family": FONT_FAMILY, "size": 12},
        "width": max(int(fig.width), 900),
        "height": max(int(fig.height), 520),
        "margin": {"l": 20, "r": 20, "t": 80, "b": 40 + 18 * (len(fig.notes) + 1)},
        "annotations": [
            {
                "text": _e(note),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": -0.02 - 0.04 * i,
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "font": {"size": 11},
            }
            for i, note in enumerate(
                [
                    *fig.notes,
                    "　".join(_legend_text(kind, text) for kind, _, text in fig.legend),
                ]
            )
        ],
        "paper_bgcolor": "#ffffff",
    }


PLOTLY_JS = "plotly.min.js"


def sankey_html(fig: SankeyFigure, shared_js: bool = False) -> str:
    """The interactive Sankey page: plotly.js inlined (self-contained, ~4.8 MB), or with
    ``shared_js`` loaded from ``plotly.min.js`` next to the page (a few KB per page)."""
    import plotly.io as pio

    figure = plotly_figure(fig)
    body = pio.to_html(
        figure,
        include_plotlyjs=PLOTLY_JS if shared_js else True,
        full_html=False,
        div_id="flowviz-sankey",
        config={"displaylogo": False, "responsive": True},
        validate=False,
    )
    return (
        '<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(fig.title)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>body{{font-family:{FONT_FAMILY};margin:12px}}</style>\n"
        "</head>\n<body>\n"
        f"{body}\n"
        "</body>\n</html>\n"
    )
