"""The notebook face of flowviz: ``flowviz.load(...)`` and objects that display themselves.

>>> fv = flowviz.load("examples/0048.json")       # doctest: +SKIP
>>> fv.sankey()          # shows the static Sankey inline (``_repr_svg_``)
>>> fv.dot()             # the Graphviz diagram
>>> fv.flows             # a list of dicts; fv.flows_frame() gives a pandas DataFrame

What comes back: amounts are ``int`` yen (``None`` where not published, never 0), rates and
shares are ``Decimal``; the DataFrames keep that (nullable ``Int64`` for yen, see :func:`frame`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from flowviz.exceptions import FlowvizError
from flowviz.model import FlowDocument


@dataclass
class SankeyFigure:
    """A Sankey that shows itself in Jupyter (static SVG) and can write itself out."""

    doc: FlowDocument
    highlight: set[str] | None = None

    @cached_property
    def layout(self):
        from flowviz.render.layout import sankey_layout

        return sankey_layout(self.doc, highlight=self.highlight)

    def svg(self) -> str:
        from flowviz.render.sankey_svg import sankey_svg

        return sankey_svg(self.layout)

    def figure(self) -> dict[str, Any]:
        """The plotly figure dict (``plotly.graph_objects.Figure(fig.figure())`` for widgets)."""
        from flowviz.render.sankey_plotly import plotly_figure

        return plotly_figure(self.layout)

    def html(self) -> str:
        from flowviz.render.sankey_plotly import sankey_html

        return sankey_html(self.layout)

    def _repr_svg_(self) -> str:
        return self.svg()


@dataclass
class DotFigure:
    """A Graphviz diagram that shows itself in Jupyter (runs ``dot`` on display)."""

    doc: FlowDocument
    highlight: set[str] | None = None

    @cached_property
    def source(self) -> str:
        from flowviz.render.dot import dot_source

        return dot_source(self.doc, highlight=self.highlight)

    def svg(self) -> str:
        from flowviz.render.output import run_dot

        return run_dot(self.source, "svg").decode("utf-8")

    def _repr_svg_(self) -> str:
        return self.svg()


class FlowView:
    """One money flow, ready to explore: graph, flows, traces, flags and pictures."""

    def __init__(self, doc: FlowDocument):
        self.doc = doc

    def __repr__(self) -> str:
        p = self.doc.project
        return f"<FlowView {p.number or p.id} {p.name!r}: {len(self.doc.entities)} entities, {len(self.doc.flows)} flows>"

    @cached_property
    def graph(self):
        """A ``networkx.MultiDiGraph`` with every attribute (edge keys are flow ids)."""
        from flowviz.graph import build_graph

        return build_graph(self.doc)

    @property
    def flows(self) -> list[dict[str, Any]]:
        from flowviz.analysis.records import flow_records

        return flow_records(self.doc)

    def flows_frame(self):
        """The flows as a pandas DataFrame (``pip install 'flowviz[notebook]'``)."""
        from flowviz.analysis.records import FLOW_COLUMNS

        return frame(self.flows, FLOW_COLUMNS)

    def payees_frame(self):
        """The payees as a pandas DataFrame (``pip install 'flowviz[notebook]'``)."""
        return frame(self.payees())

    def trace(self, source: str | None = None, target: str | None = None) -> list[dict[str, Any]]:
        from flowviz.analysis import trace, trace_records

        return trace_records(trace(self.doc, source, target), self.doc)

    def payees(self) -> list[dict[str, Any]]:
        from flowviz.analysis import payees

        return payees([self.doc])

    def flags(self) -> list[dict[str, Any]]:
        from flowviz.analysis import flags

        return flags(self.doc)

    def _focus(self, focus: str | None) -> set[str] | None:
        if not focus:
            return None
        from flowviz.analysis import focus_set

        return focus_set(self.doc, focus)

    def sankey(self, focus: str | None = None) -> SankeyFigure:
        return SankeyFigure(self.doc, self._focus(focus))

    def dot(self, focus: str | None = None) -> DotFigure:
        return DotFigure(self.doc, self._focus(focus))

    def render(self, out: str | Path = "output", **options: Any) -> list[Path]:
        from flowviz.render.api import RenderOptions, render_document

        return render_document(self.doc, out, RenderOptions(**options))

    def _repr_html_(self) -> str:
        from html import escape

        from flowviz.analysis.records import summary
        from flowviz.money import format_yen_ja

        s = summary(self.doc)
        return (
            f"<b>{escape(str(s['number'] or s['project_id']))} {escape(s['name'])}</b> — {escape(s['ministry'])}"
            f"<br>{format_yen_ja(s['total_from_sources_yen'])}, {s['entities']} entities,"
            f" {s['flows']} flows, chain depth {s['chain_depth']}"
        )


def frame(rows: list[dict[str, Any]], columns: Any = None):
    """Rows as a DataFrame with money kept exact: ``*_yen`` columns are pandas' nullable
    ``Int64`` (integer yen, ``<NA>`` where not published — never float NaN), rates stay
    ``Decimal`` objects, text stays text."""
    try:
        import pandas as pd
    except ImportError:
        raise FlowvizError(
            "DataFrames need pandas: pip install 'flowviz[notebook]' (or pip install pandas)"
        ) from None
    df = pd.DataFrame(rows, columns=list(columns) if columns else None)
    for col in df.columns:
        if str(col).endswith("_yen"):
            df[col] = pd.array([None if v is None else int(v) for v in df[col]], dtype="Int64")
    return df


def load(
    path: str | Path | None = None,
    *,
    project: str | None = None,
    year: int | None = None,
    db: str | Path | None = None,
) -> FlowView:
    """Load a JSON file, or one sheet of the store, for exploring in a notebook: ``project`` is
    an RS id (with ``year``) or any sheet key the CLI reads (``2017:総務省:0048``,
    ``rs:2024:7259``, ``uid:4347``; :data:`flowviz.store.lineage.KEY_FORMS`)."""
    if path is not None:
        from flowviz.sources import read

        return FlowView(read(path))
    if project is None:
        raise ValueError("give a path, or project= to read from the store")
    from flowviz.store.db import connect, project_year
    from flowviz.store.lineage import resolve_key
    from flowviz.store.rs_document import document_from_store
    from flowviz.store.sheet_document import document_from_sheet

    con = connect(db)
    try:
        found = resolve_key(con, project)
        if found and found["source"] == "old":
            return FlowView(document_from_sheet(con, found["key"]))
        if found:
            row = found["row"]
            return FlowView(document_from_store(con, row["year"], row["project_id"]))
        return FlowView(document_from_store(con, year or project_year(con, project), project))
    finally:
        con.close()


def history(
    project: str,
    *,
    ministry: str | None = None,
    year: int | None = None,
    links: str | Path | None = None,
    db: str | Path | None = None,
) -> Any:
    """One project's lineage across the years (:class:`flowviz.analysis.history.History`, the
    one ``flowviz history`` prints): its sheets with their evidence, budget on one definition,
    payees by year, and where it ends, the candidate successors."""
    from flowviz.analysis.history import load_history
    from flowviz.store.db import connect

    con = connect(db)
    try:
        return load_history(con, project, ministry, year, Path(links) if links else None)
    finally:
        con.close()
