"""Commands on who is who: the hand-kept identities file and the 法人番号 registry."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from flowviz.cli.common import DEFAULT_DB, DbOpt, app, echo, friendly


@app.command()
@friendly
def identities(
    file: Annotated[
        Optional[Path],
        typer.Argument(help="A CSV of links: corporate_number,same_as,sheet_years,note."),
    ] = None,
    db: DbOpt = DEFAULT_DB,
) -> None:
    """Link 法人番号 that are one organisation (a renumbering) in every command, or list the
    links: flowviz's own (each with its evidence) and those of the file given last.

    Example: flowviz identities my-identities.csv
    """
    from flowviz.sources.identities_file import read_identities
    from flowviz.store.db import connect
    from flowviz.store.identity import rebuild_names
    from flowviz.store.identity_links import load_links, store_links

    links = read_identities(file) if file else None
    con = connect(db)
    try:
        if links is not None:
            with con:
                store_links(con, links)
                rebuild_names(con)
        for link in load_links(con):
            echo(
                f"{link.corporate_number} → {link.same_as}  {link.years()}  ({link.source})"
                f"\n    {link.note}"
            )
    finally:
        con.close()


@app.command()
@friendly
def registry(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="The registry's CSV or ZIP files (00_zenkoku_all_YYYYMMDD.zip …).",
            show_default=False,
        ),
    ],
    db: DbOpt = DEFAULT_DB,
    complete: Annotated[
        bool,
        typer.Option(
            "--complete",
            help="The files hold every organisation (as 00_zenkoku_all does): numbers missing from them are not registered.",
        ),
    ] = False,
) -> None:
    """Load the National Tax Agency's 法人番号 registry for the store's organisations: registered
    and English names, closures and successors; numbers it does not hold stop counting as an
    organisation.

    Example: flowviz registry 00_zenkoku_all_20231031.zip
    """
    from flowviz.store.db import connect
    from flowviz.store.identity import rebuild_names
    from flowviz.store.registry import import_registry

    con = connect(db)
    try:
        summary = import_registry(con, files, then=rebuild_names, complete=complete or None)
    finally:
        con.close()
    for line in summary.lines():
        echo(line)
