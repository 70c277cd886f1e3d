"""Datasette shows yen columns of the flowviz store with thousands separators
(``12,345,678``); JSON and CSV exports keep the plain integers."""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from markupsafe import Markup

from flowviz.store.datasette import MONEY, MONEY_NAMES


def money_text(value: Any, column: str, table: str | None) -> str | None:
    """``12,345,678`` for an integer in a yen column of ``table`` (or, without a table, a column
    whose name says yen), else None so Datasette renders the cell as usual."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    if column in (MONEY.get(table, set()) if table else MONEY_NAMES):
        return f"{value:,}"
    return None


@hookimpl
def render_cell(value: Any, column: str, table: str | None) -> Markup | None:
    text = money_text(value, column, table)
    return Markup(f'<span class="flowviz-yen">{text}</span>') if text else None
