"""Imports that never double or drop, by class: the same content twice in one command (paths
given twice, a ZIP beside its unzipped CSV), a second file of one kind and year (refused unless
parts of one split file), one sheet key twice, control characters in CSV cells, duplicate and
unknown columns, and a SQLite file that is not flowviz's. Expected figures come from the CSV
itself (csv module arithmetic), never from flowviz."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.cli import app

from ..conftest import ROOT

runner = CliRunner()
RS = ROOT / "tests" / "data" / "rs"
CSV53 = RS / "sample_pid1_11_7259__5-3_RS_2024_支出先_費目・使途.csv"
NDJSON = ROOT / "tests" / "data" / "judgit" / "0048-4347.ndjson"


def published(path: Path) -> tuple[int, int]:
    """(data rows, total 金額 of project 7259) read with the csv module."""
    rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"))))
    return len(rows), sum(int(r["金額"]) for r in rows if r["予算事業ID"] == "7259" and r["金額"])


def stored(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as con:
        n = con.execute("SELECT count(*) FROM expenses").fetchone()[0]
        total = con.execute("SELECT sum(amount) FROM expenses WHERE project_id = '7259'")
        return n, total.fetchone()[0]


def imp(db: Path, *paths: Path):
    return runner.invoke(app, ["import", *map(str, paths), "--db", str(db)])


def test_one_content_given_twice_or_zipped_beside_itself_is_stored_once(tmp_path: Path):
    zipped = tmp_path / "5-3.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(CSV53.name, CSV53.read_bytes())
    for paths in ([CSV53, CSV53], [zipped, CSV53], [CSV53, zipped, CSV53]):
        db = tmp_path / f"{len(paths)}-{paths[0].suffix}.db"
        r = imp(db, *paths)
        assert r.exit_code == 0, r.output
        assert stored(db) == published(CSV53)
        assert r.output.count("not stored again") == len(paths) - 1


def test_a_second_file_of_one_kind_and_year_is_refused_unless_a_split_part(tmp_path: Path):
    text = CSV53.read_text("utf-8-sig")
    header, *rows = text.splitlines(keepends=True)
    other = tmp_path / "copy_edited.csv"
    other.write_text(header + "".join(rows[:-1]), "utf-8")
    db = tmp_path / "a.db"
    assert imp(db, CSV53).exit_code == 0
    before = stored(db)
    r = imp(db, CSV53, other)
    assert r.exit_code == 1 and r.output.count("error:") == 1
    assert "a second 5-3 file" in r.output and str(CSV53) in r.output and str(other) in r.output
    assert stored(db) == before  # nothing written half-way
    half = len(rows) // 2
    parts = [tmp_path / "5-3_支出先_1.csv", tmp_path / "5-3_支出先_2.csv"]
    parts[0].write_text(header + "".join(rows[:half]), "utf-8")
    parts[1].write_text(header + "".join(rows[half:]), "utf-8")
    split = tmp_path / "split.db"
    r = imp(split, *parts)
    assert r.exit_code == 0, r.output
    assert stored(split) == published(CSV53)
    mine = [r for r in rows if ",7259," in r]
    by_project = [tmp_path / "excerpt_a.csv", tmp_path / "other_b.csv"]
    by_project[0].write_text(header + "".join(mine), "utf-8")
    by_project[1].write_text(header + "".join(r for r in rows if r not in mine), "utf-8")
    r = imp(tmp_path / "p.db", *by_project)  # disjoint projects: parts by content
    assert r.exit_code == 0, r.output
    assert stored(tmp_path / "p.db") == published(CSV53)


def test_one_sheet_key_twice_is_stored_once_or_refused_naming_both(tmp_path: Path):
    lines = NDJSON.read_text("utf-8").splitlines()
    same = tmp_path / "same.ndjson"
    same.write_text(lines[0] + "\n", "utf-8")
    db = tmp_path / "s.db"
    r = imp(db, NDJSON, same)
    assert r.exit_code == 0, r.output
    assert f"{same} line 1 not stored again" in r.output
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM sheets").fetchone()[0] == len(lines)
    changed = json.loads(lines[0])
    changed["事業名"] = changed["事業名"] + "（改）"
    other = tmp_path / "other.ndjson"
    other.write_text(json.dumps(changed, ensure_ascii=False) + "\n", "utf-8")
    r = imp(tmp_path / "o.db", NDJSON, other)
    assert r.exit_code == 1 and r.output.count("error:") == 1
    assert f"{other}: line 1" in r.output and f"{NDJSON} line 1" in r.output


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x0b", "\x1b", "\x7f", "\x85"])
def test_a_control_character_in_a_cell_is_refused_with_line_and_column(tmp_path: Path, char):
    text = CSV53.read_text("utf-8-sig")
    lines = text.splitlines(keepends=True)
    row = next(csv.reader([lines[5]]))
    row[14] = row[14][:3] + char + row[14][3:]  # 支出先名
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(row)
    bad = tmp_path / "bad.csv"
    bad.write_text("".join(lines[:5]) + buf.getvalue() + "".join(lines[6:]), "utf-8")
    r = imp(tmp_path / "c.db", bad)
    assert r.exit_code == 1 and r.output.count("error:") == 1
    assert f"{bad}: line 6, column 支出先名: control character U+{ord(char):04X}" in r.output
    assert not (tmp_path / "c.db").exists() or stored(tmp_path / "c.db")[0] == 0


def test_duplicate_columns_are_refused_and_unknown_ones_reported(tmp_path: Path):
    rows = list(csv.reader(io.StringIO(CSV53.read_text("utf-8-sig"))))
    dup = tmp_path / "dup.csv"
    with dup.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([r + [r[-1] if i else "金額"] for i, r in enumerate(rows)])
    r = imp(tmp_path / "d.db", dup)
    assert r.exit_code == 1 and "line 1, column 21: column '金額' appears twice" in r.output
    extra = tmp_path / "extra.csv"
    with extra.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([r + ["x" if i else "新しい列"] for i, r in enumerate(rows)])
    r = imp(tmp_path / "e.db", extra)
    assert r.exit_code == 0, r.output
    assert "columns flowviz does not know, not read: '新しい列' (column 21)" in r.output


def test_the_published_files_have_no_unknown_columns(tmp_path: Path):
    for path in sorted(RS.glob("*.csv")):
        r = imp(tmp_path / f"{path.stem}.db", path)
        assert "does not know" not in r.output, (path, r.output)


def test_a_sqlite_file_without_flowvizs_layout_is_refused_unless_empty(tmp_path: Path):
    app_db = tmp_path / "app.db"
    with sqlite3.connect(app_db) as con:
        con.execute("CREATE TABLE users (id INTEGER)")
    r = imp(app_db, CSV53)
    assert r.exit_code == 1 and "another application (tables: users)" in r.output
    with sqlite3.connect(app_db) as con:
        names = [n for (n,) in con.execute("SELECT name FROM sqlite_master")]
    assert names == ["users"]
    empty = tmp_path / "empty.db"
    empty.touch()
    assert imp(empty, CSV53).exit_code == 0
    with sqlite3.connect(empty) as con:
        con.execute("UPDATE meta SET value = 'abc' WHERE key = 'schema_version'")
    for args in (["import", str(CSV53), "--db", str(empty)], ["payees", "--db", str(empty)]):
        r = runner.invoke(app, args)
        assert r.exit_code == 1 and "schema_version 'abc' is not a number" in r.output
