"""Files for other tools and readers: export, report."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from flowviz.cli.common import (
    DEFAULT_DB,
    DbOpt,
    LangOpt,
    LinksOpt,
    OptFileArg,
    OutDirOpt,
    ProjectOpt,
    YearOpt,
    app,
    echo,
    friendly,
    one,
    wrote,
)


class ExportFormat(str, Enum):
    v1 = "v1"
    ftm = "ftm"
    graphml = "graphml"
    gexf = "gexf"
    csv = "csv"
    json = "json"
    ocds = "ocds"


@app.command()
@friendly
def export(
    file: OptFileArg = None,
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="v1 (flowviz input JSON), ftm (FollowTheMoney for Aleph), graphml/gexf (Gephi), csv (nodes, edges and contracts files), json (the same tables), ocds (an OCDS 1.1 release package of the contracts of --project, --ministry or the --year).",
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
    ministry: Annotated[
        Optional[str],
        typer.Option("--ministry", "-m", help="With --format ocds: every contract of a ministry."),
    ] = None,
    ocid_prefix: Annotated[
        Optional[str],
        typer.Option(
            "--ocid-prefix",
            envvar="FLOWVIZ_OCID_PREFIX",
            help="With --format ocds: your registered ocid prefix (default: unofficial-flowviz, marked unofficial).",
        ),
    ] = None,
) -> None:
    """Export a project: v1 JSON, FollowTheMoney, GraphML, GEXF, node/edge/contract tables; or
    contracts as OCDS.

    Example: flowviz export --project 7259 --out 7259.json; flowviz export -f ocds -m 防衛省
    """
    from flowviz.render.exports import export_texts
    from flowviz.render.output import atomic_write, output_path

    if format == ExportFormat.ocds or ministry:
        return _export_ocds(format, file, project, ministry, year, db, ocid_prefix, out)
    doc = one(file, project, year, db)
    texts = export_texts(doc, format.value)
    if format == ExportFormat.csv:
        for suffix, text in texts.items():
            wrote(atomic_write(output_path(out or Path("output"), doc.project.id, suffix), text))
        return
    (text,) = texts.values()
    if out and str(out) != "-":
        wrote(atomic_write(out, text))
    elif isinstance(text, str):
        echo(text)
    else:  # GraphML/GEXF, written as built
        atomic_write("-", text)


def _export_ocds(
    format: ExportFormat,
    file: Path | None,
    project: list[str] | None,
    ministry: str | None,
    year: int | None,
    db: Path | None,
    prefix: str | None,
    out: Path | None,
) -> None:
    from flowviz.exceptions import OptionError
    from flowviz.render.ocds import ocds_export
    from flowviz.render.output import atomic_write

    if format != ExportFormat.ocds or file:
        raise OptionError(
            "--format ocds reads the store (--project, --ministry or --year), and --ministry"
            " goes with --format ocds only"
        )
    text, note = ocds_export(db, year, project, ministry, prefix)
    if out and str(out) != "-":
        wrote(atomic_write(out, text))
        echo(note)
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
    history: Annotated[
        Optional[str],
        typer.Option(
            "--history",
            help="A project's history page instead: a sheet number (with --ministry, --year), uid:事業ID, an RS id or a name.",
        ),
    ] = None,
    ministry: Annotated[
        Optional[str],
        typer.Option(
            "--ministry", help="With --history: the sheet's ministry; with --findings: its page."
        ),
    ] = None,
    findings: Annotated[
        bool,
        typer.Option("--findings", help="The findings page: units ranked by every indicator."),
    ] = False,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also print it to an A4 PDF (headless Chromium).")
    ] = False,
    lang: LangOpt = None,
    links: LinksOpt = None,
) -> None:
    """One self-contained HTML report: metadata, Sankey, DOT, flows, payees, contracts, flags,
    budget; with --history, a project's years on one page (Sankeys to one scale); with
    --findings, a ministry's (or the government's) units judged against the population.

    Example: flowviz report examples/0048.json; flowviz report --findings --ministry 経済産業省
    """
    from flowviz.cli.common import exclusive
    from flowviz.render.output import atomic_write, html_to_pdf, output_path

    exclusive(history=history, findings=findings, file=file, project=project)
    if findings:
        from flowviz.cli.findings import findings_page

        stem, page = findings_page(ministry, year, db)
    elif history:
        stem, page = _history_page(history, ministry, year, db, links)
    else:
        from flowviz.render.report import report_html

        doc = one(file, project, year, db)
        stem, page = doc.project.id, report_html(doc)
    suffix = ".findings.html" if findings else ".history.html" if history else ".report.html"
    pdf_bytes = html_to_pdf(page) if pdf else None  # printed first: nothing written on failure
    wrote(atomic_write(output_path(out, stem, suffix), page))
    if pdf_bytes:
        wrote(atomic_write(output_path(out, stem, suffix.replace(".html", ".pdf")), pdf_bytes))


def _history_page(
    text: str, ministry: str | None, year: int | None, db: Path, links: Path | None = None
) -> tuple[str, str]:
    from flowviz.analysis.history import load_history, member_documents
    from flowviz.render.history_report import history_html
    from flowviz.store.db import connect

    con = connect(db)
    try:
        h = load_history(con, text, ministry, year, links)
        docs = member_documents(con, h.members)
    finally:
        con.close()
    first = h.members[0]
    return f"history-{first.ministry}-{first.number}", history_html(h, docs)
