"""Files for other tools and readers: export, report."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from flowviz.cli.common import (
    DEFAULT_DB,
    DbOpt,
    OptFileArg,
    OutDirOpt,
    ProjectOpt,
    YearOpt,
    app,
    echo,
    friendly,
    one,
    relative,
)


class ExportFormat(str, Enum):
    v1 = "v1"
    ftm = "ftm"
    graphml = "graphml"
    gexf = "gexf"
    csv = "csv"
    json = "json"


@app.command()
@friendly
def export(
    file: OptFileArg = None,
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="v1 (flowviz input JSON), ftm (FollowTheMoney for Aleph), graphml/gexf (Gephi), csv (nodes, edges and contracts files), json (the same tables).",
        ),
    ] = ExportFormat.v1,
    project: ProjectOpt = None,
    year: YearOpt = None,
    db: DbOpt = DEFAULT_DB,
    out: Annotated[
        Optional[Path],
        typer.Option(
            "--out", "-o", help="File to write (a folder for csv). Default: stdout; csv: output/."
        ),
    ] = None,
) -> None:
    """Export a project: v1 JSON, FollowTheMoney, GraphML, GEXF, or node/edge/contract tables.

    Example: flowviz export --project 7259 --out 7259.json
    """
    from flowviz.render.exports import export_texts
    from flowviz.render.output import atomic_write, output_path

    doc = one(file, project, year, db)
    texts = export_texts(doc, format.value)
    if format == ExportFormat.csv:
        for suffix, text in texts.items():
            written = atomic_write(output_path(out or Path("output"), doc.project.id, suffix), text)
            typer.echo(relative(written))
        return
    (text,) = texts.values()
    if out:
        atomic_write(out, text)
        typer.echo(str(out))
    else:
        echo(text)


@app.command()
@friendly
def report(
    file: OptFileArg = None,
    project: ProjectOpt = None,
    year: YearOpt = None,
    db: DbOpt = DEFAULT_DB,
    out: OutDirOpt = Path("output"),
) -> None:
    """One self-contained HTML report: metadata, Sankey, DOT, flows, payees, contracts, flags, budget.

    Example: flowviz report examples/0048.json
    """
    from flowviz.render.output import atomic_write, output_path
    from flowviz.render.report import report_html

    doc = one(file, project, year, db)
    path = atomic_write(output_path(out, doc.project.id, ".report.html"), report_html(doc))
    typer.echo(relative(path))
