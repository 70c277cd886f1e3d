"""The English picture, report, flags and history of 0048 and 7259 hold no romanised flowviz
sentence (compared with the catalogue: the reading our romaniser would give each Japanese
message), no Japanese outside organisations' originals and marked free text, and the
glossary's official names."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.cli import app
from flowviz.i18n import glossary, romanise
from flowviz.messages import catalogue
from flowviz.sources import read
from flowviz.sources.rs_csv import read_files
from flowviz.store.db import import_files

from ..conftest import DATA, EXAMPLE
from .test_english import FREE, japanese_left

runner = CliRunner()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Projects 1, 11 and 7259 of FY2024, as published (tests/data/rs)."""
    db = tmp_path_factory.mktemp("en") / "flowviz.db"
    import_files(db, read_files(sorted((DATA / "rs").glob("sample_pid1_11_7259__*.csv"))))
    return db


#: kana and kanji: what a romaniser reads
WORDS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]+")


def romanised_messages() -> set[str]:
    """What a romaniser would make of every Japanese run (3+ characters) of the catalogue's
    keys: two words or more, so a single common word cannot match by chance."""
    out = set()
    for key in catalogue():
        for run in WORDS.findall(key):
            reading = romanise(run)
            if len(run) >= 3 and len(reading.split()) >= 2:
                out.add(reading)
    return out


def check(text: str, names: list[str], official: list[str]) -> None:
    assert japanese_left(text, names) == []
    plain = FREE.sub("", text)
    assert [r for r in romanised_messages() if r in plain] == []
    missing = [en for en in official if en not in html.unescape(text)]
    assert missing == []


def outputs(args: list[str], tmp: Path) -> dict[str, str]:
    for cmd in (["render", "--format", "svg,html"], ["report"]):
        r = runner.invoke(app, [*cmd, *args, "--lang", "en", "--out", str(tmp)])
        assert r.exit_code == 0, r.output
    flags = runner.invoke(app, ["flags", *args, "--lang", "en", "-f", "json"])
    assert flags.exit_code == 0, flags.output
    files = {f.name: f.read_text("utf-8") for f in sorted(tmp.iterdir())}
    # "figures" are the published values that triggered a flag, as published (machine-readable)
    said = [{k: v for k, v in f.items() if k != "figures"} for f in json.loads(flags.stdout)]
    return {**files, "flags.json": json.dumps(said, ensure_ascii=False)}


def official_names(names: list[str]) -> list[str]:
    orgs = glossary()["organisations"]
    return [orgs[n] for n in names if n in orgs]


def test_0048_in_english(tmp_path: Path):
    doc = read(EXAMPLE)
    names = [e.name for e in doc.entities]
    for name, text in outputs([str(EXAMPLE)], tmp_path).items():
        check(text, names, official_names(names) if name.endswith(".svg") else [])


def test_7259_and_its_history_in_english(sample: Path, tmp_path: Path):
    from flowviz.store.db import connect
    from flowviz.store.rs_document import document_from_store

    with connect(sample) as con:
        doc = document_from_store(con, 2024, "7259")
    names = [e.name for e in doc.entities]
    names += [e.block_name.removesuffix("ほか") for e in doc.entities if e.block_name]
    official = official_names(names) + ["Agency for Natural Resources and Energy"]
    args = ["-p", "7259", "--db", str(sample)]
    for name, text in outputs(args, tmp_path).items():
        check(text, names, official if name.endswith((".svg", ".report.html")) else [])
    r = runner.invoke(
        app,
        [
            "report",
            "--history",
            "7259",
            "--db",
            str(sample),
            "--lang",
            "en",
            "--out",
            str(tmp_path / "h"),
        ],
    )
    assert r.exit_code == 0, r.output
    (page,) = (tmp_path / "h").iterdir()
    text = page.read_text("utf-8")
    check(text, names, official_names(names))
    assert '<html lang="en">' in text and re.search(r"Money flow by year", text)
