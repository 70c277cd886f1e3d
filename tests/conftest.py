from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EXAMPLE = ROOT / "examples" / "0048.json"


@pytest.fixture
def example_path() -> Path:
    return EXAMPLE


@pytest.fixture
def example_doc():
    from flowviz.sources import read

    return read(EXAMPLE)


SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def decade_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole decade imported once per test session: every old-format year (JUDGIT!
    2015–2023) and FY2024 (RS ZIPs). Skips when ../shared/data is not beside the checkout."""
    if not (SHARED / "judgit").is_dir() or not (SHARED / "rs2024").is_dir():
        pytest.skip("../shared/data not present")

    from flowviz.store.importer import import_paths

    db = tmp_path_factory.mktemp("decade") / "flowviz.db"
    import_paths(
        db,
        sorted((SHARED / "judgit").glob("*.ndjson.gz")) + sorted((SHARED / "rs2024").glob("*.zip")),
    )
    return db
