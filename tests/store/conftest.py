"""The decade store of the session (tests/conftest.py ``decade_store``), under the name the
lineage and over-time tests use: one import of nine JUDGIT! years + FY2024 for every module."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def decade_db(decade_store: Path) -> Path:
    return decade_store
