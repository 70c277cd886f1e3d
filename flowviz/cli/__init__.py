"""The ``flowviz`` command line: parse arguments, call the library, print results.

Every command is a thin wrapper: the work lives in the library modules. Errors
of the :class:`~flowviz.exceptions.FlowvizError` family become one line on
stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from flowviz.exceptions import FlowvizError

app = typer.Typer(
    name="flowviz",
    help="See where public money goes: read review sheets, trace funds, draw Sankey and DOT diagrams.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class RowFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def _fail(message: str) -> None:
    typer.echo(f"flowviz: error: {' '.join(str(message).split())}", err=True)
    raise typer.Exit(1)


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn flowviz errors into one line and exit 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except FlowvizError as exc:
            _fail(str(exc))
        except RecursionError:  # pragma: no cover - defensive
            _fail("input too deeply nested")
        except KeyboardInterrupt:  # pragma: no cover
            _fail("interrupted")

    return wrapper


def _echo(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


FilesArg = Annotated[
    list[Path], typer.Argument(help="Input JSON files (format v1).", show_default=False)
]
FileArg = Annotated[Path, typer.Argument(help="Input JSON file (format v1).", show_default=False)]
OptFilesArg = Annotated[
    Optional[list[Path]],
    typer.Argument(help="Input JSON files (format v1); or use --project.", show_default=False),
]
ProjectOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--project", "-p", help="RS-system project id (予算事業ID) from the store; repeatable."
    ),
]
YearOpt = Annotated[
    Optional[int],
    typer.Option("--year", help="Fiscal year of the sheets (default: latest in the store)."),
]
DbOpt = Annotated[Path, typer.Option("--db", help="The store made by `flowviz import`.")]
DEFAULT_DB = Path("flowviz.db")
FormatOpt = Annotated[RowFormat, typer.Option("--format", "-f", help="table, csv or json.")]


@app.command()
@friendly
def validate(files: FilesArg) -> None:
    """Check input files: exit 0 when all are valid, 1 with one line per problem otherwise.

    Example: flowviz validate examples/0048.json
    """
    from flowviz.checks import validate_file

    bad = False
    for f in files:
        problems = validate_file(f)
        errors = [p for p in problems if p.severity == "error"]
        for p in problems:
            typer.echo(str(p), err=p.severity == "error")
        if errors:
            bad = True
        else:
            n = len(problems)
            typer.echo(f"{f}: valid" + (f" ({n} warning{'s' if n != 1 else ''})" if n else ""))
    if bad:
        raise typer.Exit(1)


@app.command()
@friendly
def info(
    file: Annotated[
        Optional[Path],
        typer.Argument(help="Input JSON file; or use --project.", show_default=False),
    ] = None,
    format: FormatOpt = RowFormat.table,
    project: ProjectOpt = None,
    year: YearOpt = None,
    db: DbOpt = DEFAULT_DB,
) -> None:
    """A short summary: project, total, entities, flows, depth of the chain.

    Example: flowviz info examples/0048.json
    """
    from flowviz.analysis.records import summary
    from flowviz.money import format_in_unit, format_yen, format_yen_ja
    from flowviz.render.tables import to_json

    doc = _one([file] if file else None, project, year, db)
    s = summary(doc)
    if format == RowFormat.json:
        _echo(to_json(s))
        return
    t = s["total_from_sources_yen"]
    lines = [
        f"project:   {s['number'] or s['project_id']} {s['name']}",
        f"ministry:  {s['ministry']}",
        f"year:      sheet {s['sheet_year']}, flows {s['flow_year']}",
        f"total:     {format_yen(t)} ({format_yen_ja(t)}; {format_in_unit(t, doc.unit)} as published)"
        f" from {', '.join(s['sources'])}",
        f"entities:  {s['entities']}",
        f"flows:     {s['flows']}",
        f"depth:     {s['chain_depth']} hop{'s' if s['chain_depth'] != 1 else ''}",
    ]
    if s["partial"]:
        lines.append(f"partial:   amounts are partial: {s['partial_reason']}")
    for w in s["warnings"]:
        lines.append(f"warning:   {w}")
    _echo("\n".join(lines))


@app.command()
@friendly
def flows(
    file: Annotated[
        Optional[Path],
        typer.Argument(help="Input JSON file; or use --project.", show_default=False),
    ] = None,
    format: FormatOpt = RowFormat.table,
    project: ProjectOpt = None,
    year: YearOpt = None,
    db: DbOpt = DEFAULT_DB,
    all_columns: Annotated[bool, typer.Option("--all", help="Table: show every column.")] = False,
) -> None:
    """One row per flow with amounts in yen, 費目, 使途, contract and 法人番号.

    Example: flowviz flows examples/0048.json --format csv
    """
    from flowviz.analysis.records import FLOW_COLUMNS, flow_records
    from flowviz.render.tables import render_rows

    rows = flow_records(_one([file] if file else None, project, year, db))
    cols = FLOW_COLUMNS
    if format == RowFormat.table and not all_columns:
        cols = (
            "source",
            "target",
            "amount_yen",
            "year",
            "link_type",
            "expense_item",
            "contract_method",
        )
    _echo(render_rows(rows, format.value, cols))


@app.command()
@friendly
def render(
    files: OptFilesArg = None,
    sankey: Annotated[bool, typer.Option("--sankey", help="Draw a Sankey diagram.")] = False,
    dot: Annotated[bool, typer.Option("--dot", help="Draw a Graphviz diagram.")] = False,
    formats: Annotated[
        Optional[str],
        typer.Option(
            "--format",
            "-f",
            help="Comma-separated: svg,png,pdf,html,dot."
            " Default: svg+html for --sankey, dot+svg for --dot.",
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("output"),
    focus: Annotated[
        Optional[str],
        typer.Option(
            "--focus", help="Highlight the paths that reach this entity (id, 法人番号 or name)."
        ),
    ] = None,
    flags: Annotated[
        bool, typer.Option("--flags", help="Mark flagged flows (see `flowviz flags`).")
    ] = False,
    project: ProjectOpt = None,
    year: YearOpt = None,
    db: DbOpt = DEFAULT_DB,
    all_projects: Annotated[
        bool, typer.Option("--all-projects", help="Render every project of a year in the store.")
    ] = False,
    ministry: Annotated[
        Optional[str],
        typer.Option("--ministry", help="Aggregate view: one ministry → projects → payees."),
    ] = None,
    all_ministries: Annotated[
        bool,
        typer.Option("--all", help="Aggregate view: government → ministries → projects → payees."),
    ] = False,
    top: Annotated[
        int,
        typer.Option("--top", help="Aggregate views: largest N per column, the rest in その他."),
    ] = 10,
) -> None:
    """Draw Sankey and/or DOT diagrams into the output folder (default: both).

    Example: flowviz render examples/0048.json --sankey --dot --out output
    """
    from flowviz.render.api import RenderOptions, check_formats, render_document
    from flowviz.sources import read

    fmts = check_formats(formats.split(",")) if formats else None
    if not sankey and not dot:
        sankey = dot = True
    if all_projects:
        _render_all(out, sankey, dot, fmts, year, db)
        return
    if ministry or all_ministries:
        from flowviz.analysis.aggregate import aggregate_document
        from flowviz.store.db import connect, latest_year

        con = connect(db)
        try:
            doc = aggregate_document(con, year or latest_year(con), ministry, top)
        finally:
            con.close()
        for path in render_document(doc, out, RenderOptions(sankey=sankey, dot=dot, formats=fmts)):
            typer.echo(_relative(path))
        return
    sources: list = list(files or [])
    if project:
        sources += _inputs(None, project, year, db)
    if not sources:
        raise FlowvizError("give an input file, --project ID, --ministry, --all or --all-projects")
    failed = 0
    for f in sources:
        try:
            doc = read(f) if isinstance(f, Path) else f
            opts = RenderOptions(sankey=sankey, dot=dot, formats=fmts)
            if focus:
                from flowviz.analysis import focus_set

                opts.highlight = focus_set(doc, focus)
            if flags:
                from flowviz.analysis import flags_by_flow

                opts.flags = flags_by_flow(doc)
            for path in render_document(doc, out, opts):
                typer.echo(_relative(path))
        except FlowvizError as exc:
            failed += 1
            typer.echo(f"flowviz: error: {' '.join(str(exc).split())}", err=True)
    if failed:
        raise typer.Exit(1)


def _inputs(
    files: list[Path] | None, projects: list[str] | None, year: int | None, db: Path
) -> list:
    """Documents from JSON files and/or store projects, in the order given."""
    from flowviz.sources import read

    out = [read(f) for f in files or []]
    if projects:
        from flowviz.store.db import connect, project_year
        from flowviz.store.rs_document import document_from_store

        con = connect(db)
        try:
            out += [
                document_from_store(con, year or project_year(con, pid), pid) for pid in projects
            ]
        finally:
            con.close()
    if not out:
        raise FlowvizError("give an input file, or --project ID to read a project from the store")
    return out


def _one(files: list[Path] | None, projects: list[str] | None, year: int | None, db: Path):
    docs = _inputs(files, projects, year, db)
    if len(docs) != 1:
        raise FlowvizError(f"this command takes one input, got {len(docs)}")
    return docs[0]


def _docs(
    files: list[Path] | None,
    projects: list[str] | None = None,
    year: int | None = None,
    db: Path = DEFAULT_DB,
) -> list:
    """Read inputs; the same project given twice is read once (its money would count twice)."""
    docs, seen = [], {}
    for doc in _inputs(files, projects, year, db):
        f = doc.file
        if doc.project.id in seen:
            typer.echo(
                f"flowviz: warning: {f}: project {doc.project.id!r} already read from"
                f" {seen[doc.project.id]}; skipped so its money is not counted twice",
                err=True,
            )
            continue
        seen[doc.project.id] = f
        docs.append(doc)
    return docs


@app.command()
@friendly
def trace(
    file: Annotated[
        Optional[Path],
        typer.Argument(help="Input JSON file; or use --project.", show_default=False),
    ] = None,
    source: Annotated[
        Optional[str], typer.Option("--from", help="Start here instead of the funding source(s).")
    ] = None,
    target: Annotated[
        Optional[str],
        typer.Option("--to", help="Only paths that reach this entity (id, 法人番号 or name)."),
    ] = None,
    format: FormatOpt = RowFormat.table,
    project: ProjectOpt = None,
    year: YearOpt = None,
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Every path of the money, hop by hop: amount, share, link type and contract.

    Example: flowviz trace examples/0048.json --to ネットワンシステムズ
    """
    from flowviz.analysis import trace as trace_paths
    from flowviz.analysis import trace_records
    from flowviz.render.tables import format_table, render_rows

    doc = _one([file] if file else None, project, year, db)
    paths = trace_paths(doc, source, target)
    rows = trace_records(paths, doc)
    if format != RowFormat.table:
        _echo(render_rows(rows, format.value))
        return
    if not paths:
        _echo("no path found")
        return
    cols = (
        "hop",
        "from",
        "to",
        "amount_yen",
        "as_published",
        "share_of_first_hop_pct",
        "link_type",
        "contract_method",
    )
    for i, p in enumerate(paths, 1):
        _echo(f"path {i}: {' → '.join(p.names)}")
        _echo(format_table([r for r in rows if r["path"] == i], cols))
        _echo("")


@app.command()
@friendly
def payees(
    files: OptFilesArg = None,
    format: FormatOpt = RowFormat.table,
    project: ProjectOpt = None,
    year: YearOpt = None,
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Who received the money: totals per organisation (direct, indirect, passed on, kept).

    Merges the same organisation across files by 法人番号, else by normalised name.

    Example: flowviz payees examples/0048.json
    """
    from flowviz.analysis import payees as payee_rows
    from flowviz.analysis import source_total
    from flowviz.money import format_yen
    from flowviz.render.tables import render_rows

    docs = _docs(files, project, year, db)
    rows = payee_rows(docs)
    cols = (
        "name",
        "corporate_number",
        "role",
        "received_yen",
        "received_direct_yen",
        "received_indirect_yen",
        "passed_on_yen",
        "kept_yen",
        "kept_pct",
        "projects",
    )
    _echo(render_rows(rows, format.value, cols if format == RowFormat.table else None))
    if format == RowFormat.table:
        kept = sum(r["kept_yen"] for r in rows)
        _echo(
            f"total kept {format_yen(kept)} = total paid by funding sources {format_yen(source_total(docs))}"
        )
        if any(r["partial"] for r in rows):
            _echo(
                "note: some amounts are partial (RS data without 5-1): kept = received minus the"
                " payments that are listed, not necessarily what was kept"
            )


@app.command()
@friendly
def flags(
    files: OptFilesArg = None,
    format: FormatOpt = RowFormat.table,
    award_rate: Annotated[
        float, typer.Option(help="Flag award rates at or above this % (FV003).")
    ] = 95.0,
    pass_through: Annotated[
        float, typer.Option(help="Flag intermediaries passing on at least this % (FV005).")
    ] = 90.0,
    chain_depth: Annotated[
        int, typer.Option(help="Flag re-delegation this deep or deeper (FV004).")
    ] = 2,
    project: ProjectOpt = None,
    year: YearOpt = None,
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Red flags with the figures that triggered them. Findings are not errors: exit 0.

    Rules: FV001 non-competitive award, FV002 one bidder, FV003 high award rate,
    FV004 deep re-delegation, FV005 pass-through, FV006 no named final recipient,
    FV007 missing/invalid 法人番号, FV008 outflow exceeds inflow, FV009 未執行 lines
    counted in a total.

    Example: flowviz flags examples/0048.json --format json
    """
    from decimal import Decimal

    from flowviz.analysis import Thresholds
    from flowviz.analysis import flags as find_flags
    from flowviz.render.tables import render_rows

    th = Thresholds(Decimal(str(award_rate)), Decimal(str(pass_through)), chain_depth)
    rows = [f for doc in _docs(files, project, year, db) for f in find_flags(doc, th)]
    if format == RowFormat.table:
        from flowviz.render.tables import format_table

        _echo(format_table(rows, ("rule_id", "entity", "message"), max_width=160))
    else:
        _echo(render_rows(rows, format.value))


def _render_all(out: Path, sankey: bool, dot: bool, fmts, year: int | None, db: Path) -> None:
    from flowviz.render.batch import render_all
    from flowviz.store.db import connect, find_projects, latest_year

    con = connect(db)
    y = year or latest_year(con)
    total = len(find_projects(con, None, None, y))
    con.close()
    with typer.progressbar(
        length=total, label=f"rendering {total} projects of {y}", file=sys.stderr
    ) as bar:
        res = render_all(
            db, y, out, sankey=sankey, dot=dot, formats=fmts or ("svg",), progress=bar.update
        )
    typer.echo(
        f"rendered {res.projects - len(res.failures)} of {res.projects} projects ({res.files} files)"
        f" into {out} in {res.seconds:.1f}s; {len(res.failures)} failed"
    )
    for pid, why in res.failures:
        typer.echo(f"  failed: project {pid}: {' '.join(why.split())}", err=True)
    if res.failures:
        raise typer.Exit(1)


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
    from flowviz.store.db import connect, find_projects

    con = connect(db)
    try:
        rows = find_projects(con, query_text, ministry, year)
    finally:
        con.close()
    _echo(render_rows(rows, format.value))


@app.command()
@friendly
def payee(
    query_text: Annotated[str, typer.Argument(metavar="QUERY", help="法人番号 or part of a name.")],
    year: YearOpt = None,
    format: FormatOpt = RowFormat.table,
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Every project and block that pays an organisation, with amounts and contract methods.

    Example: flowviz payee 8010401024011
    """
    from flowviz.money import format_yen
    from flowviz.render.tables import render_rows
    from flowviz.store.db import connect, payee_rows

    con = connect(db)
    try:
        rows = payee_rows(con, query_text, year)
    finally:
        con.close()
    cols = (
        "year",
        "project_id",
        "project",
        "ministry",
        "block",
        "payee",
        "corporate_number",
        "amount_yen",
        "source",
        "contract_methods",
    )
    _echo(render_rows(rows, format.value, cols if format == RowFormat.table else None))
    if format == RowFormat.table:
        _echo(f"{len(rows)} payments, total {format_yen(sum(r['amount_yen'] or 0 for r in rows))}")


class ExportFormat(str, Enum):
    v1 = "v1"
    ftm = "ftm"
    graphml = "graphml"
    gexf = "gexf"
    csv = "csv"
    json = "json"


OptFileArg = Annotated[
    Optional[Path], typer.Argument(help="Input JSON file; or use --project.", show_default=False)
]


@app.command()
@friendly
def export(
    file: OptFileArg = None,
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="v1 (flowviz input JSON), ftm (FollowTheMoney for Aleph), graphml/gexf (Gephi),"
            " csv (nodes and edges files), json (nodes and edges tables).",
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
    """Export a project: v1 JSON, FollowTheMoney, GraphML, GEXF, or node/edge tables.

    Example: flowviz export --project 7259 --out 7259.json
    """
    from flowviz.render.exports import export_texts
    from flowviz.render.output import atomic_write, output_path

    doc = _one([file] if file else None, project, year, db)
    texts = export_texts(doc, format.value)
    if format == ExportFormat.csv:
        folder = out or Path("output")
        for suffix, text in texts.items():
            typer.echo(_relative(atomic_write(output_path(folder, doc.project.id, suffix), text)))
        return
    (text,) = texts.values()
    if out:
        atomic_write(out, text)
        typer.echo(str(out))
    else:
        _echo(text)


@app.command()
@friendly
def report(
    file: OptFileArg = None,
    project: ProjectOpt = None,
    year: YearOpt = None,
    db: DbOpt = DEFAULT_DB,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("output"),
) -> None:
    """One self-contained HTML report: metadata, Sankey, DOT, flows, payees, flags, budget.

    Example: flowviz report examples/0048.json
    """
    from flowviz.render.output import atomic_write, output_path
    from flowviz.render.report import report_html

    doc = _one([file] if file else None, project, year, db)
    typer.echo(
        _relative(atomic_write(output_path(out, doc.project.id, ".report.html"), report_html(doc)))
    )


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the input format v1.

    Example: flowviz schema > flowviz-v1.schema.json
    """
    from flowviz.sources.schema import schema_text

    _echo(schema_text())


def main() -> None:  # pragma: no cover - entry point
    app()
