"""Questions across the whole store: who got the most, which contracts, how concentrated."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from flowviz.cli.common import (
    DEFAULT_DB,
    DbOpt,
    FormatOpt,
    RowFormat,
    SheetLangOpt,
    YearOpt,
    app,
    echo,
    friendly,
)

MinistryOpt = Annotated[
    Optional[str], typer.Option("--ministry", "-m", help="Only this ministry (part of its name).")
]
BureauOpt = Annotated[
    Optional[str], typer.Option("--bureau", help="Only this bureau (part of its name).")
]
KindOpt = Annotated[
    Optional[str],
    typer.Option(
        "--kind",
        help="Only this kind of organisation: company, local, national, agency, association,"
        " university, nonprofit, other, unknown.",
    ),
]
TopOpt = Annotated[Optional[int], typer.Option("--top", "-n", min=1, help="Only the first N rows.")]
SuspectOpt = Annotated[
    bool,
    typer.Option(
        "--include-suspect",
        help="Count suspect figures (FV011: unit slips, amounts far above the project's execution)"
        " in totals and shares; by default they are left out and the amount left out is stated.",
    ),
]


def ranking(
    year: int | None,
    ministry: str | None,
    bureau: str | None,
    kind: str | None,
    sort: str,
    top: int | None,
    format: RowFormat,
    db,
    include_suspect: bool = False,
    final_only: bool = False,
) -> None:
    """`payees` without inputs: organisations across the store, ranked."""
    from flowviz.render.tables import render_rows
    from flowviz.store.db import connect
    from flowviz.store.questions import RANKING_COLUMNS, payee_ranking

    con = connect(db)
    try:
        res = payee_ranking(
            con, year, ministry, bureau, kind, sort, top, include_suspect, final_only
        )
    finally:
        con.close()
    cols = RANKING_COLUMNS + (() if format == RowFormat.table else ("kind_basis",))
    echo(render_rows(res.rows, format.value, cols))
    if format == RowFormat.table:
        echo(res.footer())


MethodOpt = Annotated[
    Optional[str], typer.Option("--method", help="契約方式 containing this text, e.g. 随意契約.")
]
NonCompetitiveOpt = Annotated[
    bool,
    typer.Option(
        "--non-competitive", help="Only 随意契約 (not 企画競争/公募/少額) or one-bidder awards."
    ),
]
MaxBiddersOpt = Annotated[
    Optional[int], typer.Option("--max-bidders", help="At most this many bidders.")
]
MinAwardRateOpt = Annotated[
    Optional[float], typer.Option("--min-award-rate", help="落札率 at least this %.")
]
MinValueOpt = Annotated[
    Optional[str],
    typer.Option("--min-value", help="契約額 at least this: 1億, 5000万, 100000000."),
]
ReasonMissingOpt = Annotated[
    bool,
    typer.Option(
        "--reason-missing",
        help="Only non-competitive or one-bidder awards of 10億円 or more that publish no"
        " reason (FV010).",
    ),
]


@app.command()
@friendly
def contracts(
    ministry: MinistryOpt = None,
    method: MethodOpt = None,
    non_competitive: NonCompetitiveOpt = False,
    max_bidders: MaxBiddersOpt = None,
    min_award_rate: MinAwardRateOpt = None,
    min_value: MinValueOpt = None,
    reason_missing: ReasonMissingOpt = False,
    sort: Annotated[str, typer.Option("--sort", help="value, award_rate or bidders.")] = "value",
    top: TopOpt = None,
    year: YearOpt = None,
    format: FormatOpt = RowFormat.table,
    db: DbOpt = DEFAULT_DB,
    include_suspect: SuspectOpt = False,
    lang: SheetLangOpt = None,
) -> None:
    """Contracts as published (5-4, and 5-1 when loaded) with their 契約額 — a contract's value,
    not a payment.

    Example: flowviz contracts --non-competitive --min-value 1億 --top 5
    """
    from flowviz.money import parse_amount_option
    from flowviz.render.tables import render_rows
    from flowviz.store.db import connect
    from flowviz.store.questions import (
        CONTRACT_COLUMNS,
        CONTRACT_FIELDS,
        ContractFilter,
        contract_rows,
    )

    low = parse_amount_option(min_value, "--min-value") if min_value else None
    flt = ContractFilter(year, ministry, method, non_competitive, max_bidders, min_award_rate, low)
    flt.reason_missing = reason_missing
    con = connect(db)
    try:
        found = contract_rows(con, flt, sort, top, include_suspect)
    finally:
        con.close()
    cols = CONTRACT_COLUMNS if format == RowFormat.table else CONTRACT_FIELDS
    echo(render_rows(found.rows, format.value, cols, lang, found.footer()))
    if format == RowFormat.table:
        echo(found.footer())


@app.command()
@friendly
def concentration(
    by: Annotated[
        str, typer.Option("--by", help="ministry, bureau, project or payee.")
    ] = "ministry",
    ministry: MinistryOpt = None,
    bureau: BureauOpt = None,
    top: TopOpt = None,
    year: YearOpt = None,
    format: FormatOpt = RowFormat.table,
    db: DbOpt = DEFAULT_DB,
    include_suspect: SuspectOpt = False,
) -> None:
    """How concentrated the listed payments are: the top payee's share, the top three's and the
    Herfindahl index (HHI: 10,000 = one payee takes all), per ministry, bureau or project; with
    --by payee, how much an organisation depends on one ministry.

    Example: flowviz concentration --by project --ministry 総務省 --top 5
    """
    from flowviz.analysis.concentration import COLUMNS, FIGURES, UNITS
    from flowviz.analysis.concentration import concentration as measure
    from flowviz.exceptions import OptionError
    from flowviz.render.tables import render_rows
    from flowviz.store.db import connect
    from flowviz.store.questions import choose_year, listed_payments

    if by not in UNITS:
        raise OptionError(f"--by {by!r}: choose one of {', '.join(UNITS)}")
    con = connect(db)
    try:
        year = choose_year(con, year)
        rows = measure(listed_payments(con, year, ministry, bureau), by, include_suspect)
    finally:
        con.close()
    echo(render_rows(rows[:top] if top else rows, format.value, COLUMNS[by] + FIGURES))
    if format == RowFormat.table:
        echo(
            f"sheets of {year} (money of FY{year - 1}); shares of the payee amounts as listed;"
            " group names, anonymised payees, unknown amounts"
            + ("" if include_suspect else " and suspect figures")
            + " take no share (groups_masked_yen, suspect_yen)"
        )
