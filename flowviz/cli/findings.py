"""Findings judged against the population, and evidence packs: indicators, flags --evidence."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from flowviz.cli.common import (
    DEFAULT_DB,
    DbOpt,
    EvidenceOpt,
    FormatOpt,
    RowFormat,
    YearOpt,
    app,
    echo,
    friendly,
)

INDICATOR_COLUMNS = (
    "indicator",
    "unit",
    "value",
    "sample",
    "expected",
    "fence",
    "population",
    "condition",
    "method",
    "flagged",
)
#: every figure that says why (csv/json)
FIGURES = ("hits", "lower", "upper", "q1", "median", "q3", "risk")
DEPTHS = "SELECT project_id, depth FROM project_depths WHERE year = ?"
ConfigOpt = Annotated[
    Optional[Path],
    typer.Option("--config", help="Indicator settings (TOML: fence_k, min_sample, grades …)."),
]


@app.command()
@friendly
def indicators(
    unit: Annotated[
        str,
        typer.Option("--unit", help="ministry, bureau, division, supplier, project or budget."),
    ] = "ministry",
    indicator: Annotated[
        Optional[list[str]], typer.Option("--indicator", "-i", help="Only this one; repeatable.")
    ] = None,
    flagged: Annotated[
        bool, typer.Option("--flagged", help="Only units beyond their limit.")
    ] = False,
    config: ConfigOpt = None,
    evidence: EvidenceOpt = None,
    year: YearOpt = None,
    format: FormatOpt = RowFormat.table,
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Indicators per unit judged against the year's population by the method that fits each:
    shares and means against funnel-plot limits for the unit's sample size, budget figures
    within their class; ``fence`` is the limit on the risk side. Methods: docs/methods.md.

    Example: flowviz indicators --unit bureau --flagged
    """
    from flowviz.analysis.indicators import load_settings
    from flowviz.render.tables import render_rows

    rows, year = population_findings(unit, load_settings(config), year, db)
    rows = [r for r in rows if (not indicator or r["indicator"] in indicator)]
    rows = [r for r in rows if r["flagged"] or not flagged]
    if evidence:
        write_pack(evidence, [as_finding(r, year, unit) for r in rows if r["flagged"]], db, year)
    cols = INDICATOR_COLUMNS if format == RowFormat.table else (*INDICATOR_COLUMNS, *FIGURES)
    echo(render_rows(rows, format.value, cols))
    if format == RowFormat.table:
        n = sum(r["flagged"] for r in rows)
        echo(f"sheets of {year}; {n} units beyond their limit; methods: docs/methods.md")


def population_findings(unit: str, settings: Any, year: int | None, db: Path | None):
    from flowviz.analysis.budget_indicators import budget_indicators
    from flowviz.analysis.indicators import contract_indicators, listed_indicators
    from flowviz.store.db import connect, query
    from flowviz.store.populations import budget_population, contract_population
    from flowviz.store.questions import choose_year, listed_payments

    con = connect(db)
    try:
        year = choose_year(con, year)
        if unit == "budget":
            return budget_indicators(
                budget_population(con, year), settings.fence_k, settings.tail
            ), year
        rows = contract_indicators(contract_population(con, year), unit, settings)
        depths = {r["project_id"]: r["depth"] for r in query(con, DEPTHS, [year])}
        return rows + listed_indicators(listed_payments(con, year), depths, unit, settings), year
    finally:
        con.close()


def as_finding(r: dict[str, Any], year: int, unit: str) -> dict[str, Any]:
    """An indicator row as a finding of the evidence pack."""
    from flowviz.analysis.why import why

    keys = ("value", "sample", "expected", "fence", "population", "method", *FIGURES)
    return {
        "indicator": r["indicator"],
        "project_id": r["unit"] if r["unit_kind"] == "project" else "",
        "entity": r["unit"],
        "message": f"{r['unit']}: {r['indicator']}: {why(r)}",
        "figures": {k: r.get(k) for k in keys} | {"condition": r["condition"]},
        "sources": r["evidence"],
        "reproduce": f"flowviz indicators --unit {unit} --year {year} -i {r['indicator']} --flagged",
    }


def write_pack(
    folder: Path, findings: list[dict[str, Any]], db: Path | None, year: int | None
) -> None:
    """Look up the published rows of every finding, then write the pack (all built first)."""
    from flowviz.render.evidence import evidence_pack, is_pack
    from flowviz.render.fresh_folder import replace_folder
    from flowviz.store.db import connect
    from flowviz.store.evidence import rows_by_source, source_rows

    stored = any("sources" in f or f.get("doc_file", "").startswith("store:") for f in findings)
    con = connect(db) if stored else None
    try:
        for f in findings:
            if "sources" in f:
                f["rows"] = rows_by_source(con, year or 0, f.pop("sources")) if con else []
            else:
                f["rows"] = source_rows(con, f.pop("doc_file", ""), f) if con else []
    finally:
        if con:
            con.close()
    texts = evidence_pack(findings, "flowviz " + " ".join(map(shlex.quote, _argv())))
    replace_folder(folder, texts, is_pack, "evidence pack")
    typer.echo(f"evidence: {len(findings)} findings in {folder}/README.md", err=True)


def _argv() -> list[str]:
    import sys

    return sys.argv[1:]


def write_flag_pack(
    folder: Path, docs: list, findings: list[dict[str, Any]], db: Path | None
) -> None:
    """`flags --evidence`: each finding with its document's rows and a command to reproduce it."""
    by_id = {d.project.id: d for d in docs}
    for f in findings:
        doc = by_id.get(f["project_id"])
        f["doc_file"] = doc.file if doc else ""
        f["reproduce"] = f"flowviz flags {_input_args(f['doc_file'])} --rule {f['rule_id']}"
    write_pack(folder, findings, db, None)


def _input_args(file: str) -> str:
    """How to name the input again: the file, or ``-p ID --year Y`` / ``-p YEAR:府省庁:番号``."""
    if not file.startswith("store:"):
        return shlex.quote(file)
    key = file.removeprefix("store:")
    if "/" in key:
        year, pid = key.split("/", 1)
        return f"-p {shlex.quote(pid)} --year {int(year)}"
    return f"-p {shlex.quote(key)}"


def findings_page(ministry: str | None, year: int | None, db: Path | None) -> tuple[str, str]:
    """A ministry's bureaus and projects (or every ministry) judged against the population."""
    from flowviz.analysis.indicators import Settings
    from flowviz.i18n import Translator, english
    from flowviz.messages import msg
    from flowviz.render.findings_page import findings_html

    settings = Settings()
    if not ministry:
        rows, year = population_findings("ministry", settings, year, db)
        return f"findings-{year}", findings_html(
            rows, msg("政府全体の所見 {year}年", year=year), None, year
        )
    rows, year = population_findings("bureau", settings, year, db)
    budget, _ = population_findings("budget", settings, year, db)
    rows += budget
    mine = {r["unit"] for r in rows if r["unit"].split(" / ")[0].startswith(ministry)}
    if not mine:
        from flowviz.exceptions import OptionError

        raise OptionError(f"--ministry {ministry!r}: no bureau or project of {year} matches")
    title = msg(
        "{ministry}の所見 {year}年",
        ministry=Translator().name(ministry) if english() else ministry,
        year=year,
    )
    return f"findings-{ministry}-{year}", findings_html(rows, title, mine, year)
