"""Files that belong in the store, not in a one-file command: the RS system's ZIPs and CSVs,
old-format NDJSON (plain or gzip) and JUDGIT! sheet JSON. ``info``, ``render`` and ``validate``
read flowviz's own JSON; given one of these they say to import it, instead of a misleading
complaint about its encoding or a missing unit."""

from __future__ import annotations

from typing import Any

_THEN = " (flowviz projects lists what it holds)"


def _import(name: str, what: str) -> str:
    return f"{what}: import it into the store with `flowviz import {name}`, then use --project ID{_THEN}"


def file_advice(raw: bytes, name: str) -> str:
    """Why ``raw`` is a file to import (and how), or ``""`` for anything else."""
    head = raw[:64].removeprefix(b"\xef\xbb\xbf")
    if raw[:4] == b"PK\x03\x04":
        return _import(name, "a ZIP file, as the RS system publishes its CSVs")
    if raw[:2] == b"\x1f\x8b":
        return _import(name, "a gzip file (old-format sheets as NDJSON?)")
    if head.startswith("シート種別,".encode()):
        return _import(name, "an RS-system CSV file")
    if name.lower().endswith((".ndjson", ".jsonl")):
        return _import(name, "an NDJSON file of old-format sheets")
    return ""


def sheet_advice(data: Any, name: str) -> str:
    """Why parsed JSON ``data`` is an old-format review sheet (JUDGIT!), or ``""``."""
    if (
        isinstance(data, dict)
        and "支出先" in data
        and "事業番号" in data
        and "entities" not in data
    ):
        return _import(name, "an old-format review sheet (JUDGIT! JSON), not a flowviz document")
    return ""
