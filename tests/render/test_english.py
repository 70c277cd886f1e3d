"""--lang en: the pictures, the report and the flags say everything in English; organisations
keep their Japanese original beside the English (or romanised) name, and nothing else in
Japanese is left. Japanese output is unchanged (the golden files)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.cli import app
from flowviz.i18n import JAPANESE, Translator, glossary, language, yen_en
from flowviz.sources import read

from ..conftest import EXAMPLE

runner = CliRunner()


#: free text from a sheet, kept in Japanese and marked, up to the end of its line
FREE = re.compile(r"\[ja\] [^\n<\"\\]*")


def japanese_left(text: str, names: list[str]) -> list[str]:
    """Japanese that is neither an organisation's original name in parentheses nor free text
    from a sheet marked [ja]."""
    for n in sorted(names, key=len, reverse=True):
        text = text.replace(f"({n})", "")
    return JAPANESE.findall(FREE.sub("", text))


def test_render_in_english_has_no_japanese_outside_names(tmp_path: Path):
    r = runner.invoke(app, ["render", str(EXAMPLE), "--lang", "en", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    names = [e.name for e in read(EXAMPLE).entities]
    for f in sorted(tmp_path.iterdir()):
        text = f.read_text("utf-8")
        assert japanese_left(text, names) == [], f.name
        if f.suffix == ".svg":
            ET.fromstring(text)  # still well-formed
    svg = (tmp_path / "mic-2017-0048.sankey.svg").read_text("utf-8")
    assert "Net One Systems Co., Ltd." in svg
    assert "¥26.818 billion" in svg and "FY2016" in svg
    assert '<html lang="en">' in (tmp_path / "mic-2017-0048.sankey.html").read_text("utf-8")


def test_report_and_flags_in_english(tmp_path: Path):
    r = runner.invoke(app, ["report", str(EXAMPLE), "--lang", "en", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    names = [e.name for e in read(EXAMPLE).entities]
    page = (tmp_path / "mic-2017-0048.report.html").read_text("utf-8")
    assert japanese_left(page, names) == [] and '<html lang="en">' in page
    flags = runner.invoke(app, ["flags", str(EXAMPLE), "--lang", "en", "-f", "json"])
    for f in json.loads(flags.stdout):
        assert japanese_left(f["message"], names) == [], f["message"]


def test_data_values_by_what_they_are():
    """Names by the glossary or a reading with the original; terms whole; free text marked;
    amounts and years formatted in English where they are written, never replaced after."""
    from flowviz.money import format_yen_ja, format_yen_short
    from flowviz.text import wareki

    with language("en"):
        tx = Translator(["株式会社ほげ商事"])
        assert tx("株式会社ほげ商事") == "Hoge Shouji Co., Ltd. (株式会社ほげ商事)"
        assert tx.name("デロイト トーマツ").startswith("Deloitte To")  # Hepburn: Toomatsu
        assert (
            tx.name("デジタルシティ株式会社") == "Digital City Co., Ltd. (デジタルシティ株式会社)"
        )
        assert tx("経済産業省 資源エネルギー庁") == (
            "Ministry of Economy, Trade and Industry, Agency for Natural Resources and Energy"
        )
        assert tx("随意契約（その他）") == "negotiated contract (other)"
        assert tx("受取 268億1,800万円") == "[ja] 受取 268億1,800万円"  # not replaced inside
        assert format_yen_ja(26_818_000_000) == "¥26.818 billion"
        assert format_yen_short(2_939_361_285_000) == "≈¥2.939 trillion"
        assert wareki(2017) == "FY2017"
    assert yen_en(15_000_000) == "¥15 million"


def test_a_glossary_file_extends_the_shipped_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    extra = tmp_path / "mine.toml"
    extra.write_text('[organisations]\n"株式会社ほげ商事" = "Hoge Trading Co."\n', "utf-8")
    monkeypatch.setenv("FLOWVIZ_GLOSSARY", str(extra))
    glossary.cache_clear()
    try:
        with language("en"):
            assert Translator(["株式会社ほげ商事"])("株式会社ほげ商事") == "Hoge Trading Co."
    finally:
        monkeypatch.delenv("FLOWVIZ_GLOSSARY")
        glossary.cache_clear()


def test_unknown_language_is_refused():
    r = runner.invoke(app, ["render", str(EXAMPLE), "--lang", "fr"])
    assert r.exit_code == 1 and "choose ja or en" in r.output
    assert re.search(r"error:", r.output).start() >= 0


def test_tables_in_english():
    r = runner.invoke(app, ["flows", str(EXAMPLE), "--lang", "en", "-f", "json"])
    rows = json.loads(r.stdout)
    assert rows[1]["contract_method"] == "negotiated contract (other)"
    assert rows[1]["expense_item"] == "commission fees"
    assert all(not JAPANESE.search(FREE.sub("", str(v))) for row in rows for v in row.values())


def test_flags_read_in_the_pages_language(tmp_path: Path):
    from flowviz.render.report import report_html

    page = report_html(read(EXAMPLE))
    assert "FV001</span> 競争性のない随意契約: ネットワンシステムズ株式会社" in page
    with language("en"):
        english_page = report_html(read(EXAMPLE))
    assert "FV001</span> Net One Systems Co., Ltd.: non-competitive" in english_page
