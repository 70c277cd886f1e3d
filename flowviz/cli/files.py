"""Commands on one input: validate, info, flows, schema."""

from __future__ import annotations

from typing import Annotated

import typer

from flowviz.cli.common import (
    DEFAULT_DB,
    DbOpt,
    FilesArg,
    FormatOpt,
    LangOpt,
    OptFileArg,
    ProjectOpt,
    RowFormat,
    YearOpt,
    app,
    echo,
    friendly,
    one,
)


@app.command()
@friendly
def validate(files: FilesArg) -> None:
    """Check input files: exit 0 when all are valid, 1 with one line per problem otherwise.

    Example: flowviz validate examples/0048.json
    """
    from flowviz.sources.flow_json import validate_file
    from flowviz.text import terminal_safe

    bad = False
    for f in files:
        problems = validate_file(f)
        for p in problems:
            typer.echo(terminal_safe(str(p)), err=p.severity == "error")
        if any(p.severity == "error" for p in problems):
            bad = True
        else:
            n = len(problems)
            typer.echo(f"{f}: valid" + (f" ({n} warning{'s' if n != 1 else ''})" if n else ""))
    if bad:
        raise typer.Exit(1)


@app.command()
@friendly
def info(
    file: OptFileArg = None,
    format: FormatOpt = RowFormat.table,
    project: ProjectOpt = None,
    year: YearOpt = None,
    db: DbOpt = DEFAULT_DB,
) -> None:
    """A short summary: project, total, entities, flows, contracts, depth of the chain.

    Example: flowviz info examples/0048.json
    """
    from flowviz.analysis.records import info_lines, summary
    from flowviz.render.tables import render_rows, to_json

    s = summary(one(file, project, year, db))
    if format == RowFormat.json:
        echo(to_json(s))
    elif format in (RowFormat.csv, RowFormat.excel):
        echo(render_rows([{k: v for k, v in s.items() if k != "warnings"}], format.value))
    else:
        echo("\n".join(info_lines(s)))


@app.command()
@friendly
def flows(
    file: OptFileArg = None,
    format: FormatOpt = RowFormat.table,
    project: ProjectOpt = None,
    year: YearOpt = None,
    db: DbOpt = DEFAULT_DB,
    all_columns: Annotated[bool, typer.Option("--all", help="Table: show every column.")] = False,
    lang: LangOpt = None,
) -> None:
    """One row per flow with amounts in yen, 費目, 使途, contract and 法人番号.

    Example: flowviz flows examples/0048.json --format csv
    """
    from flowviz.analysis.records import FLOW_COLUMNS, SHORT_FLOW_COLUMNS, flow_records
    from flowviz.i18n import localise_rows
    from flowviz.render.tables import render_rows

    doc = one(file, project, year, db)
    rows = localise_rows(flow_records(doc), [doc])
    short = format == RowFormat.table and not all_columns
    echo(render_rows(rows, format.value, SHORT_FLOW_COLUMNS if short else FLOW_COLUMNS))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the input format v1.

    Example: flowviz schema > flowviz-v1.schema.json
    """
    from flowviz.sources.schema import schema_text

    echo(schema_text())
