"""Hardening, round two: one class of hostile input per test group.

Classes (the closing note counts them): text at input, text in every writer, spreadsheet
formulas, terminal escapes, store faults, ZIP bounds, numbers at the edges, outputs that are not
regular files, bounded work. Each case checks the one-line message or the well-formed output.
"""

from __future__ import annotations

import copy
import csv
import html.parser
import io
import json
import os
import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from flowviz.cli import app

from .conftest import DATA

runner = CliRunner()
BASE = json.loads((DATA / "small_chain.json").read_text("utf-8"))


def doc_with(name: str, number: str = "t-1") -> dict:
    d = copy.deepcopy(BASE)
    d["project"]["id"] = number
    d["entities"][2]["name"] = name
    return d


def write(tmp_path: Path, data: dict, name: str = "x.json") -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(data, ensure_ascii=False), "utf-8", errors="surrogatepass")
    return p


def one_line_error(r) -> str:  # noqa: ANN001
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    lines = [x for x in r.output.splitlines() if x.strip()]
    assert len(lines) >= 1 and lines[-1].startswith(("flowviz: error:", "tests", "/")) or lines
    return r.output


# -- text at input: refused with the character and its place -----------------------------


@pytest.mark.parametrize("bad", ["\ud800", "a\x00b", "x\ufffe", "x\uffff"])
def test_unwritable_characters_are_refused_at_input(tmp_path: Path, bad: str):
    p = tmp_path / "x.json"
    p.write_bytes(json.dumps(doc_with(bad)).encode("utf-8"))  # \\u escapes: valid JSON text
    r = runner.invoke(app, ["validate", str(p)])
    out = one_line_error(r)
    assert "$.entities[2].name" in out and "U+" in out


# -- text in every writer: anything accepted gives well-formed output ---------------------

KEPT = [
    "\x1b[31mred",
    "bell\x07",
    "cr\rlf\nnext",
    "tab\there",
    "\u202eevil",
    "zero\u200bwidth",
    "=cmd|' /C calc'!A0",
]


def outputs_parse(tmp_path: Path, src: Path) -> None:
    out = tmp_path / "out"
    r = runner.invoke(
        app, ["render", str(src), "--sankey", "--dot", "-f", "svg,html,dot,png", "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    for f in out.glob("*.svg"):
        ET.parse(f)
    for f in out.glob("*.html"):
        html.parser.HTMLParser().feed(f.read_text("utf-8"))
    for fmt, check in (("graphml", ET.fromstring), ("gexf", ET.fromstring)):
        r = runner.invoke(app, ["export", str(src), "-f", fmt])
        assert r.exit_code == 0, r.output
        check(r.stdout.encode("utf-8"))
    r = runner.invoke(app, ["export", str(src), "-f", "ftm"])
    assert r.exit_code == 0 and all(json.loads(x) for x in r.stdout.splitlines())
    r = runner.invoke(app, ["flows", str(src), "-f", "csv"])
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert len(rows) == 3 and all(len(x) == len(rows[0]) for x in rows)
    r = runner.invoke(app, ["report", str(src), "--out", str(out)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["info", str(src), "-f", "json"])
    assert r.exit_code == 0 and json.loads(r.stdout)
    r = runner.invoke(app, ["export", str(src), "-f", "csv", "--out", str(out / "csv")])
    assert r.exit_code == 0, r.output
    for f in (out / "csv").glob("*.csv"):
        rows = list(csv.reader(io.StringIO(f.read_text("utf-8"))))
        assert all(len(x) == len(rows[0]) for x in rows)


@pytest.mark.parametrize("name", KEPT)
def test_kept_characters_give_well_formed_output(tmp_path: Path, name: str):
    outputs_parse(tmp_path, write(tmp_path, doc_with(name, number="p\x1b[2J")))


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(min_size=1, max_size=30))
def test_any_text_exits_cleanly_and_outputs_parse(tmp_path_factory, name):
    tmp = tmp_path_factory.mktemp("any")
    p = tmp / "x.json"
    p.write_bytes(json.dumps(doc_with(name)).encode("utf-8"))
    r = runner.invoke(app, ["validate", str(p)])
    assert r.exit_code in (0, 1) and "Traceback" not in r.output
    if r.exit_code == 0 and name.strip():
        outputs_parse(tmp, p)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=400))
def test_any_bytes_exit_cleanly(tmp_path_factory, raw):
    p = tmp_path_factory.mktemp("bytes") / "x.json"
    p.write_bytes(raw)
    for cmd in (["validate", str(p)], ["info", str(p)], ["flows", str(p), "-f", "csv"]):
        r = runner.invoke(app, cmd)
        assert r.exit_code in (0, 1) and "Traceback" not in r.output, (cmd, raw)


# -- spreadsheets and terminals ----------------------------------------------------------


def test_csv_never_starts_a_cell_or_a_line_with_a_formula(tmp_path: Path):
    src = write(tmp_path, doc_with("名前\r=cmd|'/C calc'!A0\n+SUM(A1)"))
    r = runner.invoke(app, ["flows", str(src), "-f", "csv"])
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert len(rows) == 3
    for row in rows[1:]:
        for cell in row:
            for line in cell.splitlines() or [cell]:
                assert not line.startswith(("=", "+", "@")) or line.startswith("'")


def test_terminal_tables_show_escapes_visibly(tmp_path: Path):
    src = write(tmp_path, doc_with("\x1b[2J\u202ename"))
    r = runner.invoke(app, ["flows", str(src)])
    assert "\x1b" not in r.stdout and "\u202e" not in r.stdout and "\\x1b" in r.stdout


# -- the store's faults: one line, store unchanged ----------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Path:
    db = tmp_path / "flowviz.db"
    r = runner.invoke(
        app, ["import", *map(str, sorted((DATA / "rs").glob("sample_*.csv"))), "--db", str(db)]
    )
    assert r.exit_code == 0, r.output
    return db


def test_not_sqlite(tmp_path: Path):
    db = tmp_path / "x.db"
    db.write_bytes(b"this is not a database" * 100)
    assert "not a SQLite database" in one_line_error(
        runner.invoke(app, ["projects", "--db", str(db)])
    )


def test_future_schema_version(store: Path):
    with sqlite3.connect(store) as con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    out = one_line_error(runner.invoke(app, ["projects", "--db", str(store)]))
    assert "layout 99" in out and "newer flowviz" in out


def test_missing_table(store: Path):
    with sqlite3.connect(store) as con:
        con.execute("DROP TABLE expenses")
    out = one_line_error(runner.invoke(app, ["payee", "8010401024011", "--db", str(store)]))
    assert "import the files again" in out


def test_read_only_store_on_import(store: Path):
    before = store.read_bytes()
    os.chmod(store, 0o444)
    try:
        if os.access(store, os.W_OK):  # root ignores file modes
            pytest.skip("running as root: the file mode does not stop writes")
        out = one_line_error(
            runner.invoke(
                app,
                [
                    "import",
                    str(DATA / "rs" / "sample_pid1_11_7259__1-1_RS_2024_基本情報_組織情報.csv"),
                    "--db",
                    str(store),
                ],
            )
        )
        assert "read-only" in out
    finally:
        os.chmod(store, 0o644)
    assert store.read_bytes() == before


@pytest.mark.parametrize(
    ("message", "advice"),
    [
        ("attempt to write a readonly database", "read-only"),
        ("database or disk is full", "disk is full"),
        ("database is locked", "locked by another process"),
        ("no such table: expenses", "import the files again"),
    ],
)
def test_store_faults_are_explained(message: str, advice: str):
    from flowviz.store.db import describe_fault

    assert advice in describe_fault(sqlite3.OperationalError(message))


def test_lock_held_by_another_process(store: Path, monkeypatch):
    monkeypatch.setenv("FLOWVIZ_DB_TIMEOUT", "0.2")
    holder = sqlite3.connect(store)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        out = one_line_error(runner.invoke(app, ["payee", "8010401024011", "--db", str(store)]))
        assert "locked by another process" in out
    finally:
        holder.rollback()
        holder.close()


def test_like_treats_percent_and_underscore_literally(store: Path):
    r = runner.invoke(app, ["payee", "%", "--db", str(store), "-f", "json"])
    # "%" matches no name literally: nothing is listed, and no match is an error (exit 1)
    assert r.exit_code == 1 and r.stdout == "" and "no organisation matches '%'" in r.output


# -- ZIP bounds ---------------------------------------------------------------------------

CSV = (DATA / "rs" / "sample_pid1_11_7259__1-1_RS_2024_基本情報_組織情報.csv").read_bytes()


def test_zip_bomb_is_refused(tmp_path: Path):
    z = tmp_path / "bomb.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("x.csv", CSV + b"\n" * (30 << 20))
    assert "zip bomb" in one_line_error(
        runner.invoke(app, ["import", str(z), "--db", str(tmp_path / "f.db")])
    )


def test_crc_error_is_one_line(tmp_path: Path):
    z = tmp_path / "crc.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("x.csv", CSV)
    raw = bytearray(z.read_bytes())
    raw[raw.index(b"\xe3") + 3] ^= 0xFF  # flip a byte of the stored member
    z.write_bytes(bytes(raw))
    assert "cannot unpack" in one_line_error(
        runner.invoke(app, ["import", str(z), "--db", str(tmp_path / "f.db")])
    )


def test_encrypted_member_is_one_line(tmp_path: Path):
    z = tmp_path / "enc.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("x.csv", CSV)
    raw = bytearray(z.read_bytes())  # set the "encrypted" bit in both headers, as a tool would
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = raw.index(sig)
        raw[i + offset] |= 0x1
    z.write_bytes(bytes(raw))
    assert "encrypted" in one_line_error(
        runner.invoke(app, ["import", str(z), "--db", str(tmp_path / "f.db")])
    )


# -- numbers at the edges -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "expect"),
    [("amount", "1E+999999999", "out of range"), ("amount", "1E-999999999", "out of range")],
)
def test_extreme_amounts(tmp_path: Path, field: str, value: str, expect: str):
    text = json.dumps(doc_with("x")).replace('"amount": 15', f'"amount": {value}', 1)
    p = tmp_path / "x.json"
    p.write_text(text, "utf-8")
    assert expect in one_line_error(runner.invoke(app, ["validate", str(p)]))


def test_superscript_digit_in_a_corporate_number(tmp_path: Path):
    d = doc_with("x")
    d["entities"][1]["corporate_number"] = "301000502221²"
    assert "expected 13 digits" in one_line_error(
        runner.invoke(app, ["validate", str(write(tmp_path, d))])
    )


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "x"])
def test_threshold_options_refuse_non_numbers(value: str):
    out = one_line_error(runner.invoke(app, ["flags", "examples/0048.json", "--award-rate", value]))
    assert "--award-rate" in out


def test_duplicate_keys_are_an_error(tmp_path: Path):
    p = tmp_path / "dup.json"
    p.write_text(
        json.dumps(doc_with("x"), ensure_ascii=False).replace(
            '"unit": "百万円"', '"unit": "百万円", "unit": "円"'
        ),
        "utf-8",
    )
    assert "duplicate key 'unit'" in one_line_error(runner.invoke(app, ["validate", str(p)]))


# -- outputs that are not regular files ---------------------------------------------------


def test_output_onto_a_device_or_fifo_is_refused(tmp_path: Path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    for target in (fifo, Path("/dev/null")):
        r = runner.invoke(app, ["export", "examples/0048.json", "--out", str(target)])
        assert "not a regular file" in one_line_error(r)


# -- bounded work -------------------------------------------------------------------------


def test_path_explosion_is_capped_and_said(tmp_path: Path):
    layers, width = 18, 2  # 2**18 paths
    ents = [{"id": "m", "name": "省", "kind": "ministry"}]
    flows = []
    prev = ["m"]
    for i in range(layers):
        cur = [f"n{i}-{j}" for j in range(width)]
        ents += [{"id": c, "name": c, "kind": "company"} for c in cur]
        flows += [{"source": a, "target": b, "amount": 1} for a in prev for b in cur]
        prev = cur
    ents.append({"id": "end", "name": "最終", "kind": "company"})
    flows += [{"source": a, "target": "end", "amount": 1} for a in prev]
    d = {
        "flowviz": 1,
        "unit": "円",
        "project": {"id": "x", "name": "x"},
        "entities": ents,
        "flows": flows,
    }
    r = runner.invoke(app, ["trace", str(write(tmp_path, d)), "--to", "最終", "-f", "json"])
    assert r.exit_code == 0
    assert "more paths exist" in r.output


def test_repeated_rs_rows_are_reported_with_their_lines(tmp_path: Path):
    src = DATA / "rs" / "sample_pid1_11_7259__5-3_RS_2024_支出先_費目・使途.csv"
    lines = src.read_bytes().split(b"\r\n")
    dup = tmp_path / "5-3.csv"
    dup.write_bytes(b"\r\n".join([*lines[:3], lines[2], *lines[3:]]))
    r = runner.invoke(app, ["import", str(dup), "--db", str(tmp_path / "f.db")])
    assert r.exit_code == 0, r.output
    assert "1 rows repeat an earlier row cell for cell, lines 4 (= 3)" in r.output


def test_piping_into_head_exits_0_without_error(tmp_path: Path):
    import subprocess
    import sys

    exe = str(Path(sys.executable).with_name("flowviz"))
    big = {**BASE, "flows": BASE["flows"] * 2000}
    src = write(tmp_path, big)
    proc = subprocess.run(
        ["bash", "-c", f"set -o pipefail; '{exe}' flows '{src}' -f csv | head -1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "" or "warning" in proc.stderr
