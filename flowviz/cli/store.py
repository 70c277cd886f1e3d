"""Commands on the store: import, projects, payee."""

from __future__ import annotations

from enum import Enum
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
    progress,
)

PAYEE_COLUMNS = (
    "flow_year",
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
    "match",
    "check",
)


@app.command("import")
@friendly
def import_(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="RS-system ZIP/CSV files, old-format NDJSON (.ndjson, .ndjson.gz), sheet JSON files or folders.",
            show_default=False,
        ),
    ],
    db: DbOpt = DEFAULT_DB,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Let a file replace a year of its kind even with far fewer rows than stored.",
        ),
    ] = False,
) -> None:
    """Import published files into the SQLite store: the RS system's open data (ZIP or CSV, as
    published) and the old-format sheets of 2015–2023 (JUDGIT! NDJSON, sheet JSON, folders).

    Importing the same year and file kind again replaces it; a file with far fewer rows than the
    store holds for its year is refused unless --replace; a failure leaves the store as it was.

    Example: flowviz import ../shared/data/rs2024/*.zip
    """
    from flowviz.store.importer import import_paths

    with progress("importing", show_pos=True) as bar:
        summary = import_paths(db, paths, progress=bar.update, replace=replace)
    for line in summary.lines():
        typer.echo(line)


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
    min_depth: Annotated[
        Optional[int],
        typer.Option(
            "--min-depth", min=1, help="Only projects whose money goes this many hops or more."
        ),
    ] = None,
    format: FormatOpt = RowFormat.table,
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Search the projects of every year in the store (old-format sheets and RS projects, each
    with its key); depth is the hops from the ministry to the farthest RS block (as `info`
    counts them).

    Example: flowviz projects 価格激変緩和; flowviz projects --min-depth 5
    """
    from flowviz.render.tables import render_rows
    from flowviz.store.db import connect
    from flowviz.store.project_search import search_projects

    con = connect(db)
    try:
        rows = search_projects(con, query_text, ministry, year, min_depth)
    finally:
        con.close()
    echo(render_rows(rows, format.value))


class ChartBy(str, Enum):
    ministry = "ministry"
    project = "project"


@app.command()
@friendly
def payee(
    query_text: Annotated[str, typer.Argument(metavar="QUERY", help="法人番号 or part of a name.")],
    year: YearOpt = None,
    format: FormatOpt = RowFormat.table,
    db: DbOpt = DEFAULT_DB,
    chart: Annotated[
        Optional[Path],
        typer.Option(
            "--chart",
            help="Also write an SVG of its income over the years, on one scale.",
        ),
    ] = None,
    chart_by: Annotated[
        ChartBy,
        typer.Option(
            "--chart-by", help="One band per ministry or per project in the --chart picture."
        ),
    ] = ChartBy.ministry,
) -> None:
    """Everything published about an organisation: payments (5-1/5-3) and contracts (5-4),
    each with its own amount; contract values are not payments.

    Example: flowviz payee 8010401024011
    """
    from flowviz.render.tables import render_rows
    from flowviz.store.db import connect
    from flowviz.store.queries import organisation_lines, payee_answer, payee_footer

    con = connect(db)
    try:
        match, rows = payee_answer(con, query_text, year)
    finally:
        con.close()
    lines = "\n".join(organisation_lines(match))
    if match.chosen is None and format != RowFormat.table:
        typer.echo(lines, err=True)  # no rows: the organisations are said on stderr
    if format == RowFormat.table:
        echo(lines)
    if match.chosen is None:
        return
    echo(render_rows(rows, format.value, PAYEE_COLUMNS if format == RowFormat.table else None))
    if format == RowFormat.table:
        echo(payee_footer(rows))
    if chart:
        _income_chart(chart, rows, rows[0]["payee"] if rows else query_text, chart_by.value)


def _income_chart(path: Path, rows: list, name: str, by: str) -> None:
    from flowviz.render.output import atomic_write
    from flowviz.render.over_time import over_time_svg
    from flowviz.render.over_time_data import income_over_time

    svg = over_time_svg(income_over_time(rows, name, by=by))
    typer.echo(f"chart: {atomic_write(path, svg)}", err=True)


@app.command()
@friendly
def download(
    source: Annotated[
        str,
        typer.Argument(
            metavar="SOURCE", help="rs (the RS system's ZIPs) or judgit (old-format NDJSON.gz)."
        ),
    ],
    year: Annotated[int, typer.Argument(help="Sheet year, e.g. 2024.")],
    to: Annotated[Path, typer.Option("--to", help="Folder for the files.")] = Path("data"),
    base_url: Annotated[
        Optional[str],
        typer.Option(
            "--base-url",
            help="Where the files are served (rs: https://rssystem.go.jp; judgit: a mirror of"
            " judgit-YEAR.ndjson.gz files, required).",
        ),
    ] = None,
    max_size: Annotated[
        int, typer.Option("--max-size", min=1, help="Size cap per file, in MiB (default 2048).")
    ] = 2048,
    deadline: Annotated[
        float, typer.Option("--deadline", min=0.1, help="Seconds allowed per file (default 1800).")
    ] = 1800.0,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Ask again for complete files; say what changed.")
    ] = False,
) -> None:
    """Download a year's files as published, each whole or not at all: a body that is not a
    whole ZIP (the RS site's "not found" page) or gzip is refused, interrupted downloads resume
    only where the server proves the same bytes continue, complete files are kept, and
    NAME.sha256 beside each file records its hash.

    Example: flowviz download rs 2024 --to data/rs2024
    """
    from flowviz.sources.download import Job, Limits, download

    limits = Limits(max_bytes=max_size << 20, deadline=deadline)
    with progress(f"downloading {source} {year}") as bar:
        res = download(source, year, to, base_url, Job(limits, refresh, bar.update))
    _report_download(res)


def _report_download(res) -> None:
    """One line per file: written/kept (with what changed since the last copy), missing, failed."""
    from flowviz.sources.download import DownloadError

    for p in res.written:
        typer.echo(f"written  {p} ({res.changes[p]})")
    for p in res.skipped:
        typer.echo(f"kept     {p} ({res.changes.get(p, 'already complete')})")
    for name in res.missing:
        typer.echo(f"missing  {name} (the site answered with a page, not the file)")
    for line in res.failed:
        typer.echo(f"failed   {line}")
    if res.failed:
        raise DownloadError(
            f"{len(res.failed)} file(s) not downloaded, nothing incomplete kept as a file;"
            " run the command again to resume"
        )


@app.command("datasette-metadata")
@friendly
def datasette_metadata(
    out: Annotated[
        Optional[Path], typer.Option("--out", "-o", help="File to write (default: stdout).")
    ] = None,
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Metadata for publishing the store with Datasette: each table and view with its own
    columns, units, published headers, Japanese and English meanings, caveats, sources and
    licences, and canned queries (named for the store's file, as Datasette names it).

    Example: flowviz datasette-metadata --out metadata.json && datasette "$(flowviz store path)" -m metadata.json
    """
    from flowviz.render.output import atomic_write
    from flowviz.render.tables import to_json
    from flowviz.store.datasette import datasette_metadata as build

    text = to_json(build(db))
    if out and str(out) != "-":
        typer.echo(str(atomic_write(out, text)))
    else:
        echo(text)


class StoreWhat(str, Enum):
    path = "path"


@app.command("store")
@friendly
def store(
    what: Annotated[StoreWhat, typer.Argument(help="path: print where the store is.")],
    db: DbOpt = DEFAULT_DB,
) -> None:
    """About the store itself. ``flowviz store path`` prints the file every command reads and
    writes: --db, else $FLOWVIZ_DB, else flowviz.db in the user's data folder.

    Example: flowviz store path; datasette "$(flowviz store path)"
    """
    from flowviz.store.db import store_path

    typer.echo(str(store_path(db)))
