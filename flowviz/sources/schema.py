"""The published JSON Schema of the input format (``flowviz schema``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: the package's data files; read as plain files (importlib.resources costs ~3 ms of start-up on
#: every command, and flowviz is always installed unpacked)
DATA = Path(__file__).resolve().parent.parent / "data"


def schema_text() -> str:
    return (DATA / "flowviz-v1.schema.json").read_text("utf-8")


def schema() -> dict[str, Any]:
    return json.loads(schema_text())
