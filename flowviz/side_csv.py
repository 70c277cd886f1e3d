"""Hand-kept CSV side files (``--links``, ``--groups``), read at their edge.

Why: bad UTF-8, a 200,000-character cell, a missing column or a stray control character in a
side file ended in "internal error". Here the file is read within bounds and every problem is
one line naming the file, the line and the column, and what was expected.
"""

from __future__ import annotations

import csv
import io
import re

from flowviz.exceptions import FlowvizError, OptionError

MAX_BYTES = 16 << 20
MAX_CELL = 1000
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _decode(raw: bytes, path: str, error: type[FlowvizError]) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error(f"{path}: line {line}, byte {column}: not UTF-8 text") from None


def read_side_csv(
    path: str, what: str, header: tuple[str, ...], error: type[FlowvizError] = OptionError
) -> list[tuple[int, dict[str, str]]]:
    """(line, row) of a CSV whose first line names ``header`` (the first two required, the rest
    optional, nothing else); cells are stripped, at most MAX_CELL characters, no controls."""
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise error(f"{path}: cannot read the {what} ({exc.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise error(f"{path}: larger than {MAX_BYTES >> 20} MiB; not a {what}")
    reader = csv.reader(io.StringIO(_decode(raw, path, error), newline=""))
    rows: list[tuple[int, dict[str, str]]] = []
    names: list[str] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not names:
                names = [c.strip() for c in cells]
                if (
                    not set(header[:2]) <= set(names)
                    or not set(names) <= set(header)
                    or len(set(names)) != len(names)
                ):
                    raise error(f"{path}: line 1: expected the header {','.join(header)}")
                continue
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(names):
                raise error(
                    f"{path}: line {line}: expected {len(names)} columns, found {len(cells)}"
                )
            for name, cell in zip(names, cells):
                if len(cell) > MAX_CELL or _CONTROL.search(cell):
                    raise error(
                        f"{path}: line {line}, column {name}: expected text of at most"
                        f" {MAX_CELL:,} characters without control characters"
                    )
            rows.append((line, {n: c.strip() for n, c in zip(names, cells)}))
    except csv.Error as exc:
        raise error(f"{path}: line {reader.line_num}: unreadable CSV ({exc})") from None
    if not names:
        raise error(f"{path}: empty; expected the header {','.join(header)}")
    return rows
