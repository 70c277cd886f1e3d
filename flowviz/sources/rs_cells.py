"""Checks on an RS-system CSV that the typed reader does not make: its header and its cells.

Why: a second column with a known header was ignored without a word (which of the two holds the
figure?), a renamed column went unnoticed, and a NUL inside a cell was stored silently, so
search missed the row and CSV output carried the raw NUL. The published files hold no control
characters (checked over every FY2024 file), so one is refused with its line and column.
"""

from __future__ import annotations

import csv
import io
import re

from flowviz.exceptions import FlowDataError, Problem
from flowviz.sources.rs_spec import COMMON, KINDS, UNREAD

#: C0 controls but TAB, LF and CR (quoted cells may hold line breaks), DEL, C1 controls
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def check_header(header: list[str], kind: str, name: str) -> list[str]:
    """Refuse a header name given twice; return the columns flowviz does not know, as
    ``'NAME' (column N)``, for the import to report."""
    first: dict[str, int] = {}
    for i, h in enumerate(header, 1):
        if h and h in first:
            raise FlowDataError(
                Problem(
                    name,
                    f"line 1, column {i}",
                    f"column {h!r} appears twice (columns {first[h]} and {i}); expected each"
                    " published column once",
                )
            )
        first.setdefault(h, i)
    known = {n for names in COMMON.values() for n in names}
    known |= {n for names, _ in KINDS[kind][2].values() for n in names}
    known |= {*UNREAD["*"], *UNREAD.get(kind, ())}
    return [f"{h!r} (column {i})" for i, h in enumerate(header, 1) if h not in known]


def refuse_controls(text: str, name: str, header: list[str]) -> None:
    """Raise naming line and column if a cell holds a control character (a fast scan first)."""
    if not _CONTROL.search(text):
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for cells in reader:
            for i, cell in enumerate(cells):
                found = _CONTROL.search(cell)
                if found:
                    col = header[i] if i < len(header) else f"{i + 1}"
                    raise FlowDataError(
                        Problem(
                            name,
                            f"line {reader.line_num}, column {col}",
                            f"control character U+{ord(found.group()):04X} in the cell;"
                            " expected text (the RS system publishes none)",
                        )
                    )
    except csv.Error as exc:
        raise FlowDataError(
            Problem(name, f"line {reader.line_num}", f"unreadable CSV: {exc}")
        ) from None
