"""Commands that follow the money: trace, payees, flags."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from flowviz.cli.common import (
    DEFAULT_DB,
    DbOpt,
    EvidenceOpt,
    FormatOpt,
    LangOpt,
    OptFileArg,
    OptFilesArg,
    ProjectOpt,
    RowFormat,
    YearOpt,
    app,
    distinct,
    echo,
    friendly,
    inputs,
    one,
    year_documents,
)
from flowviz.cli.questions import BureauOpt, KindOpt, MinistryOpt, SuspectOpt, TopOpt, ranking
from flowviz.exceptions import FlowvizError

RuleOpt = Annotated[
    Optional[list[str]], typer.Option("--rule", help="Only this rule (FV001…); repeatable.")
]
MinAmountOpt = Annotated[
    Optional[str],
    typer.Option(
        "--min-amount", help="Only findings of at least this amount: 100000000, 1億, 5000万."
    ),
]
AwardRateOpt = Annotated[str, typer.Option(help="Flag award rates at or above this % (FV003).")]
PassThroughOpt = Annotated[
    str, typer.Option(help="Flag intermediaries passing on at least this % (FV005).")
]
ChainDepthOpt = Annotated[int, typer.Option(help="Flag re-delegation this deep or deeper (FV004).")]
GroupsOpt = Annotated[
    Optional[Path],
    typer.Option("--groups", help="Hand-kept company groups (CSV group,member,related) for FV013."),
]
TRACE_COLUMNS = (
    "hop",
    "from",
    "to",
    "amount_yen",
    "as_published",
    "share_of_first_hop_pct",
    "link_type",
    "contract_method",
)
PAYEE_COLUMNS = (
    "name",
    "corporate_number",
    "role",
    "received_yen",
    "received_direct_yen",
    "received_indirect_yen",
    "passed_on_yen",
    "kept_yen",
    "kept_pct",
    "contracts",
    "contract_value_yen",
    "projects",
    "check",
)


@app.command()
@friendly
def trace(
    file: OptFileArg = None,
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

    doc = one(file, project, year, db)
    paths = trace_paths(doc, source, target)
    rows = trace_records(paths, doc)
    if paths.truncated:
        typer.echo(
            f"flowviz: warning: more paths exist; stopped after {len(paths):,} (at most"
            f" {paths.limit:,} paths or 200,000 hops); narrow with --from/--to",
            err=True,
        )
    if format != RowFormat.table:
        echo(render_rows(rows, format.value))
        return
    for i, p in enumerate(paths, 1):
        echo(f"path {i}: {' → '.join(p.names)}")
        echo(format_table([r for r in rows if r["path"] == i], TRACE_COLUMNS) + "\n")
    if not paths:
        echo("no path found")


@app.command()
@friendly
def payees(
    files: OptFilesArg = None,
    format: FormatOpt = RowFormat.table,
    project: ProjectOpt = None,
    year: YearOpt = None,
    db: DbOpt = DEFAULT_DB,
    ministry: MinistryOpt = None,
    bureau: BureauOpt = None,
    kind: KindOpt = None,
    sort: Annotated[str, typer.Option("--sort", help="amount, projects, rows or name.")] = "amount",
    top: TopOpt = None,
    lang: LangOpt = None,
    include_suspect: SuspectOpt = False,
    final_only: Annotated[
        bool,
        typer.Option(
            "--final-only",
            help="Rank what the sheets do not say was passed on (費目 補助金/交付金…, 5-2 links).",
        ),
    ] = False,
) -> None:
    """Who received the money: totals per organisation (direct, indirect, passed on, kept).
    Without files or --project: organisations across the store, ranked by what was listed as
    paid to them (select with --ministry, --bureau, --kind, --year).

    "kept" is a figure only where the published rows account for all the money; contracts are
    counted with their 契約額 apart from payments. Merges organisations by 法人番号, else name.

    Example: flowviz payees examples/0048.json; flowviz payees --ministry 総務省 --kind company --top 5
    """
    from flowviz.analysis import payees as payee_rows
    from flowviz.analysis.payees import payees_footer, select
    from flowviz.i18n import localise_rows
    from flowviz.render.tables import render_rows

    if not files and not project:
        return ranking(
            year, ministry, bureau, kind, sort, top, format, db, include_suspect, final_only
        )
    if ministry or bureau:
        raise FlowvizError("--ministry and --bureau rank across the store: leave out files and -p")
    docs = distinct(inputs(files, project, year, db))
    every = payee_rows(docs)
    rows = localise_rows(select(every, kind, sort, top), docs)
    echo(render_rows(rows, format.value, PAYEE_COLUMNS if format == RowFormat.table else None))
    if format == RowFormat.table:
        echo("\n".join(payees_footer(every, docs, shown=len(rows))))


@app.command()
@friendly
def flags(
    files: OptFilesArg = None,
    format: FormatOpt = RowFormat.table,
    rule: RuleOpt = None,
    min_amount: MinAmountOpt = None,
    award_rate: AwardRateOpt = "95",
    pass_through: PassThroughOpt = "90",
    chain_depth: ChainDepthOpt = 2,
    groups: GroupsOpt = None,
    evidence: EvidenceOpt = None,
    lang: LangOpt = None,
    project: ProjectOpt = None,
    year: YearOpt = None,
    db: DbOpt = DEFAULT_DB,
    ministry: MinistryOpt = None,
) -> None:
    """Red flags with the figures that triggered them. Findings are not errors: exit 0.
    Without files or --project: every project of --year (default the latest) in the store, of
    --ministry when given.

    Rules: FV001 non-competitive award, FV002 one bidder, FV003 high award rate,
    FV004 deep re-delegation, FV005 pass-through, FV006 no named final recipient,
    FV007 missing/invalid 法人番号, FV008 outflow exceeds inflow, FV009 未執行 lines
    counted in a total, FV010 reason missing for a large non-competitive award,
    FV011 implausible amount, FV013 re-delegation within a company group, FV014 payees sharing
    an address. Contract rules use each contract's own value (契約額). Methods: docs/methods.md.

    Example: flowviz flags examples/0048.json --format json; flowviz flags --rule FV010 --year 2024
    """
    from flowviz.analysis import flags as find_flags
    from flowviz.analysis.flags import select, thresholds_from_options
    from flowviz.analysis.groups import load_groups
    from flowviz.cli.findings import write_flag_pack
    from flowviz.i18n import localise_rows
    from flowviz.money import parse_amount_option
    from flowviz.render.tables import format_table, render_rows

    th = thresholds_from_options(award_rate, pass_through, chain_depth)
    low = parse_amount_option(min_amount, "--min-amount") if min_amount else None
    wide = not files and not project
    if ministry and not wide:
        raise FlowvizError("--ministry selects projects of the store: leave out files and -p")
    docs = (
        year_documents(year, ministry, db) if wide else distinct(inputs(files, project, year, db))
    )
    known = load_groups(groups)
    rows = select([f for d in docs for f in find_flags(d, th, known)], rule, low)
    if evidence:  # the pack cites the rows as published, so it is made before translating
        write_flag_pack(evidence, docs, rows, db)
    rows = localise_rows(rows, docs)
    if format == RowFormat.table:
        cols = ("project_id",) * wide + ("rule_id", "entity", "message")
        echo(format_table(rows, cols, max_width=160))
    else:
        echo(render_rows(rows, format.value))
