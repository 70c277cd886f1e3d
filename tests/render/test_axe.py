"""The light page, the report, the history page and the findings page pass axe-core (npm) in
headless Chromium with no violations, in Japanese and in English. axe's promise resolving is
the event the probe waits for."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.cli import app

from ..browser import AXE, axe_violations, chromium
from ..conftest import EXAMPLE
from .test_english_documents import sample  # noqa: F401  (projects 1, 11 and 7259 of FY2024)

runner = CliRunner()

pytestmark = pytest.mark.skipif(
    not AXE.is_file(), reason="axe-core is not installed: run ./bootstrap.sh test (npm install)"
)


def _pages(args: list[str], out: Path) -> list[Path]:
    r = runner.invoke(app, [*args, "--out", str(out)])
    assert r.exit_code == 0, r.output
    return sorted(p for p in out.iterdir() if p.suffix == ".html")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_pages_pass_axe(sample: Path, tmp_path: Path, lang: str):  # noqa: F811
    chromium()
    db = ["--db", str(sample), "--lang", lang]
    pages = [
        *_pages(["render", str(EXAMPLE), "--format", "html", "--lang", lang], tmp_path / "light"),
        *_pages(["report", str(EXAMPLE), "--lang", lang], tmp_path / "report"),
        *_pages(["report", "--history", "7259", *db], tmp_path / "history"),
        *_pages(["report", "--findings", "--ministry", "経済産業省", *db], tmp_path / "findings"),
    ]
    assert len(pages) == 4
    found = {p.name: axe_violations(p) for p in pages}
    assert {name: v for name, v in found.items() if v} == {}
