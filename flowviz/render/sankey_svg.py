"""Draw a :class:`~flowviz.layout.SankeyFigure` as standalone SVG text.

Pure string building (no plotly, no browser): a figure takes a few
milliseconds, so thousands of projects render in a minute. Every string
from the data is XML-escaped; ids are derived from positions, never from
data, so the same input gives byte-identical output.
"""

from __future__ import annotations

from html import escape

from flowviz.render.alt_text import sankey_alt
from flowviz.render.figure import FONT_FAMILY, SankeyFigure, SankeyLink
from flowviz.render.layout import LABEL_GAP
from flowviz.render.legend import legend_places
from flowviz.render.measures import measure, metadata_xml
from flowviz.text import text_width, xml_safe


def _e(s: object) -> str:
    return escape(xml_safe(str(s)), quote=True)


def _f(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _link_path(ln: SankeyLink) -> str:
    x0, x1, w = ln.x0, ln.x1, ln.width
    if ln.backward:  # loop below the nodes for cycles and back links
        drop = max(w * 2, 30)
        return (
            f"M{_f(x0)},{_f(ln.y0)} C{_f(x0 + drop)},{_f(ln.y0)} {_f(x0 + drop)},{_f(ln.y0 + w + drop)}"
            f" {_f((x0 + x1) / 2)},{_f(max(ln.y0, ln.y1) + w + drop)}"
            f" S{_f(x1 - drop)},{_f(ln.y1)} {_f(x1)},{_f(ln.y1)}"
            f" L{_f(x1)},{_f(ln.y1 + w)} L{_f(x0)},{_f(ln.y0 + w)} Z"
        )
    xm = (x0 + x1) / 2
    return (
        f"M{_f(x0)},{_f(ln.y0)} C{_f(xm)},{_f(ln.y0)} {_f(xm)},{_f(ln.y1)} {_f(x1)},{_f(ln.y1)}"
        f" L{_f(x1)},{_f(ln.y1 + w)} C{_f(xm)},{_f(ln.y1 + w)} {_f(xm)},{_f(ln.y0 + w)}"
        f" {_f(x0)},{_f(ln.y0 + w)} Z"
    )


_LINE_DASH = {"unknown": "6 4", "negative": "8 3 2 3", "zero": "", "suspect": "2 2"}


def _centre_line(ln: SankeyLink) -> str:
    """Unknown, negative and 0円 links: a line along the link's centre, no width from the amount."""
    x0, x1 = ln.x0, ln.x1
    y0, y1 = ln.y0 + ln.width / 2, ln.y1 + ln.width / 2
    xm = (x0 + x1) / 2
    d = f"M{_f(x0)},{_f(y0)} C{_f(xm)},{_f(y0)} {_f(xm)},{_f(y1)} {_f(x1)},{_f(y1)}"
    dash = _LINE_DASH[ln.style]
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    width = "1" if ln.style == "zero" else "2"
    return f'<path d="{d}" fill="none" stroke="{ln.color}" stroke-width="{width}"{dash_attr}/>'


def _halo(x: float, y: float, w: float, h: float) -> str:
    """A soft white box behind a label, so it stays readable over links (works in every viewer)."""
    return (
        f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}" rx="2"'
        ' fill="#ffffff" fill-opacity="0.8"/>'
    )


def sankey_svg(fig: SankeyFigure) -> str:
    """The SVG document of ``fig``, as text: header, links, nodes, legend and notes."""
    o = fig.options
    fs = o.font_size
    shown_w = fig.display_width or fig.width  # --width: the viewBox scales to it
    shown_h = fig.height * shown_w / fig.width
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_f(shown_w)}" height="{_f(shown_h)}"'
        f' viewBox="0 0 {fig.width} {fig.height}" font-family="{_e(FONT_FAMILY)}" font-size="{_f(fs)}"'
        ' role="img" aria-labelledby="fv-title" aria-describedby="fv-desc">',
        f'<title id="fv-title">{_e(fig.title)} — {_e(fig.subtitle)}</title>',
        f'<desc id="fv-desc">{_e(sankey_alt(fig))}</desc>',
        metadata_xml(measure(fig)),  # the certificate: order, crossings, readability
        "<defs>"
        '<pattern id="fv-widened" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)">'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#222" stroke-width="1.6"/></pattern>'
        "<style>.fv-faded{opacity:.15}</style></defs>",
        f'<rect width="{fig.width}" height="{fig.height}" fill="#ffffff"/>',
        f'<text x="{o.margin}" y="{o.margin + 16}" font-size="16" font-weight="bold">{_e(fig.title)}</text>',
        f'<text x="{o.margin}" y="{o.margin + 38}" font-size="12" fill="#333">{_e(fig.subtitle)}</text>',
        '<g class="fv-links">',
    ]
    out += _links(fig)
    out.append("</g>")
    out.append('<g class="fv-nodes">')
    out += _nodes(fig)
    out.append("</g>")
    out += _legend_and_notes(fig)
    return "\n".join(out) + "\n"


def _links(fig: SankeyFigure) -> list[str]:
    """Each link: a band (widened ones hatched), or a centre line for unknown/negative/0円."""
    fs = fig.options.font_size
    index = {n.id: i for i, n in enumerate(fig.nodes)}
    out: list[str] = []
    for i, ln in enumerate(fig.links):
        cls = ' class="fv-faded"' if ln.faded else ""
        attrs = [
            f'id="fv-link-{i}"',
            f'data-flow="{_e(ln.flow.id)}"',
            f'data-s="{index[ln.source]}" data-t="{index[ln.target]}"',
            f'data-amount-yen="{"" if ln.value is None else ln.value}"',
            f'data-style="{ln.style}"',
        ]
        if not ln.route_published:
            attrs.append('data-route="unpublished"')
        if ln.widened:
            attrs.append('data-widened="true"')
        if ln.non_competitive or ln.one_bidder:
            attrs.append('data-non-competitive="true"')
        if ln.flags:
            attrs.append(f'data-flags="{_e(" ".join(ln.flags))}"')
        out.append(f"<g {' '.join(attrs)}{cls}>")
        out.append(f"<title>{_e(chr(10).join(ln.tooltip))}</title>")
        d = _link_path(ln)
        if ln.style == "band":
            opacity = "0.75" if ln.widened else ("0.25" if not ln.route_published else "0.45")
            out.append(f'<path d="{d}" fill="{ln.color}" fill-opacity="{opacity}"/>')
            if not ln.route_published:
                out.append(
                    f'<path d="{d}" fill="none" stroke="#555" stroke-width="1" stroke-dasharray="1 3"/>'
                )
        else:
            out.append(_centre_line(ln))
        if ln.widened:
            out.append(f'<path d="{d}" fill="url(#fv-widened)" stroke="#333" stroke-width="0.6"/>')
        if ln.flags:
            out.append(
                f'<path d="{d}" fill="none" stroke="#000" stroke-width="1.2" stroke-dasharray="4 3"/>'
            )
        if ln.show_label:
            text = ("◆" if ln.flags else "") + ln.label
            tw = text_width(text, fs - 1)
            cy = ln.y1 + ln.width / 2
            out.append(_halo(ln.x1 - 8 - tw, cy - fs * 0.65, tw + 4, fs * 1.3))
            out.append(
                f'<text x="{_f(ln.x1 - 6)}" y="{_f(cy)}"'
                f' dy="0.35em" text-anchor="end" font-size="{_f(fs - 1)}" fill="#222">{_e(text)}</text>'
            )
        out.append("</g>")
    return out


def _nodes(fig: SankeyFigure) -> list[str]:
    """Each node: its bar and a label block on a white halo."""
    fs = fig.options.font_size
    out: list[str] = []
    line_h = fs * 1.3
    for i, n in enumerate(fig.nodes):
        cls = ' class="fv-faded"' if n.faded else ""
        cn = f' data-corporate-number="{_e(n.corporate_number)}"' if n.corporate_number else ""
        out.append(f'<g id="fv-node-{i}" data-kind="{_e(n.kind)}"{cn}{cls}>')
        out.append(f"<title>{_e(chr(10).join(n.tooltip))}</title>")
        out.append(
            f'<rect x="{_f(n.x)}" y="{_f(n.y)}" width="{_f(n.width)}" height="{_f(n.height)}"'
            f' fill="{n.color}" stroke="#222" stroke-width="0.5"/>'
        )
        block = line_h * len(n.label_lines)
        if n.label_above:  # over the bar, clear of the bands that leave its right side
            x, first = n.x, n.y - LABEL_GAP - block + line_h / 2
        else:
            x, first = n.x + n.width + 6, n.y + n.height / 2 - line_h * (len(n.label_lines) - 1) / 2
        out.append(_halo(x - 2, first - line_h / 2, n.label_width + 4, block))
        out.append(f'<text x="{_f(x)}" y="{_f(first)}" dy="0.35em">')
        for j, line in enumerate(n.label_lines):
            weight = ' font-weight="bold"' if j < n.caption_lines else ""
            last = j == len(n.label_lines) - 1  # the 法人番号 line, when there is one
            corp = n.corporate_number and not fig.options.compact and last
            small = ' font-size="10" fill="#444"' if corp else ""
            dy = "0" if j == 0 else _f(line_h)
            out.append(f'<tspan x="{_f(x)}" dy="{dy}"{weight}{small}>{_e(line)}</tspan>')
        out.append("</text></g>")
    return out


def _legend_and_notes(fig: SankeyFigure) -> list[str]:
    o = fig.options
    out: list[str] = []
    y = fig.top
    out.append('<g class="fv-legend" font-size="11">')
    places = legend_places(fig.legend, fig.width, o.margin)
    for (kind, color, text), (x, row) in zip(fig.legend, places):
        y = fig.top + 18 * row
        if kind == "node":
            out.append(f'<rect x="{_f(x)}" y="{_f(y - 9)}" width="10" height="10" fill="{color}"/>')
        elif kind == "widened":
            out.append(
                f'<rect x="{_f(x)}" y="{_f(y - 9)}" width="18" height="10" fill="url(#fv-widened)" stroke="#333" stroke-width="0.6"/>'
            )
        elif kind in _LINE_DASH:
            dash = f' stroke-dasharray="{_LINE_DASH[kind]}"' if _LINE_DASH[kind] else ""
            out.append(
                f'<line x1="{_f(x)}" y1="{_f(y - 4)}" x2="{_f(x + 18)}" y2="{_f(y - 4)}" stroke="{color}" stroke-width="2"{dash}/>'
            )
        elif kind == "unrouted":
            out.append(
                f'<rect x="{_f(x)}" y="{_f(y - 9)}" width="18" height="10" fill="#999" fill-opacity="0.25" stroke="#555" stroke-dasharray="1 3"/>'
            )
        elif kind == "flag":
            out.append(
                f'<rect x="{_f(x)}" y="{_f(y - 9)}" width="18" height="10" fill="none" stroke="#000" stroke-dasharray="4 3"/>'
            )
        else:
            out.append(
                f'<rect x="{_f(x)}" y="{_f(y - 9)}" width="18" height="10" fill="{color}" fill-opacity="0.45"/>'
            )
        sw = 14 if kind == "node" else 22
        out.append(f'<text x="{_f(x + sw)}" y="{_f(y)}">{_e(text)}</text>')
    out.append("</g>")
    y += 20
    for note in fig.notes:
        out.append(f'<text x="{o.margin}" y="{_f(y)}" font-size="11" fill="#333">{_e(note)}</text>')
        y += 18
    out.append("</svg>")
    return out
