"""Excel workbooks (--format xlsx) read back with openpyxl: 法人番号 are text cells equal to the
published file's text, amounts are integers with a yen format, headers are Japanese (English
with --lang en), and a second sheet carries the printed notes, caveats and sources."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from flowviz.cli import app

from ..conftest import SHARED

runner = CliRunner()
P = "（国庫債務負担行為等による契約）"


def workbook(store: Path, *args: str) -> openpyxl.Workbook:
    r = runner.invoke(app, [*args, "--format", "xlsx", "--db", str(store)])
    assert r.exit_code == 0, r.output
    return openpyxl.load_workbook(io.BytesIO(r.stdout_bytes))


def published_5_4() -> dict[int, dict[str, str]]:
    """Line → row of the published 5-4 CSV (the line a record ends on, as csv counts it)."""
    (z,) = (SHARED / "rs2024").glob("5-4_*.zip")
    with zipfile.ZipFile(z) as zf:
        text = zf.read(zf.namelist()[0]).decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    head = next(reader)
    out = {}
    for row in reader:
        out[reader.line_num] = dict(zip(head, row, strict=True))
    return out


def test_contracts_workbook_keeps_numbers_as_published(decade_store: Path):
    wb = workbook(decade_store, "contracts", "--year", "2024")
    data, notes = wb.worksheets
    assert wb.sheetnames == ["データ", "注意と出典"]
    head = [c.value for c in data[1]]
    corp, value, source = head.index("法人番号"), head.index("契約額"), head.index("出典")
    published = published_5_4()
    rows = list(data.iter_rows(min_row=2))
    assert len(rows) > 4000
    for row in rows:
        line = int(row[source].value.removeprefix("5-4 line "))
        want = published[line]
        number = want[f"契約先の法人番号{P}"].strip().removesuffix(".0")
        assert row[corp].value == (number or None) and row[corp].number_format == "@"
        amount = want[f"契約額{P}"].strip().removesuffix(".0")
        assert row[value].value == (int(amount) if amount else None)  # unknown: empty, never 0
        assert "円" in row[value].number_format
        assert row[value].value is None or isinstance(row[value].value, int)
    assert any(isinstance(r[corp].value, str) and len(r[corp].value) == 13 for r in rows)
    text = "\n".join(str(r[0].value) for r in notes.iter_rows() if r[0].value)
    assert "contract values, not payments" in text and "left out" in text  # the printed footer
    assert "契約額は支払額ではない" in text
    licences = {r[2].value for r in notes.iter_rows() if len(r) > 2 and r[2].value}
    assert licences == {"公共データ利用規約 第1.0版 (PDL1.0)", "CC BY 4.0"}


def test_english_headers_and_an_organisations_workbook(decade_store: Path):
    wb = workbook(decade_store, "contracts", "--year", "2024", "--top", "3", "--lang", "en")
    assert wb.sheetnames == ["data", "caveats"]
    assert {"corporate number", "contract value"} <= {c.value for c in wb.worksheets[0][1]}
    wb = workbook(decade_store, "payee", "7010701007922")
    data = wb.worksheets[0]
    head = [c.value for c in data[1]]
    numbers = {r[head.index("法人番号")] for r in data.iter_rows(min_row=2, values_only=True)}
    assert "7010701007922" in numbers and 7010701007922 not in numbers
    caveats = "\n".join(str(r[0]) for r in wb.worksheets[1].iter_rows(values_only=True))
    assert "誰が誰に支払ったかは公表されていない" in caveats  # old-format rows are listed
