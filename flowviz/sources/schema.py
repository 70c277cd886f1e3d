"""The published JSON Schema of the input format (``flowviz schema``)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def schema_text() -> str:
    return resources.files("flowviz").joinpath("data/flowviz-v1.schema.json").read_text("utf-8")


def schema() -> dict[str, Any]:
    return json.loads(schema_text())
