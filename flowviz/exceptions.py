"""One error hierarchy for flowviz.

Every error subclasses a built-in so callers can catch ``ValueError`` or
``RuntimeError`` without knowing flowviz, and every message says what is
wrong, where, and how to fix it. The CLI prints ``str(error)`` on one line
and exits with status 1.
"""

from __future__ import annotations

from dataclasses import dataclass


class FlowvizError(Exception):
    """Base class of every error flowviz raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One finding about an input: an error (the input is unusable) or a warning.

    ``where`` is a JSON path (``$.flows[2].amount``) or a CSV place
    (``line 14, column 金額``).
    """

    file: str
    where: str
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        place = f"{self.file}: {self.where}" if self.where else self.file
        return f"{place}: {self.severity}: {self.message}"

    def located(self) -> str:
        """``file: place: message`` — for one-line errors that say "error:" once already."""
        place = f"{self.file}: {self.where}" if self.where else self.file
        return f"{place}: {self.message}" if place else self.message


class FlowDataError(FlowvizError, ValueError):
    """The input data is not a valid money flow.

    Carries every :class:`Problem` found, so ``flowviz validate`` can list
    them all while ``str()`` stays one line for the CLI.
    """

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("", "", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        errors = [p for p in self.problems if p.severity == "error"] or self.problems
        # one "error:" per message: the CLI's own prefix says it, so the problem's is left out
        first = errors[0].located() if errors else "invalid data"
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        super().__init__(first + more)


class UnitError(FlowDataError):
    """An amount or unit that cannot be turned into exact integer yen."""


class EntityNotFound(FlowvizError, LookupError):
    """A name, id or 法人番号 given on the command line matches no entity."""


class RenderTooLarge(FlowvizError, ValueError):
    """A graph too large to read as one picture; the message says how to narrow it."""


class RendererNotFound(FlowvizError, RuntimeError):
    """An external program a renderer needs (``dot``, ``chromium``) is missing."""


class OutputError(FlowvizError, OSError):
    """An output file could not be written safely."""


class StoreError(FlowvizError, RuntimeError):
    """The local SQLite store is missing, locked or of an unknown layout."""


class OptionError(FlowvizError, ValueError):
    """An option's value is not one flowviz knows (a --kind, --sort or --by); says the choices."""
