"""The ``flowviz`` command line: parse arguments, call the library, print results.

One module per group of commands (:mod:`files`, :mod:`money`, :mod:`render`, :mod:`store`,
:mod:`outputs`); each command parses, calls one library function and formats. Errors of the
:class:`~flowviz.exceptions.FlowvizError` family become one line on stderr and exit status 1.
"""

from __future__ import annotations

from flowviz.cli import files, findings, history, money, outputs, questions, render, store  # noqa: F401  (registers commands)
from flowviz.cli.common import app


def main() -> None:  # pragma: no cover - entry point
    app()


__all__ = ["app", "main"]
