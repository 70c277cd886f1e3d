"""The JSON walker behind the v1 reader: typed getters that collect every problem with its
JSON path, and the published schema's field names (one source of truth for what a key may be)."""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from flowviz.exceptions import Problem
from flowviz.money import to_yen
from flowviz.text import text_problem


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows; write the amount as digits")


class _Reader:
    """Walks the parsed JSON, converting values and collecting problems."""

    def __init__(self, file: str, consume: bool = False):
        self.file = file
        self.problems: list[Problem] = []
        #: drop each list item once read, so a large file's parsed JSON and its model are
        #: not both held at the peak (set by read_json, which owns the parsed data)
        self.consume = consume
        self._strings: dict[str, str] = {}

    def same(self, text: str) -> str:
        """One string object for every repeat of an id (a flow's source and target name an
        entity): a million flows then hold references, not two million copies."""
        return self._strings.setdefault(text, text)

    def error(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, message))

    def warn(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, message, "warning"))

    # -- typed getters -------------------------------------------------
    def obj(self, value: Any, where: str, fields: tuple[str, ...] = ()) -> dict[str, Any]:
        """``value`` as an object; with ``fields`` (a path into the published schema),
        unknown keys are reported as warnings so typos do not pass silently."""
        if not isinstance(value, dict):
            self.error(where, f"expected an object, found {_kind(value)}")
            return {}
        if fields:
            known = _schema_keys(fields)
            for key in value:
                if key not in known:
                    self.warn(
                        f"{where}.{key}",
                        f"unknown field {key!r} ignored; expected one of {', '.join(sorted(known))}",
                    )
        return value

    def text(self, d: dict[str, Any], key: str, where: str, required: bool = False) -> str:
        v = d.get(key)
        if v is None:
            if required:
                self.error(f"{where}.{key}", "missing required text")
            return ""
        if isinstance(v, (int, Decimal)) and not isinstance(v, bool):
            return str(v)
        if not isinstance(v, str):
            self.error(f"{where}.{key}", f"expected text, found {_kind(v)}")
            return ""
        if required and not v.strip():
            self.error(f"{where}.{key}", "expected non-empty text, found an empty string")
        why = text_problem(v)
        if why:
            self.error(f"{where}.{key}", why)
            return v.encode("utf-8", "replace").decode("utf-8").replace("\x00", " ")
        return v

    def texts(self, d: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        v = d.get(key)
        if v is None:
            return ()
        if isinstance(v, str):
            return (v,)
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            self.error(f"{where}.{key}", f"expected a list of texts, found {_kind(v)}")
            return ()
        for i, x in enumerate(v):
            why = text_problem(x)
            if why:
                self.error(f"{where}.{key}[{i}]", why)
                return ()
        return tuple(v)

    def integer(self, d: dict[str, Any], key: str, where: str) -> int | None:
        v = d.get(key)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int):
            if isinstance(v, Decimal) and v == v.to_integral_value():
                return int(v)
            self.error(f"{where}.{key}", f"expected a whole number, found {_kind(v)} {v!r}")
            return None
        return v

    def decimal(self, d: dict[str, Any], key: str, where: str) -> Decimal | None:
        v = d.get(key)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, Decimal)):
            self.error(f"{where}.{key}", f"expected a number, found {_kind(v)} {v!r}")
            return None
        return Decimal(v)

    def amount(
        self, d: dict[str, Any], key: str, where: str, unit: str, required: bool = False
    ) -> int | None:
        if key not in d or d[key] is None:
            if required:
                self.error(f"{where}.{key}", f"missing required amount (a number in {unit})")
            return None
        try:
            return to_yen(d[key], unit)
        except ValueError as exc:
            self.error(f"{where}.{key}", str(exc))
            return None


@functools.cache
def _schema_keys(path: tuple[str, ...]) -> frozenset[str]:
    """Property names at ``path`` in the published JSON Schema (one source of truth)."""
    from flowviz.sources.schema import schema

    node = schema()
    for step in path:
        if step != "$":  # "$" is the document root
            node = node["items"] if step == "[]" else node["properties"][step]
    return frozenset(node.get("properties", {}))


def _kind(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, (int, Decimal)):
        return "a number"
    if isinstance(v, str):
        return "text"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "an object"
    return type(v).__name__
