"""What a user types to name a project or ministry: a conflicting --year is an error, and a
near miss is answered with the close matches the store holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.cli import app
from flowviz.store.importer import import_paths

from ..conftest import DATA

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("suggest") / "flowviz.db"
    files = sorted((DATA / "rs").glob("sample_pid1_11_7259__*.csv"))
    import_paths(db, [*files, DATA / "judgit" / "0048-4347.ndjson"])
    return db


def info(db: Path, *args: str) -> str:
    r = runner.invoke(app, ["info", *args, "--db", str(db)])
    assert r.exit_code == 1 and "Traceback" not in r.output, r.output
    assert len(r.output.strip().splitlines()) == 1
    return r.output


def test_a_year_that_conflicts_with_the_sheet_key_is_an_error(db: Path):
    out = info(db, "--project", "2017:総務省:0048", "--year", "2018")
    assert "--year 2018 conflicts with the sheet key 2017:総務省:0048" in out


def test_near_misses_get_did_you_mean(db: Path):
    assert "did you mean 2017:総務省:0048" in info(db, "--project", "2017:総務相:0048")
    out = info(db, "--project", "0048")  # an old-format 事業番号 given as an RS id
    assert "old-format sheets numbered 0048: 2017:総務省:0048" in out
    r = runner.invoke(
        app, ["render", "--ministry", "経済産業相", "--year", "2024", "--db", str(db)]
    )
    assert r.exit_code == 1 and "did you mean 経済産業省?" in r.output


def test_full_width_project_ids_are_read(db: Path):
    r = runner.invoke(app, ["info", "--project", "７２５９", "--db", str(db)])
    assert r.exit_code == 0 and "7259" in r.output
