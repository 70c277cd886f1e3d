"""Pictures: render one input, a whole year of projects, or an aggregate view."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from flowviz.cli.common import (
    DEFAULT_DB,
    DbOpt,
    OptFilesArg,
    OutDirOpt,
    ProjectOpt,
    YearOpt,
    app,
    exclusive,
    fail,
    friendly,
    inputs,
    relative,
)
from flowviz.exceptions import FlowvizError


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
            help="Comma-separated: svg,png,pdf,html,dot. Default: svg+html for --sankey, dot+svg for --dot.",
        ),
    ] = None,
    out: OutDirOpt = Path("output"),
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

    Modes, one at a time: input files and/or --project; --all-projects; --ministry; --all.

    Example: flowviz render examples/0048.json --sankey --dot --out output
    """
    from flowviz.render.api import RenderOptions, check_formats

    inputs_given = bool(files or project)
    exclusive(inputs=inputs_given, all_projects=all_projects, ministry=ministry, all=all_ministries)
    if (all_projects or ministry or all_ministries) and (focus or flags):
        raise FlowvizError(
            "--focus and --flags apply to single projects, not to batch or aggregate views"
        )
    opts = RenderOptions(
        sankey=sankey or not dot,
        dot=dot or not sankey,
        formats=check_formats(formats.split(",")) if formats else None,
    )
    if all_projects:
        return _render_all(out, opts, year, db)
    if ministry or all_ministries:
        return _render_aggregate(out, opts, ministry, year, db, top)
    if not inputs_given:
        raise FlowvizError("give an input file, --project ID, --ministry, --all or --all-projects")
    failed = 0
    for doc in inputs(files, project, year, db):
        try:
            _render_one(doc, out, opts, focus, flags)
        except FlowvizError as exc:
            failed += 1
            typer.echo(f"flowviz: error: {' '.join(str(exc).split())}", err=True)
    if failed:
        raise typer.Exit(1)


def _render_one(doc, out: Path, opts, focus: str | None, flags: bool) -> None:  # noqa: ANN001
    from dataclasses import replace

    from flowviz.analysis import flags_by_flow, focus_set
    from flowviz.render.api import render_document

    opts = replace(
        opts,
        highlight=focus_set(doc, focus) if focus else None,
        flags=flags_by_flow(doc) if flags else None,
    )
    for path in render_document(doc, out, opts):
        typer.echo(relative(path))


def _render_aggregate(
    out: Path, opts, ministry: str | None, year: int | None, db: Path, top: int
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


def _render_all(out: Path, opts, year: int | None, db: Path) -> None:  # noqa: ANN001
    from flowviz.render.batch import render_all
    from flowviz.store.db import connect, latest_year
    from flowviz.store.queries import find_projects

    con = connect(db)
    y = year or latest_year(con)
    total = len(find_projects(con, None, None, y))
    con.close()
    with typer.progressbar(
        length=total, label=f"rendering {total} projects of {y}", file=sys.stderr
    ) as bar:
        res = render_all(
            db,
            y,
            out,
            sankey=opts.sankey,
            dot=opts.dot,
            formats=opts.formats or ("svg",),
            progress=bar.update,
        )
    typer.echo(
        f"rendered {res.projects - len(res.failures)} of {res.projects} projects"
        f" ({res.files} files) into {out} in {res.seconds:.1f}s; {len(res.failures)} failed"
    )
    for pid, why in res.failures:
        typer.echo(f"  failed: project {pid}: {' '.join(why.split())}", err=True)
    if res.failures:
        fail(f"{len(res.failures)} projects failed")
