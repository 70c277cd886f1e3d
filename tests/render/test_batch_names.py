"""Batch outputs never overwrite each other, by class: keys that sanitise alike (``/`` vs ``?``,
full vs half width, NFC vs NFD, a difference after character 80, ``-`` inside a part) get names
unique by construction; summaries count files actually written; ``--out -`` is refused where
several files would be written; evidence packs replace the old folder whole, and a name holding
a line break and a code fence stays inside the Markdown code block."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.cli import app
from flowviz.text import unique_stem

from ..conftest import ROOT

runner = CliRunner()
SHEET = json.loads(
    (ROOT / "tests" / "data" / "judgit" / "0048-4347.ndjson").read_text().split("\n")[0]
)
ALIKE = [
    ("総務/省", "0050"),
    ("総務?省", "0050"),
    ("ＡＢ省", "0050"),
    ("AB省", "0050"),
    (unicodedata.normalize("NFC", "が省"), "0050"),
    (unicodedata.normalize("NFD", "が省"), "0050"),
    ("長" * 90 + "一", "0050"),
    ("長" * 90 + "二", "0050"),
    ("a-b", "c"),
    ("a", "b-c"),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("alike")
    lines = []
    for n, (ministry, number) in enumerate(ALIKE):
        sheet = dict(SHEET, ID=9000 + n, 府省庁=ministry, 事業番号=number, 事業番号2=number)
        lines.append(json.dumps(sheet, ensure_ascii=False))
    src = folder / "alike.ndjson"
    src.write_text("\n".join(lines) + "\n", "utf-8")
    db = folder / "alike.db"
    r = runner.invoke(app, ["import", str(src), "--db", str(db)])
    assert r.exit_code == 0 and "old       10 sheets" in r.output, r.output
    return db


def test_unique_stem_keeps_plain_names_and_separates_the_rest():
    assert unique_stem("rs2024-7259") == "rs2024-7259"
    stems = {unique_stem(f"sheet2015-{m}-{n}") for m, n in ALIKE[:8]}
    assert len(stems) == 8 and all(len(s) <= 80 for s in stems)


def test_keys_that_sanitise_alike_never_share_a_file(store: Path, tmp_path: Path):
    out = tmp_path / "out"
    args = ["render", "--all-years", "--sankey", "--db", str(store), "--out", str(out)]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    written = sorted(out.glob("*.sankey.svg"))
    assert len(written) == len(ALIKE)
    assert f"({len(written)} files)" in r.output and "0 failed" in r.output
    again = runner.invoke(app, args)
    assert f"{len(ALIKE)} up to date" in again.output and "(0 files)" in again.output


def test_out_dash_is_refused_where_several_files_would_be_written(store: Path, tmp_path: Path):
    for args in (
        ["render", "--all-projects", "--year", "2015", "--sankey", "--db", str(store)],
        ["render", str(ROOT / "examples" / "0048.json")] * 1
        + [str(ROOT / "examples" / "0048.json")],
    ):
        r = runner.invoke(app, [*args, "--out", "-"], catch_exceptions=False)
        assert r.exit_code == 1 and "--out - writes one file" in r.output, r.output
    assert not (Path.cwd() / "-").exists()


def test_several_inputs_with_one_project_id_get_their_own_files(tmp_path: Path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    shutil.copy(ROOT / "examples" / "0048.json", a)
    doc = json.loads(a.read_text("utf-8"))
    doc["flows"][0]["amount"] += 1
    b.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    out = tmp_path / "out"
    r = runner.invoke(app, ["render", str(a), str(b), "--sankey", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert len(list(out.glob("*.sankey.svg"))) == 2 and len(list(out.iterdir())) == 4


def test_evidence_pack_replaces_the_old_one_and_keeps_fences_closed(tmp_path: Path):
    markdown_it = pytest.importorskip("markdown_it")
    weird = tmp_path / "x\n```\n<img src=x onerror=alert(1)>\n```sh.json"
    shutil.copy(ROOT / "examples" / "0048.json", weird)
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "F9999.md").write_text("an earlier run", "utf-8")
    (pack / "README.md").write_text("# flowviz evidence pack\nold", "utf-8")
    r = runner.invoke(app, ["flags", str(weird), "--evidence", str(pack)])
    assert r.exit_code in (0, 1) and "Traceback" not in r.output, r.output
    assert not (pack / "F9999.md").exists()
    found = sorted(pack.glob("F*.md"))
    assert found
    md = markdown_it.MarkdownIt("commonmark")
    for page in found:
        tokens = md.parse(page.read_text("utf-8"))
        kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
        assert not kinds & {"html_block", "html_inline"}, page
        [block] = [t for t in tokens if t.type == "fence" and t.info == "sh"]
        assert "onerror" in block.content and block.content.startswith("flowviz flags")
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep", "utf-8")
    r = runner.invoke(app, ["flags", str(weird), "--evidence", str(other)])
    assert r.exit_code == 1 and "not an earlier evidence pack" in r.output
    assert [p.name for p in other.iterdir()] == ["notes.txt"]
