"""Pictures: render one input, a whole year of projects, or an aggregate view."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from flowviz.cli.common import (
    DEFAULT_DB,
    DbOpt,
    LangOpt,
    OptFilesArg,
    OutDirOpt,
    ProjectOpt,
    YearOpt,
    app,
    exclusive,
    fail,
    friendly,
    inputs,
    progress,
    relative,
)
from flowviz.exceptions import FlowvizError


def _flag(name: str, help: str) -> Any:
    return Annotated[bool, typer.Option(name, help=help)]


def _text(name: str, help: str, short: str | None = None) -> Any:
    names = (name, short) if short else (name,)
    return Annotated[Optional[str], typer.Option(*names, help=help)]


SankeyOpt = _flag("--sankey", "Draw a Sankey diagram.")
DotOpt = _flag("--dot", "Draw a Graphviz diagram.")
FlagsOpt = _flag("--flags", "Mark flagged flows (see `flowviz flags`).")
AllProjectsOpt = _flag("--all-projects", "Render every project of a year in the store.")
AllYearsOpt = _flag("--all-years", "Render every project of every year and source (resumable).")
AllMinistriesOpt = _flag("--all", "Aggregate view: government → ministries → projects → payees.")
FormatsOpt = _text(
    "--format",
    "Comma-separated: svg,png,pdf,html,plotly,plotly-shared,dot. Default: svg+html for --sankey, dot+svg for --dot.",
    "-f",
)
FocusOpt = _text("--focus", "Highlight the paths that reach this entity (id, 法人番号 or name).")
MinistryAggOpt = _text("--ministry", "Aggregate view: one ministry → projects → payees.")
WidthOpt = Annotated[
    Optional[int],
    typer.Option(
        "--width",
        min=100,
        max=16_000,
        help="Fit the Sankey to this many px with text ≥ 11 px, condensing (top N per column,"
        " その他) rather than shrinking.",
    ),
]
StyleOpt = _text("--style", "article (800 px), report (1000 px) or poster (the full picture).")
StatsOpt = _flag(
    "--stats",
    "Print each Sankey's certificate: how its order was chosen, crossings (weighted by band"
    " width) and the gap to the best possible, swing, coverage, label overlaps, smallest text.",
)
TopOpt = Annotated[
    int, typer.Option("--top", help="Aggregate views: largest N per column, the rest in その他.")
]


@app.command()
@friendly
def render(
    files: OptFilesArg = None,
    sankey: SankeyOpt = False,
    dot: DotOpt = False,
    formats: FormatsOpt = None,
    out: OutDirOpt = Path("output"),
    focus: FocusOpt = None,
    flags: FlagsOpt = False,
    project: ProjectOpt = None,
    year: YearOpt = None,
    db: DbOpt = DEFAULT_DB,
    all_projects: AllProjectsOpt = False,
    all_years: AllYearsOpt = False,
    ministry: MinistryAggOpt = None,
    all_ministries: AllMinistriesOpt = False,
    top: TopOpt = 10,
    width: WidthOpt = None,
    style: StyleOpt = None,
    lang: LangOpt = None,
    stats: StatsOpt = False,
) -> None:
    """Draw Sankey and/or DOT diagrams into the output folder (default: both).

    Modes, one at a time: input files and/or --project; --all-projects or --all-years;
    --ministry; --all.

    Example: flowviz render examples/0048.json --sankey --dot --out output
    """
    from flowviz.render.api import RenderOptions, check_formats

    batch = all_projects or all_years
    _check_modes(bool(files or project), batch, ministry, all_ministries, focus, flags)
    opts = RenderOptions(
        sankey=sankey or not dot,
        dot=dot or not sankey,
        formats=check_formats(formats.split(",")) if formats else None,
        width=picture_width(width, style),
    )
    if batch:
        if stats:
            raise FlowvizError("--stats applies to single pictures and aggregate views")
        return _render_all(out, opts, year, db, all_years)
    if ministry or all_ministries:
        return _render_aggregate(out, opts, ministry, year, db, top, stats)
    _render_each(inputs(files, project, year, db), out, opts, focus, flags, stats)


def _render_each(docs: list, out: Path, opts, focus, flags: bool, stats: bool) -> None:  # noqa: ANN001
    """Several inputs: never one name for two of them (a later input with the same project id
    has its file hashed into its names), and ``--out -`` only for one."""
    from flowviz.render.output import is_stdout

    if is_stdout(out) and len(docs) > 1:
        raise FlowvizError(
            f"--out - writes one file to standard output, and {len(docs)} inputs were given;"
            " give a folder"
        )
    failed, stems = 0, set()
    for doc in docs:
        stem = doc.project.id or Path(doc.file).stem
        key = f"{doc.file}#{stem}" if stem in stems else None
        stems.add(stem)
        try:
            _render_one(doc, out, opts, focus, flags, stats, key)
        except FlowvizError as exc:
            failed += 1
            typer.echo(f"flowviz: error: {' '.join(str(exc).split())}", err=True)
    if failed:
        raise typer.Exit(1)


def picture_width(width: int | None, style: str | None) -> int | None:
    """--width, or the width of a --style; both given must agree."""
    from flowviz.exceptions import OptionError
    from flowviz.render.fit import STYLES

    if style is not None and style not in STYLES:
        raise OptionError(f"--style {style!r}: choose one of {', '.join(STYLES)}")
    if width and style:
        raise OptionError("--width and --style cannot be used together; choose one")
    return width or (STYLES[style] if style else None)


def _check_modes(
    inputs_given: bool, batch: bool, ministry, all_ministries: bool, focus, flags: bool
) -> None:  # noqa: ANN001
    """One mode at a time, and options only where they apply."""
    exclusive(inputs=inputs_given, all_projects=batch, ministry=ministry, all=all_ministries)
    if (batch or ministry or all_ministries) and (focus or flags):
        raise FlowvizError(
            "--focus and --flags apply to single projects, not to batch or aggregate views"
        )
    if not (inputs_given or batch or ministry or all_ministries):
        raise FlowvizError(
            "give an input file, --project ID, --ministry, --all, --all-projects or --all-years"
        )


def _print_stats(doc, out: Path, opts) -> None:  # noqa: ANN001
    """The certificate of the Sankey just drawn (on stderr when the picture went to stdout)."""
    from flowviz.render.api import fit_for_picture, sankey_figure
    from flowviz.render.measures import measure, stats_lines
    from flowviz.render.output import is_stdout

    if not opts.sankey:
        return
    q = measure(sankey_figure(fit_for_picture(doc, opts), opts))
    err = is_stdout(out)
    typer.echo(f"{doc.project.id or doc.file}: Sankey certificate", err=err)
    for line in stats_lines(q):
        typer.echo(f"  {line}", err=err)


def _render_one(
    doc,
    out: Path,
    opts,
    focus: str | None,
    flags: bool,
    stats: bool,
    key: str | None = None,  # noqa: ANN001
) -> None:
    from dataclasses import replace

    from flowviz.render.api import render_document

    if focus or flags:  # the analysis package only when asked for (start-up of a plain render)
        from flowviz.analysis import flags_by_flow, focus_set

        opts = replace(
            opts,
            highlight=focus_set(doc, focus) if focus else None,
            flags=flags_by_flow(doc) if flags else None,
        )
    for path in render_document(doc, out, opts, key):
        typer.echo(relative(path))
    if stats:
        _print_stats(doc, out, opts)


def _render_aggregate(
    out: Path, opts, ministry: str | None, year: int | None, db: Path, top: int, stats: bool
) -> None:  # noqa: ANN001
    from flowviz.analysis.aggregate import aggregate_document
    from flowviz.render.api import render_document
    from flowviz.store.db import connect, latest_year

    con = connect(db)
    try:
        doc = aggregate_document(con, year or latest_year(con), ministry, top)
    finally:
        con.close()
    for path in render_document(doc, out, opts):
        typer.echo(relative(path))
    if stats:
        _print_stats(doc, out, opts)


def _render_all(out: Path, opts, year: int | None, db: Path, every_year: bool) -> None:  # noqa: ANN001
    from flowviz.render.batch import project_keys, render_all
    from flowviz.store.db import connect, latest_year

    if not every_year and year is None:
        con = connect(db)
        year = latest_year(con)
        con.close()
    keys = project_keys(db, None if every_year else year)
    label = f"rendering {len(keys)} projects of {'every year' if every_year else year}"
    with progress(label, len(keys)) as bar:
        res = render_all(
            db,
            year,
            out,
            sankey=opts.sankey,
            dot=opts.dot,
            formats=opts.formats or ("svg",),
            progress=bar.update,
            keys=keys,
        )
    drawn = res.projects - len(res.failures) - len(res.too_large)
    typer.echo(
        f"rendered {drawn} of {len(keys)} projects ({res.files} files) into {out} in"
        f" {res.seconds:.1f}s; {res.skipped} up to date, {len(res.failures)} failed"
    )
    if res.too_large:
        typer.echo(
            f"  {len(res.too_large)} too large for one picture (over 400 organisations), not drawn:"
            f" {', '.join(res.too_large[:5])}{' …' if len(res.too_large) > 5 else ''};"
            " draw them one by one with --project KEY --focus ENTITY",
            err=True,
        )
    for pid, why in res.failures:
        typer.echo(f"  failed: project {pid}: {' '.join(why.split())}", err=True)
    if res.failures:
        fail(f"{len(res.failures)} projects failed")
