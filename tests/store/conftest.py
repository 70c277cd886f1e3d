"""One imported decade store (nine JUDGIT! years + FY2024 RS) shared by every whole-decade test
module of the session: importing takes ~45 s, so it is done once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..conftest import ROOT

SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def decade_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from flowviz.store.importer import import_paths

    if os.environ.get("FLOWVIZ_DECADE_DB"):  # a store already imported from the same files
        return Path(os.environ["FLOWVIZ_DECADE_DB"])
    db = tmp_path_factory.mktemp("decade") / "flowviz.db"
    import_paths(
        db,
        sorted((SHARED / "judgit").glob("*.ndjson.gz")) + sorted((SHARED / "rs2024").glob("*.zip")),
    )
    return db
