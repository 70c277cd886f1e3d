"""Imports that would lose data or store damaged figures are refused, with the store unchanged:
a partial 5-4 file (cut from the published one) over the full year, and a 5-4 file re-saved by a
spreadsheet (法人番号 in exponent notation, amounts with thousands separators)."""

from __future__ import annotations

import csv
import hashlib
import io
import sqlite3
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.cli import app

from ..conftest import SHARED

RS2024 = SHARED / "rs2024"
pytestmark = pytest.mark.skipif(not RS2024.is_dir(), reason="../shared/data/rs2024 not present")
runner = CliRunner()
P = "（国庫債務負担行為等による契約）"
CORP, VALUE = f"契約先の法人番号{P}", f"契約額{P}"


def published_5_4() -> tuple[Path, list[list[str]]]:
    (z,) = RS2024.glob("5-4_*.zip")
    with zipfile.ZipFile(z) as zf:
        text = zf.read(zf.namelist()[0]).decode("utf-8-sig")
    return z, list(csv.reader(io.StringIO(text, newline="")))


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    return path


def digest(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT * FROM contracts ORDER BY line").fetchall()
        rows += con.execute("SELECT kind, year, rows, file FROM imports ORDER BY 1, 2").fetchall()
        return hashlib.sha256(repr(rows).encode()).hexdigest()
    finally:
        con.close()


def imported(*args: str) -> object:
    return runner.invoke(app, ["import", *args])


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[list[str]]]:
    z, rows = published_5_4()
    db = tmp_path_factory.mktemp("refusals") / "flowviz.db"
    r = imported(str(z), "--db", str(db))
    assert r.exit_code == 0, r.output
    return db, rows


def test_a_partial_file_over_the_full_year_is_refused_with_both_counts(full, tmp_path: Path):
    db, rows = full
    stored = sqlite3.connect(db).execute("SELECT COUNT(*) FROM contracts").fetchone()[0]
    assert stored == len(rows) - 1  # every published row (plain csv count)
    part = write_csv(tmp_path / "5-4_part.csv", rows[:200])
    before = digest(db)
    r = imported(str(part), "--db", str(db))
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert f"{stored:,}" in r.output and " 199" in r.output and "--replace" in r.output
    assert "5-4_part.csv" in r.output and len(r.output.strip().splitlines()) == 1
    assert digest(db) == before
    # asked for, the replacement happens
    copy = tmp_path / "copy.db"
    copy.write_bytes(db.read_bytes())
    r = imported(str(part), "--db", str(copy), "--replace")
    assert r.exit_code == 0, r.output
    assert sqlite3.connect(copy).execute("SELECT COUNT(*) FROM contracts").fetchone()[0] == 199


@pytest.mark.parametrize(
    ("column", "damage", "hint"),
    [
        (CORP, lambda v: f"{int(v) / 10**12:.2f}E+12", "exponent notation"),
        (VALUE, lambda v: f"{int(v):,}", "thousands separators"),
    ],
    ids=["corporate-number-exponent", "amount-separators"],
)
def test_spreadsheet_damage_is_refused_with_line_and_column(
    full, tmp_path: Path, column, damage, hint
):
    db, rows = full
    at = rows[0].index(column)
    # the first row whose value a spreadsheet would change (13 digits; a value of 1,000 yen or more)
    i = next(
        k for k, r in enumerate(rows[1:], 1) if r[at].strip().isdigit() and len(r[at].strip()) >= 4
    )
    damaged = [list(r) for r in rows]
    damaged[i][at] = damage(damaged[i][at].strip())
    path = write_csv(tmp_path / "5-4_resaved.csv", damaged)
    reader = csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline=""))
    line = next(reader.line_num for k, _ in enumerate(reader) if k == i)
    before = digest(db)
    r = imported(str(path), "--db", str(db))
    assert r.exit_code == 1 and "Traceback" not in r.output, r.output
    assert f"line {line}, column {column}" in r.output and damaged[i][at] in r.output
    assert hint in r.output
    assert digest(db) == before
