"""The decade store of the session (tests/conftest.py ``decade_store``), under the name the
lineage and over-time tests use: one import of nine JUDGIT! years + FY2024 for every module.
``FLOWVIZ_DECADE_DB`` names a store already imported from the same files (for working on one
test without importing again)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..conftest import ROOT

SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def decade_db(request: pytest.FixtureRequest) -> Path:
    if os.environ.get("FLOWVIZ_DECADE_DB"):
        return Path(os.environ["FLOWVIZ_DECADE_DB"])
    return request.getfixturevalue("decade_store")
