"""flowviz: see where public money goes.

Read funding chains (review sheets, RS-system open data, any money flow),
model them as a graph, trace them, and draw them as Sankey and DOT diagrams.

>>> import flowviz
>>> doc = flowviz.read("examples/0048.json")      # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flowviz.exceptions import FlowDataError, FlowvizError, RendererNotFound
    from flowviz.model import Contract, Entity, Flow, FlowDocument, Project

__version__ = "0.1.0"

#: the names re-exported here, imported when first used: ``flowviz --version`` and commands
#: that never build a document do not pay for the model's dataclasses at start-up
_LAZY = {
    "FlowDataError": "flowviz.exceptions",
    "FlowvizError": "flowviz.exceptions",
    "RendererNotFound": "flowviz.exceptions",
    "Contract": "flowviz.model",
    "Entity": "flowviz.model",
    "Flow": "flowviz.model",
    "FlowDocument": "flowviz.model",
    "Project": "flowviz.model",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'flowviz' has no attribute {name!r}")


def load(path=None, **kwargs):  # noqa: ANN001, ANN201 - re-exported with its own signature
    """Load a file or a store project as a :class:`flowviz.notebook.FlowView` (see its docs)."""
    from flowviz.notebook import load as _load

    return _load(path, **kwargs)


def history(project: str, **kwargs):  # noqa: ANN003, ANN201 - re-exported with its own signature
    """One project across the years from the store (see :func:`flowviz.notebook.history`)."""
    from flowviz.notebook import history as _history

    return _history(project, **kwargs)


def read(path: str) -> FlowDocument:
    """Read and validate a flow document (JSON v1)."""
    from flowviz.sources import read as _read

    return _read(path)


__all__ = [
    "Contract",
    "Entity",
    "Flow",
    "FlowDataError",
    "FlowDocument",
    "FlowvizError",
    "Project",
    "RendererNotFound",
    "history",
    "load",
    "read",
    "__version__",
]
