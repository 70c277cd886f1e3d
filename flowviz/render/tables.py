"""Rows out: aligned text tables (East Asian width aware), CSV and JSON.

CSV cells that a spreadsheet would run as a formula (starting with ``= + - @``
or a tab/CR) are neutralised with a leading apostrophe, except numbers.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from flowviz.money import format_rate
from flowviz.text import terminal_safe

Row = dict[str, Any]


def display_width(text: str) -> int:
    """Columns a string takes in a terminal (全角 = 2)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(v: Any, money: bool = False) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int) and money:
        return f"{v:,}"
    if isinstance(v, Decimal):
        return format_rate(v)
    if isinstance(v, (dict, list, tuple)):
        return _compact_json(v)
    return terminal_safe(" ".join(str(v).split()))


def format_table(
    rows: Sequence[Row], columns: Sequence[str] | None = None, max_width: int = 40
) -> str:
    """A plain aligned table; long cells are cut with … (the CSV/JSON keep them whole)."""
    if not rows:
        return "(no rows)"
    cols = list(columns or rows[0].keys())
    cells = [[_cut(_cell(r.get(c), "yen" in c), max_width) for c in cols] for r in rows]
    widths = [
        max(display_width(c), *(display_width(row[i]) for row in cells)) for i, c in enumerate(cols)
    ]
    numeric = [
        all(isinstance(r.get(c), (int, Decimal)) or r.get(c) is None for r in rows) for c in cols
    ]

    def fmt(values: Sequence[str]) -> str:
        out = []
        for i, v in enumerate(values):
            pad = " " * (widths[i] - display_width(v))
            out.append(pad + v if numeric[i] else v + pad)
        return "  ".join(out).rstrip()

    lines = [fmt(cols), "  ".join("-" * w for w in widths)]
    lines += [fmt(r) for r in cells]
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out, w = "", 0
    for ch in text:
        cw = display_width(ch)
        if w + cw > width - 1:
            break
        out += ch
        w += cw
    return out + "…"


def safe_csv_cell(v: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells; numbers pass as they are."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, Decimal):
        return format_rate(v)
    if isinstance(v, (dict, list, tuple)):
        v = _compact_json(v)
    s = str(v)
    if s and s[0] in _FORMULA_START:
        s = "'" + s
    # a line break inside a cell starts a new line in some spreadsheets: neutralise there too
    return _AFTER_BREAK.sub(lambda m: m.group(1) + "'" + m.group(2), s)


_FORMULA_START = "=+-@\t\r\n"
_AFTER_BREAK = re.compile(r"([\r\n])([=+\-@\t])")


def _compact_json(v: Any) -> str:
    text = json.dumps(v, ensure_ascii=False, default=_json_default, separators=(",", ":"))
    return _DECIMAL_RE.sub(r"\1", text)


def to_csv(
    rows: Sequence[Row], columns: Sequence[str] | None = None, *, excel: bool = False
) -> str:
    """CSV with every text cell quoted (法人番号 stay text: 13 digits, not a number to round)
    and numbers bare; ``excel``: with a BOM and CRLF, so Japanese Excel opens it as UTF-8."""
    cols = list(columns or (rows[0].keys() if rows else []))
    end = "\r\n" if excel else "\n"
    lines = [",".join(_quoted(c) for c in cols)]
    for r in rows:
        lines.append(",".join(_csv_field(r.get(c)) for c in cols))
    return ("\ufeff" if excel else "") + end.join(lines) + end


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _csv_field(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (int, Decimal)) and not isinstance(v, bool):
        return safe_csv_cell(v)
    return _quoted(safe_csv_cell(v))


_DECIMAL_MARK = "__flowviz_decimal__"
_DECIMAL_RE = re.compile(rf'"{_DECIMAL_MARK}(-?[0-9]+(?:\.[0-9]+)?(?:E[+-]?[0-9]+)?)"')


def _json_default(v: Any) -> Any:
    if isinstance(v, Decimal):
        if v == v.to_integral_value():
            return int(v)
        return _DECIMAL_MARK + format(
            v, "f"
        )  # written as an exact JSON number below, never via float
    if isinstance(v, (set, tuple)):
        return list(v)
    raise TypeError(f"cannot write {type(v).__name__} as JSON")


def to_json(data: Any) -> str:
    """JSON with non-ASCII kept readable and Decimals as exact numbers (no float rounding)."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)
    return _json_escape_controls(_DECIMAL_RE.sub(r"\1", text)) + "\n"


_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]"
)


def _json_escape_controls(text: str) -> str:
    """C1 controls, bidi overrides and line separators written as ``\\uXXXX``: the same JSON
    value, but nothing a terminal or a script tag would act on."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def render_rows(
    rows: Sequence[Row],
    fmt: str,
    columns: Sequence[str] | None = None,
    lang: str | None = None,
    notes: str = "",
) -> Any:
    """Rows as ``table``, ``csv`` or ``json`` text, or ``xlsx`` bytes (headers in ``lang``;
    ``notes``, the text printed under a table, on the workbook's caveats sheet)."""
    if fmt == "xlsx":
        from flowviz.render.workbook import rows_xlsx

        return rows_xlsx(rows, columns, lang or "ja", notes)
    if fmt in ("csv", "excel"):
        return to_csv(rows, columns, excel=fmt == "excel")
    if fmt == "json":
        cols = list(columns) if columns else None
        return to_json([{c: r.get(c) for c in cols} if cols else r for r in rows])
    return format_table(rows, columns) + "\n"
