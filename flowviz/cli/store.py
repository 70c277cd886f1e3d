"""Commands on the store: import, projects, payee."""

from __future__ import annotations

import sys
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

PAYEE_COLUMNS = (
    "year",
    "project_id",
    "project",
    "ministry",
    "block",
    "payee",
    "corporate_number",
    "record",
    "amount_yen",
    "contract_value_yen",
    "contract_method",
    "bidders",
    "award_rate",
)


@app.command("import")
@friendly
def import_(
    paths: Annotated[
        list[Path], typer.Argument(help="RS-system ZIP or CSV files.", show_default=False)
    ],
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Import the RS system's open data (ZIP or CSV, as published) into a SQLite store.

    Importing the same year and file kind again replaces it; a failure leaves the store as it was.

    Example: flowviz import ../shared/data/rs2024/*.zip
    """
    from flowviz.sources.rs_csv import parse_text, read_texts
    from flowviz.store.db import import_files

    parsed = []
    with typer.progressbar(paths, label="reading", file=sys.stderr) as bar:
        for p in bar:
            parsed += [parse_text(text, name) for name, text in read_texts(p)]
    total = sum(len(f.rows) for f in parsed)
    with typer.progressbar(length=total, label="storing", file=sys.stderr) as bar:
        import_files(db, parsed, progress=bar.update)
    for f in parsed:
        years = ",".join(str(y) for y in sorted(f.years))
        typer.echo(f"{f.kind}  {len(f.rows):>7,} rows  {years}  {f.path}")
    typer.echo(f"store: {db}")


@app.command()
@friendly
def projects(
    query_text: Annotated[
        Optional[str],
        typer.Argument(metavar="QUERY", help="Id, or part of a name, ministry or bureau."),
    ] = None,
    ministry: Annotated[
        Optional[str], typer.Option("--ministry", help="Only this ministry (part of its name).")
    ] = None,
    year: YearOpt = None,
    format: FormatOpt = RowFormat.table,
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Search the projects in the store.

    Example: flowviz projects 価格激変緩和
    """
    from flowviz.render.tables import render_rows
    from flowviz.store.db import connect
    from flowviz.store.queries import find_projects

    con = connect(db)
    try:
        rows = find_projects(con, query_text, ministry, year)
    finally:
        con.close()
    echo(render_rows(rows, format.value))


@app.command()
@friendly
def payee(
    query_text: Annotated[str, typer.Argument(metavar="QUERY", help="法人番号 or part of a name.")],
    year: YearOpt = None,
    format: FormatOpt = RowFormat.table,
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Everything published about an organisation: payments (5-1/5-3) and contracts (5-4),
    each with its own amount; contract values are not payments.

    Example: flowviz payee 8010401024011
    """
    from flowviz.render.tables import render_rows
    from flowviz.store.db import connect
    from flowviz.store.queries import payee_footer, payee_rows

    con = connect(db)
    try:
        rows = payee_rows(con, query_text, year)
    finally:
        con.close()
    echo(render_rows(rows, format.value, PAYEE_COLUMNS if format == RowFormat.table else None))
    if format == RowFormat.table:
        echo(payee_footer(rows))
