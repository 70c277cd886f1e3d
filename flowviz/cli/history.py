"""A decade of money: history of a project."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from flowviz.cli.common import (
    DEFAULT_DB,
    DbOpt,
    FormatOpt,
    RowFormat,
    YearOpt,
    app,
    echo,
    friendly,
)

LinksOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--links", help="Hand-kept links CSV (from,to,evidence) that adds or removes sheets."
    ),
]


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
    echo(
        history_json(h) if format != RowFormat.table else "\n".join(history_lines(h, format.value))
    )
