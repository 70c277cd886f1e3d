"""Readers turn files into :class:`flowviz.model.FlowDocument` objects."""

from __future__ import annotations

from pathlib import Path

from ..model import FlowDocument


def read(path: str | Path) -> FlowDocument:
    """Read a flow document from a file, choosing the reader by its content."""
    from .json_reader import read_json

    return read_json(path)
