"""What every command shares: the app, option types, one-line errors, reading inputs."""

from __future__ import annotations

import errno
import functools
import os
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


def _version(value: bool) -> None:
    if value:
        from flowviz import __version__

        typer.echo(f"flowviz {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """See where public money goes: read review sheets, trace funds, draw Sankey and DOT diagrams."""


class RowFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    excel = "excel"  # CSV with a BOM and CRLF: Japanese Excel opens it as UTF-8


def fail(message: str) -> None:
    from flowviz.text import terminal_safe

    typer.echo(f"flowviz: error: {terminal_safe(' '.join(str(message).split()))}", err=True)
    raise typer.Exit(1)


_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EIO, errno.EBADF, errno.EDQUOT}
#: SQLite's integers are signed 64-bit: a larger option is refused here, before any SQL
_INT_RANGE = range(-(2**63), 2**63)


def check_edges(kwargs: dict[str, Any]) -> None:
    """Refuse, before any work, whole numbers SQLite cannot hold and a closed standard output."""
    if sys.stdout is None:
        raise FlowvizError("standard output is closed; redirect it (> FILE) or give --out FILE")
    for name, value in kwargs.items():
        for v in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(v, int) and not isinstance(v, bool) and v not in _INT_RANGE:
                raise FlowvizError(
                    f"--{name.replace('_', '-')} {str(v)[:24]}…: expected a whole number"
                    " between -2^63 and 2^63-1"
                )


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn flowviz errors into one line and exit 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            check_edges(kwargs)
            if kwargs.get("lang"):  # --lang: the command's words and pictures in that language
                from flowviz.i18n import language

                with language(kwargs["lang"]):
                    result = func(*args, **kwargs)
            else:
                result = func(*args, **kwargs)
            sys.stdout.flush()  # a full standard output shows here, not after exit
            return result
        except FlowvizError as exc:
            fail(str(exc))
        except RecursionError:  # pragma: no cover - defensive
            fail("input too deeply nested")
        except MemoryError:
            fail("out of memory: the input is too large for this machine; narrow it or split it")
        except KeyboardInterrupt:  # pragma: no cover
            fail("interrupted")
        except BrokenPipeError:  # the reader stopped (| head): not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except Exception as exc:  # a bug: one line, and the traceback on request
            if isinstance(exc, OSError) and exc.errno in _OUTPUT_ERRNOS:  # stdout full, failing
                fail(f"cannot write the output: {exc.strerror}")
            sqlite3 = sys.modules.get("sqlite3")  # imported only by the commands using a store
            if sqlite3 is not None and isinstance(exc, sqlite3.Error):
                from flowviz.store.db import describe_fault

                fail(describe_fault(exc))
            if isinstance(exc, typer.Exit):
                raise
            if os.environ.get("FLOWVIZ_DEBUG"):
                raise
            fail(
                f"internal error ({type(exc).__name__}: {exc}); please report it with the command"
                " (FLOWVIZ_DEBUG=1 shows the traceback)"
            )

    return wrapper


def echo(text: str) -> None:
    """Write results; on a terminal, controls and bidi marks from the data are shown visibly."""
    if sys.stdout.isatty():
        from flowviz.text import terminal_safe_lines

        text = terminal_safe_lines(text)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


class _Quiet:
    """A progress bar that says nothing (standard error is a file or a pipe)."""

    def __enter__(self) -> _Quiet:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        return None


def progress(label: str, length: int = 0, **kw: Any) -> Any:
    """A progress bar on a terminal; nothing when standard error is not one (no stray words
    in logs)."""
    if not sys.stderr.isatty():
        return _Quiet()
    return typer.progressbar(length=length, label=label, file=sys.stderr, **kw)


def wrote(path: Path) -> None:
    """Say which file was written (nothing for ``-``: the data went to standard output)."""
    if str(path) != "-":
        typer.echo(relative(path))


def relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def exclusive(**options: Any) -> None:
    """Refuse options that cannot go together, with one line naming them."""
    given = [f"--{k.replace('_', '-')}" for k, v in options.items() if v]
    if len(given) > 1:
        raise FlowvizError(f"{' and '.join(given)} cannot be used together; choose one")


FilesArg = Annotated[
    list[Path], typer.Argument(help="Input JSON files (format v1).", show_default=False)
]
OptFileArg = Annotated[
    Optional[Path], typer.Argument(help="Input JSON file; or use --project.", show_default=False)
]
OptFilesArg = Annotated[
    Optional[list[Path]],
    typer.Argument(help="Input JSON files (format v1); or use --project.", show_default=False),
]
ProjectOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--project",
        "-p",
        help="From the store: an RS project id (予算事業ID), or an old-format sheet as"
        " YEAR:府省庁:事業番号 (2017:総務省:0048); repeatable.",
    ),
]
YearOpt = Annotated[
    Optional[int],
    typer.Option("--year", help="Fiscal year of the sheets (default: latest in the store)."),
]
DEFAULT_DB = (
    None  # resolved by flowviz.store.db.store_path: $FLOWVIZ_DB, then the user's data folder
)
DbOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--db",
        envvar="FLOWVIZ_DB",
        show_default=False,
        help="The store made by `flowviz import` (default: $FLOWVIZ_DB, else flowviz.db in the"
        " user's data folder, ~/.local/share/flowviz).",
    ),
]
FormatOpt = Annotated[
    RowFormat,
    typer.Option("--format", "-f", help="table, csv, json, or excel (CSV that Excel opens)."),
]
EvidenceOpt = Annotated[
    Optional[Path], typer.Option("--evidence", help="Write an evidence pack into this folder.")
]
LangOpt = Annotated[
    Optional[str],
    typer.Option(
        "--lang",
        help="ja (default) or en: English names of ministries, terms and flags, ¥ amounts,"
        " other organisations romanised beside their Japanese names.",
    ),
]
OutDirOpt = Annotated[Path, typer.Option("--out", "-o", help="Output folder.")]
LinksOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--links",
        help="Hand-kept links CSV (from,to,evidence; keys YEAR:府省庁:番号, rs:YEAR:ID, YEAR:ID"
        " or uid:事業ID) that adds or removes sheets of a lineage.",
    ),
]


def inputs(
    files: list[Path] | None, projects: list[str] | None, year: int | None, db: Path
) -> list:
    """Documents from JSON files and/or store projects, in the order given."""
    from flowviz.sources import read

    out = [read(f) for f in files or []]
    if projects:
        from flowviz.store.db import connect

        con = connect(db)
        try:
            out += [_stored(con, pid, year) for pid in projects]
        finally:
            con.close()
    if not out:
        raise FlowvizError("give an input file, or --project ID to read a project from the store")
    return out


def _stored(con: Any, pid: str, year: int | None) -> Any:
    """An RS project id, or an old-format sheet key (``2017:総務省:0048``)."""
    from flowviz.store import suggest
    from flowviz.store.db import project_year
    from flowviz.store.rs_document import document_from_store
    from flowviz.store.sheet_document import document_from_sheet

    if ":" in pid:
        return document_from_sheet(con, suggest.check_sheet_key(con, pid, year))
    pid = suggest.check_project_id(con, pid, year)
    return document_from_store(con, year or project_year(con, pid), pid)


def one(file: Path | None, projects: list[str] | None, year: int | None, db: Path):
    docs = inputs([file] if file else None, projects, year, db)
    if len(docs) != 1:
        raise FlowvizError(f"this command takes one input, got {len(docs)}")
    return docs[0]


def distinct(docs: list) -> list:
    """The same project given twice is read once (its money would count twice)."""
    out, seen = [], {}
    for doc in docs:
        if doc.project.id in seen:
            typer.echo(
                f"flowviz: warning: {doc.file}: project {doc.project.id!r} already read from"
                f" {seen[doc.project.id]}; skipped so its money is not counted twice",
                err=True,
            )
            continue
        seen[doc.project.id] = doc.file
        out.append(doc)
    return out
