"""Rows as an Excel workbook (openpyxl), for the newsroom that opens everything in Excel:
法人番号 and ids as text cells (Excel would turn 13 digits into 7.01E+12), amounts as numbers
with a yen format, headers in Japanese (English with ``lang="en"``), and a second sheet with
the caveats that apply to the columns shown and the sources with their licences."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from flowviz.store.datasette_docs import CAVEATS, COLUMNS, SOURCES

#: columns kept as text whatever they look like (ids and numbers that are names, not quantities)
TEXT_COLUMNS = {"corporate_number", "project_id", "number", "sheet_key", "code", "block"}
YEN_FORMAT = '#,##0"円";-#,##0"円"'
#: headers of row columns the store's tables do not have
_EXTRA = {
    "amount_yen": ("支出額", "amount"),
    "contract_value_yen": ("契約額", "contract value"),
    "source": ("出典", "source"),
    "line": ("公表ファイルの行", "line in the published file"),
    "name_source": ("名前の出典", "name from"),
    "record": ("記録の種類", "record"),
    "kind": ("種別", "kind"),
    "contract_method": ("契約方式等", "contracting method"),
    "match": ("照合", "matched by"),
    "check": ("確認（疑わしい数値）", "check (suspect figure)"),
    "kept_yen": ("手元に残った額", "kept"),
    "received_yen": ("受け取った額", "received"),
    "paid_yen": ("支払った額", "paid"),
    "share_pct": ("割合（%）", "share (%)"),
    "kind_basis": ("種別の根拠", "kind basis"),
}


_SUSPECT = (
    "疑わしい数値（FV011）は公表どおりに載せ、確認（check）の列に理由を示す。上の合計はそれらを除く。",
    "Suspect figures (FV011) are listed as published with the reason in the check column; the"
    " totals above leave them out.",
)


def header(column: str, lang: str = "ja") -> str:
    """A short header: the column's Japanese (or English) meaning, without its notes."""
    pair = _EXTRA.get(column) or COLUMNS.get(("", column))
    if not pair:
        return column
    text = pair[1] if lang == "en" else pair[0]
    return text.split("（")[0].split(" (")[0] or text


def is_yen(column: str) -> bool:
    return column.endswith("_yen") or column in ("amount", "total", "executed", "initial")


def caveats_for(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> list[str]:
    """The store's caveats that concern these columns and rows (keys of ``CAVEATS``)."""
    cols = set(columns)
    sources = {str(r.get("source") or r.get("record") or "") for r in rows}
    out = ["unknown"]
    if cols & {"flow_year", "year", "amount_yen"}:
        out.append("money_year")
    if any(is_yen(c) for c in cols):
        out.append("suspect")
    if "contract_value_yen" in cols or "method" in cols:
        out.append("contract_value")
    if any("old" in s for s in sources):
        out.append("no_route")
    if any("5-3" in s or s == "RS" for s in sources):
        out.append("partial_53")
    return out


def rows_xlsx(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str] | None = None,
    lang: str = "ja",
    notes: str = "",
) -> bytes:
    """The workbook's bytes: a data sheet and a sheet with ``notes`` (what the command prints
    under its table), the caveats of the columns shown, and the sources with their licences."""
    from openpyxl import Workbook

    cols = list(columns or (rows[0].keys() if rows else []))
    wb = Workbook()
    ws = wb.active
    ws.title = "data" if lang == "en" else "データ"
    ws.append([header(c, lang) for c in cols])
    for r in rows:
        ws.append([_cell(c, r.get(c)) for c in cols])
        for cell in ws[ws.max_row]:
            if cell.data_type == "f":  # text from the data starting with "=" is never a formula
                cell.data_type = "s"
    for i, c in enumerate(cols, 1):
        fmt = "@" if c in TEXT_COLUMNS else (YEN_FORMAT if is_yen(c) else None)
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = fmt
    ws.freeze_panes = "A2"
    sheet = wb.create_sheet("caveats" if lang == "en" else "注意と出典")
    k = 1 if lang == "en" else 0
    for line in notes.splitlines():
        sheet.append([line.strip()])
    sheet.append([])
    for key in caveats_for(cols, rows):
        sheet.append([_SUSPECT[k] if key == "suspect" else CAVEATS[key][k]])
    sheet.append([])
    for name, url, licence, licence_url in SOURCES.values():
        sheet.append([name, url, licence, licence_url])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(column: str, value: Any) -> Any:
    """Text for ids (never a number Excel would round), int yen, Decimal rates as numbers."""
    if value is None:
        return None  # unknown stays an empty cell, never 0
    if column in TEXT_COLUMNS:
        return str(value)
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    if isinstance(value, (list, tuple, dict)):
        return str(value)
    return value
