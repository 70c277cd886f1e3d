"""Every input checked at its edge, by class: the settings TOML (types and ranges), the glossary
file, the --links and --groups CSV side files (line and column), whole numbers SQLite cannot
hold, a closed or full standard output, absurd exponents; and a property test feeding arbitrary
text to `--lang en` and every side-file reader within generous time and memory bounds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from flowviz.analysis.indicators import load_settings
from flowviz.cli import app
from flowviz.exceptions import FlowvizError
from flowviz.glossary_file import read_glossary
from flowviz.i18n import Translator, glossary, language
from flowviz.side_csv import read_side_csv

from .conftest import ROOT

runner = CliRunner()
EXAMPLE = ROOT / "examples" / "0048.json"
NDJSON = ROOT / "tests" / "data" / "judgit" / "0048-4347.ndjson"


def one_line_error(r, *words: str) -> None:
    assert r.exit_code == 1, r.output
    assert r.output.count("error:") == 1 and "internal error" not in r.output, r.output
    assert "Traceback" not in r.output
    for w in words:
        assert w in r.output, (w, r.output)


@pytest.mark.parametrize(
    "text, words",
    [
        ('fence_k = "abc"', ["'fence_k'", "expected a number"]),
        ("fence_k = nan", ["'fence_k'", "nan"]),
        ("fence_k = inf", ["'fence_k'"]),
        ("fence_k = 0", ["'fence_k'"]),
        ("fence_k = -1.5", ["'fence_k'"]),
        ("fence_k = [1]", ["'fence_k'"]),
        ("fence_k = true", ["'fence_k'"]),
        ("min_sample = 0", ["'min_sample'", "whole number"]),
        ("min_sample = 2.5", ["'min_sample'"]),
        ('min_sample = "5"', ["'min_sample'"]),
        ("condition_on_kind = 1", ["'condition_on_kind'", "true or false"]),
        ("reason_required_yen = 99999999999999999999", ["'reason_required_yen'"]),
        ("reason_required_yen = -1", ["'reason_required_yen'"]),
        ("high_award_rate_pct = 101", ["'high_award_rate_pct'"]),
        ("high_award_rate_pct = {a = 1}", ["'high_award_rate_pct'"]),
        ("grades = 1", ["'grades'"]),
        ('[grades]\n"一般競争" = 5', ["grades.一般競争", "0, 1 or 2"]),
        ('[grades]\n"一般競争" = "0"', ["grades.一般競争"]),
        ("grades = {}", ["'grades'"]),
        ("nonsense = 1", ["unknown key 'nonsense'"]),
        ("fence_k = ", ["cannot read the indicator settings"]),
    ],
)
def test_malformed_settings_are_one_line_naming_the_key(tmp_path: Path, text: str, words):
    path = tmp_path / "settings.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(FlowvizError) as err:
        load_settings(path)
    for w in words:
        assert w in str(err.value) and str(path) in str(err.value)
    r = runner.invoke(app, ["indicators", "--config", str(path), "--db", str(tmp_path / "no.db")])
    one_line_error(r, str(path))


def test_settings_in_range_are_taken(tmp_path: Path):
    path = tmp_path / "ok.toml"
    path.write_text('fence_k = 3\nmin_sample = 7\n[grades]\n"一般競争" = 1\n', "utf-8")
    s = load_settings(path)
    assert (s.fence_k, s.min_sample, s.grades) == (3, 7, (("一般競争", 1),))


@pytest.mark.parametrize(
    "content, words",
    [
        (None, ["cannot read it"]),
        (b"[organisations\n", ["not a TOML glossary"]),
        (b"\xff\xfe", ["not a TOML glossary"]),
        (b'[organisations]\n"\xe7\xb7\x8f" = 3\n', ["expected a text"]),
        (b"organisations = 1\n", ["expected a table"]),
        (b"[weather]\na = 'b'\n", ["unknown table [weather]"]),
        (b"[terms]\na = '" + b"x" * 5000 + b"'\n", ["expected a text"]),
    ],
)
def test_a_bad_glossary_file_is_one_line(tmp_path: Path, monkeypatch, content, words):
    path = tmp_path / "glossary.toml"
    if content is not None:
        path.write_bytes(content)
    monkeypatch.setenv("FLOWVIZ_GLOSSARY", str(path))
    glossary.cache_clear()
    try:
        r = runner.invoke(app, ["render", str(EXAMPLE), "--lang", "en", "--out", str(tmp_path)])
    finally:
        glossary.cache_clear()
    one_line_error(r, str(path), *words)


GROUPS_BAD = [
    (b"grp,member\n", "line 1: expected the header group,member,related"),
    (b"group,member,related,extra\n", "line 1: expected the header"),
    (b"group,member,member\n", "line 1: expected the header"),
    (b"group,member,related\nA,\xff\xfe,yes\n", "line 2, byte 3: not UTF-8 text"),
    (b"group,member,related\nA,B\n", "line 2: expected 3 columns, found 2"),
    (b"group,member,related\nA," + b"x" * 200_000 + b",yes\n", "line 2"),
    (b"group,member,related\nA,B\x00C,yes\n", "line 2, column member"),
    (b"group,member,related\nA,B,maybe\n", "line 2: expected a group, a member"),
    (b'group,member,related\nA,"B\n', "line"),
]


@pytest.mark.parametrize("content, words", GROUPS_BAD)
def test_a_bad_groups_file_is_one_line_with_its_place(tmp_path: Path, content, words):
    path = tmp_path / "groups.csv"
    path.write_bytes(content)
    r = runner.invoke(app, ["flags", str(EXAMPLE), "--groups", str(path)])
    one_line_error(r, str(path), words)


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("edges") / "s.db"
    assert runner.invoke(app, ["import", str(NDJSON), "--db", str(db)]).exit_code == 0
    return db


@pytest.mark.parametrize(
    "content, words",
    [
        (b"from,to\nrs:abc,2015:x:1\n", "line 2, column from: expected"),
        ("from,to\n2015:総務省:0050,rs:2024:\n".encode(), "line 2, column to: expected"),
        (b"from,to\n" + b"1" * 200_000 + b",x\n", "line 2"),
        (b"from,to\n\xff,x\n", "line 2, byte 1: not UTF-8 text"),
        (b"to,evidence\n", "line 1: expected the header from,to,evidence"),
    ],
)
def test_a_bad_links_file_is_one_line_with_its_place(small_store, tmp_path, content, words):
    path = tmp_path / "links.csv"
    path.write_bytes(content)
    args = ["history", "0050", "--ministry", "総務省", "--year", "2015", "--links", str(path)]
    r = runner.invoke(app, [*args, "--db", str(small_store)])
    one_line_error(r, str(path), words)


@pytest.mark.parametrize(
    "args",
    [
        ["payees", "--top", str(2**64)],
        ["payees", "--year", str(-(2**70))],
        ["history", "0050", "--incumbency", str(2**63)],
    ],
)
def test_whole_numbers_sqlite_cannot_hold_are_refused_first(small_store, args):
    r = runner.invoke(app, [*args, "--db", str(small_store)])
    one_line_error(r, "expected a whole number between -2^63 and 2^63-1")


def cli(*args: str, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "flowviz", *args], env=env, capture_output=False, **kw
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_full_standard_output_is_one_line(tmp_path: Path):
    err = tmp_path / "err"
    with open("/dev/full", "w") as full, err.open("w") as e:
        p = cli("validate", str(EXAMPLE), stdout=full, stderr=e, timeout=120)
    assert p.returncode == 1
    assert err.read_text().strip().splitlines() == [
        "flowviz: error: cannot write the output: No space left on device"
    ]


def test_a_closed_standard_output_is_one_line(tmp_path: Path):
    err = tmp_path / "err"
    with err.open("w") as e:
        p = cli("validate", str(EXAMPLE), stdout=subprocess.DEVNULL, stderr=e, timeout=120,
                preexec_fn=lambda: os.close(1))  # fmt: skip
    assert p.returncode == 1
    assert "standard output is closed" in err.read_text() and err.read_text().count("\n") == 1


@pytest.mark.parametrize("literal", ["1E+999999", "1e-999999", "-7.5E+31"])
def test_absurd_exponents_are_refused_at_input(tmp_path: Path, literal: str):
    text = EXAMPLE.read_text("utf-8").replace('"amount": 15,', f'"amount": {literal},', 1)
    path = tmp_path / "absurd.json"
    path.write_text(text, "utf-8")
    line = text[: text.index(literal)].count("\n") + 1
    r = runner.invoke(app, ["validate", str(path)])
    one_line_error(r, f"{path}: line {line}", "out of range")
    sheet = json.loads(NDJSON.read_text("utf-8").splitlines()[0])
    raw = json.dumps(sheet, ensure_ascii=False)
    bad = tmp_path / "absurd.ndjson"
    bad.write_text(raw + "\n" + raw.replace('"ID": ', f'"x": {literal}, "ID": ', 1) + "\n", "utf-8")
    r = runner.invoke(app, ["import", str(bad), "--db", str(tmp_path / "a.db")])
    one_line_error(r, f"{bad}: line 2", "out of range")


# -- bounded work: arbitrary text, generous bounds (a slow machine passes slowly) --------------

TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",))
    | st.sampled_from(list('0123456789,.兆億万円約令和年度株式会社漢アあ\x00\n"')),
    max_size=400,
)
BOUND_S = 20.0
BOUND_BYTES = 200 << 20
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def bounded(fn, *args) -> None:
    tracemalloc.start()
    t = time.process_time()
    try:
        fn(*args)
    except FlowvizError:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert time.process_time() - t < BOUND_S and peak < BOUND_BYTES


@SLOW
@given(text=TEXT, repeat=st.sampled_from([1, 50]))
def test_lang_en_is_bounded_on_any_text(text: str, repeat: int):
    with language("en"):
        tx = Translator([text * repeat])
        bounded(tx, text * repeat)
        bounded(tx.name, text * repeat)


@SLOW
@given(text=TEXT)
def test_every_side_file_reader_takes_any_text(tmp_path_factory, text: str):
    path = tmp_path_factory.mktemp("any") / "side"
    path.write_text(text, "utf-8", errors="surrogatepass")
    bounded(read_side_csv, str(path), "groups file", ("group", "member", "related"))
    bounded(read_glossary, str(path))
    bounded(load_settings, path)


def test_long_digit_runs_and_names_translate_in_linear_time():
    """20,000 characters took 20–30 s before; here within a bound no loaded machine reaches."""
    with language("en"):
        tx = Translator([])
        for s in (
            "あ" + "1" * 20000,
            "あ約" + "1," * 10000 + "円",
            "令和" + "1" * 20000,
            "漢" * 20000,
        ):
            bounded(tx, s)
            bounded(tx.name, s)


def test_a_picture_cairo_cannot_allocate_is_one_line(tmp_path: Path):
    pytest.importorskip("cairosvg")
    r = runner.invoke(app, ["render", str(EXAMPLE), "--sankey", "-f", "png", "--width", "16000",
                            "--out", str(tmp_path)])  # fmt: skip
    assert (
        r.exit_code in (0, 1) and "internal error" not in r.output and "Traceback" not in r.output
    )
    if r.exit_code == 1:
        one_line_error(r, "a side is limited to 32,767 px")


def test_endless_standard_input_stops_at_the_bound(monkeypatch):
    """An endless stream on stdin is read up to the bound and refused, not until memory ends."""
    import io as _io

    from flowviz.sources import flow_json

    class Endless(_io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, b) -> int:
            b[:] = b" " * len(b)
            return len(b)

    monkeypatch.setattr(flow_json, "MAX_INPUT_BYTES", 1 << 20)
    monkeypatch.setattr(sys, "stdin", _io.TextIOWrapper(_io.BufferedReader(Endless())))
    with pytest.raises(FlowvizError, match="larger than 1 MiB"):
        flow_json.read_bytes("-")
