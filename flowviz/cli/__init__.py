"""The ``flowviz`` command line: parse arguments, call the library, print results.

One module per group of commands (:mod:`files`, :mod:`money`, :mod:`render`, :mod:`store`,
:mod:`outputs`, :mod:`history`, :mod:`questions`, :mod:`findings`); each command parses, calls
one library function and formats. Errors of the :class:`~flowviz.exceptions.FlowvizError`
family become one line on stderr and exit status 1.

Start-up is kept short deliberately: typer builds a click command for every registered command
before running one (about 1 ms each, plus the modules' imports), so :func:`main` registers only
the module of the command asked for; ``--help``, completion and anything unknown load them all.
``from flowviz.cli import app`` (the library and the tests) always gets every command.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

#: command modules in the order their commands are listed by ``flowviz --help``
MODULES = (
    "files",
    "history",
    "money",
    "outputs",
    "render",
    "store",
    "identity",
    "questions",
    "findings",
)
#: command → its module (tests/test_architecture.py checks this against the registered commands)
COMMANDS = {
    "validate": "files",
    "info": "files",
    "flows": "files",
    "schema": "files",
    "history": "history",
    "diff": "history",
    "trace": "money",
    "payees": "money",
    "flags": "money",
    "export": "outputs",
    "report": "outputs",
    "render": "render",
    "import": "store",
    "projects": "store",
    "payee": "store",
    "download": "store",
    "datasette-metadata": "store",
    "identities": "identity",
    "registry": "identity",
    "store": "store",
    "contracts": "questions",
    "concentration": "questions",
    "indicators": "findings",
}


def load(modules: tuple[str, ...] | list[str] = MODULES) -> Any:
    """Register the commands of ``modules``; returns the typer app."""
    for m in modules:
        importlib.import_module(f"flowviz.cli.{m}")
    from flowviz.cli.common import app

    return app


def _wanted(argv: list[str]) -> list[str]:
    if any(k.endswith("_COMPLETE") for k in os.environ):
        return list(MODULES)
    first = next((a for a in argv if not a.startswith("-")), None)
    return [COMMANDS[first]] if first in COMMANDS else list(MODULES)


def main() -> None:  # pragma: no cover - entry point
    load(_wanted(sys.argv[1:]))()


def __getattr__(name: str) -> Any:
    if name == "app":
        return load()
    raise AttributeError(name)


__all__ = ["COMMANDS", "MODULES", "app", "load", "main"]
