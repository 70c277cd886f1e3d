"""Readers turn files into :class:`flowviz.model.FlowDocument` objects."""

from __future__ import annotations

from pathlib import Path

from flowviz.model import FlowDocument


def read(path: str | Path) -> FlowDocument:
    """Read a flow document from a file, choosing the reader by its content."""
    from flowviz.sources.flow_json import read_json

    return read_json(path)
