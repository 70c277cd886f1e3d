"""A decade of money: history of a project."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from flowviz.cli.common import (
    DEFAULT_DB,
    DbOpt,
    FormatOpt,
    LinksOpt,
    RowFormat,
    YearOpt,
    app,
    echo,
    friendly,
)


@app.command()
@friendly
def history(
    query_text: Annotated[
        str,
        typer.Argument(
            metavar="PROJECT",
            help="Sheet number (with --ministry, --year), uid:事業ID, an RS id, or part of a name.",
        ),
    ],
    ministry: Annotated[
        Optional[str], typer.Option("--ministry", help="Ministry of the sheet number.")
    ] = None,
    year: YearOpt = None,
    links: LinksOpt = None,
    svg: Annotated[
        Optional[Path],
        typer.Option("--svg", help="Also write the money-over-time picture of the lineage (SVG)."),
    ] = None,
    incumbency: Annotated[
        int,
        typer.Option("--incumbency", help="FV012: flag payees listed this many consecutive years."),
    ] = 3,
    format: FormatOpt = RowFormat.table,
    db: DbOpt = DEFAULT_DB,
) -> None:
    """One project across the years: its sheets (and why they belong together), budget and
    execution year by year, and every payee year by year with new and gone marked.

    Example: flowviz history 0048 --ministry 総務省 --year 2017
    """
    from flowviz.analysis.history import load_history
    from flowviz.render.history_text import history_json, history_lines
    from flowviz.store.db import connect

    con = connect(db)
    try:
        h = load_history(con, query_text, ministry, year, links)
    finally:
        con.close()
    if format == RowFormat.table:
        echo("\n".join(history_lines(h, format.value, incumbency)))
    else:
        echo(history_json(h, incumbency))
    if svg:
        _write_picture(h, svg)


def _write_picture(h: object, path: Path) -> None:
    from flowviz.render.output import atomic_write
    from flowviz.render.over_time import over_time_svg
    from flowviz.render.over_time_data import history_over_time

    typer.echo(f"picture: {atomic_write(path, over_time_svg(history_over_time(h)))}", err=True)


@app.command()
@friendly
def diff(
    year_a: Annotated[
        int, typer.Option("--from", help="The earlier flow year (money spent that fiscal year).")
    ],
    year_b: Annotated[int, typer.Option("--to", help="The later flow year.")],
    project: Annotated[
        Optional[str],
        typer.Option(
            "--project",
            "-p",
            help="One project: a sheet number (with --sheet-ministry), uid:事業ID or an RS id; its sheets across years are followed.",
        ),
    ] = None,
    sheet_ministry: Annotated[
        Optional[str],
        typer.Option("--sheet-ministry", help="Ministry of the --project sheet number."),
    ] = None,
    sheet_year: Annotated[
        Optional[int],
        typer.Option(
            "--sheet-year", help="Year of the --project sheet number (numbers are reused)."
        ),
    ] = None,
    ministry: Annotated[
        Optional[str], typer.Option("--ministry", help="Every project of one ministry.")
    ] = None,
    links: LinksOpt = None,
    top: Annotated[
        int, typer.Option("--top", help="Rows of each kind (new, gone, changed) in the table.")
    ] = 20,
    format: FormatOpt = RowFormat.table,
    db: DbOpt = DEFAULT_DB,
) -> None:
    """What changed between two years: payees that appeared, vanished or changed, with amounts
    and shares; projects that appeared or ended (one project, one ministry, or everything).

    Example: flowviz diff --from 2015 --to 2016 -p 0048 --sheet-ministry 総務省 --sheet-year 2017
    """
    from flowviz.analysis.diff import load_diff
    from flowviz.cli.common import exclusive
    from flowviz.render.diff_text import diff_lines, diff_rows
    from flowviz.render.tables import render_rows
    from flowviz.store.db import connect

    exclusive(project=project, ministry=ministry)
    con = connect(db)
    try:
        d = load_diff(con, year_a, year_b, project, ministry, sheet_ministry, sheet_year, links)
    finally:
        con.close()
    rows = diff_rows(d, top if format == RowFormat.table else None)
    echo(
        "\n".join(diff_lines(d, rows))
        if format == RowFormat.table
        else render_rows(rows, format.value)
    )
