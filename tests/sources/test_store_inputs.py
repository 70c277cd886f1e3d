"""Published files given to a one-file command (info, render, validate) are answered with the
advice to import them, never with a wrong complaint (encoding, missing unit)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.cli import app

from ..conftest import DATA, SHARED

runner = CliRunner()
FILES = [
    *sorted((SHARED / "rs2024").glob("5-4_*.zip")),
    *sorted((SHARED / "judgit").glob("judgit-2015.ndjson.gz")),
    *sorted((SHARED / "judgit").glob("judgit_*.json")),
    DATA / "judgit" / "0048-4347.ndjson",
    DATA / "rs" / "pid1365__5-3_RS_2024_支出先_費目・使途.csv",
]


@pytest.mark.parametrize("command", ["info", "render", "validate"])
@pytest.mark.parametrize("path", [p for p in FILES if p.exists()], ids=lambda p: p.name)
def test_published_files_are_sent_to_import(command: str, path: Path, tmp_path: Path):
    args = [command, str(path)] + (["--out", str(tmp_path)] if command == "render" else [])
    r = runner.invoke(app, args)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert f"flowviz import {path}" in r.output and len(r.output.strip().splitlines()) == 1
    assert "UTF-8" not in r.output and "unit" not in r.output
    assert not any(tmp_path.iterdir())
