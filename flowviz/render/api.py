"""Render a document to files: the one call the CLI and notebooks use."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from flowviz.exceptions import FlowvizError, OutputError
from flowviz.model import FlowDocument
from flowviz.render.figure import SankeyFigure

SANKEY_FORMATS = ("svg", "png", "pdf", "html", "plotly", "plotly-shared")
DOT_FORMATS = ("dot", "svg", "png", "pdf")
DEFAULT_SANKEY = ("svg", "html")
DEFAULT_DOT = ("dot", "svg")


class FormatError(FlowvizError, ValueError):
    """An output format no renderer can produce."""


#: More organisations than this make an unreadable picture (and a slow `dot`).
MAX_NODES = 400


@dataclass
class RenderOptions:
    sankey: bool = True
    dot: bool = False
    formats: tuple[str, ...] | None = None
    highlight: set[str] | None = None
    flags: dict[str, list[str]] | None = None
    max_nodes: int = MAX_NODES
    #: fit the Sankey to this many px with text ≥ 11 px, condensing as needed (render/fit.py)
    width: int | None = None


def fit_for_picture(doc: FlowDocument, opts: RenderOptions) -> FlowDocument:
    """Refuse graphs too large to read; with ``--focus``, draw only the focused paths instead."""
    from dataclasses import replace

    from flowviz.exceptions import RenderTooLarge

    used = {f.source for f in doc.flows} | {f.target for f in doc.flows}
    if len(used) <= opts.max_nodes:
        return doc
    if opts.highlight:
        keep = opts.highlight
        small = replace(
            doc,
            entities=tuple(e for e in doc.entities if e.id in keep),
            flows=tuple(f for f in doc.flows if f.id in keep),
        )
        n = len({f.source for f in small.flows} | {f.target for f in small.flows})
        if n <= opts.max_nodes:
            return small
        used = set(range(n))
    raise RenderTooLarge(
        f"{doc.file or doc.project.id}: {len(used):,} organisations are too many to read in one"
        f" picture (limit {opts.max_nodes}); narrow it with --focus ENTITY, or draw an aggregate"
        " view with --top N"
    )


def check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    out = []
    for f in formats:
        f = f.strip().lower().lstrip(".")
        if not f:
            continue
        if f not in set(SANKEY_FORMATS) | set(DOT_FORMATS):
            raise FormatError(
                f"unknown format {f!r}; expected some of svg, png, pdf, html, plotly, plotly-shared, dot"
            )
        out.append(f)
    return tuple(out)


def sankey_figure(doc: FlowDocument, opts: RenderOptions) -> SankeyFigure:
    """The Sankey figure of ``doc`` as ``opts`` asks: fitted to a width, or the full picture."""
    if opts.width:
        from flowviz.render.fit import fit_to_width

        return fit_to_width(doc, opts.width, opts.highlight, opts.flags)
    from flowviz.render.layout import sankey_layout

    return sankey_layout(doc, highlight=opts.highlight, flags=opts.flags)


def render_texts(doc: FlowDocument, opts: RenderOptions) -> dict[str, str | bytes]:
    """Suffix → content for every requested output, without touching the disk (except ``dot``)."""
    from flowviz.render.output import run_dot, svg_to

    result: dict[str, str | bytes] = {}
    formats = check_formats(opts.formats) if opts.formats is not None else None
    doc = fit_for_picture(doc, opts)
    if opts.sankey:
        from flowviz.render.sankey_svg import sankey_svg

        fmts = [f for f in (formats or DEFAULT_SANKEY) if f in SANKEY_FORMATS]
        fig = sankey_figure(doc, opts)
        svg = sankey_svg(fig) if set(fmts) & {"svg", "png", "pdf", "html"} else ""
        for f in fmts:
            if f == "svg":
                result[".sankey.svg"] = svg
            elif f == "html":
                from flowviz.render.sankey_page import sankey_page

                result[".sankey.html"] = sankey_page(fig, svg)
            elif f == "plotly":
                from flowviz.render.sankey_plotly import sankey_html

                result[".sankey.plotly.html"] = sankey_html(fig)
            elif f == "plotly-shared":  # one plotly.min.js beside every page of the folder
                from plotly.offline import get_plotlyjs

                from flowviz.render.sankey_plotly import PLOTLY_JS, sankey_html

                result[".sankey.plotly-shared.html"] = sankey_html(fig, shared_js=True)
                result["/" + PLOTLY_JS] = get_plotlyjs()
            else:
                result[f".sankey.{f}"] = svg_to(svg, f)
    if opts.dot:
        from flowviz.render.dot import dot_source

        fmts = [f for f in (formats or DEFAULT_DOT) if f in DOT_FORMATS]
        src = dot_source(doc, highlight=opts.highlight, flags=opts.flags)
        for f in fmts:
            result[".dot" if f == "dot" else f".dot.{f}"] = src if f == "dot" else run_dot(src, f)
    return result


def render_document(
    doc: FlowDocument,
    out_dir: str | Path = "output",
    opts: RenderOptions | None = None,
    key: str | None = None,
) -> list[Path]:
    """Render ``doc`` into ``out_dir``; returns the paths written. ``key``, when given, is
    hashed into the names (several inputs sharing one project id stay apart).

    Everything is rendered in memory first, so a failure writes nothing.
    """
    from flowviz.render.output import atomic_write, is_stdout, output_path, write_stdout

    opts = opts or RenderOptions()
    texts = render_texts(doc, opts)
    if is_stdout(out_dir):  # `--out -`: one file to standard output, or none at all
        if len(texts) != 1:
            raise OutputError(
                f"--out - writes one file to standard output, and this render makes {len(texts)}"
                f" ({', '.join(texts)}); choose one with --sankey or --dot and one --format"
            )
        write_stdout(next(iter(texts.values())))
        return []
    stem = doc.project.id or Path(doc.file).stem
    return [
        atomic_write(
            Path(out_dir) / suffix[1:]
            if suffix.startswith("/")
            else output_path(out_dir, stem, suffix, key),
            data,
        )
        for suffix, data in texts.items()
    ]
