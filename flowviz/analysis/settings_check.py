"""The indicator settings file, checked at its edge: each key with its type and range.

Why: ``fence_k = "abc"``, ``nan`` or a table where a number belongs ended in "internal error"
deep in the arithmetic. Every value is checked here and a bad one is one line naming the file,
the key and what was expected.
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path
from typing import Any

from flowviz.exceptions import OptionError
from flowviz.money import MAX_YEN

#: key → (kind, low, high): "number" (int or float, finite), "int", "bool", "grades"
RULES: dict[str, tuple[str, Any, Any]] = {
    "fence_k": ("number", Decimal(0), Decimal(100)),
    "min_sample": ("int", 1, 1_000_000),
    "condition_on_kind": ("bool", None, None),
    "reason_required_yen": ("int", 0, MAX_YEN),
    "high_award_rate_pct": ("number", Decimal(0), Decimal(100)),
    "control_limit_pct": ("number", Decimal(50), Decimal("99.9999")),
    "grades": ("grades", 0, 2),
}
MAX_SETTINGS_BYTES = 1 << 20


def _bad(path: str | Path, key: str, expected: str, value: Any) -> OptionError:
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:40] + "…"
    return OptionError(f"{path}: key {key!r}: expected {expected}, found {shown}")


def checked(path: str | Path, key: str, value: Any) -> Any:
    """``value`` of ``key`` converted to what Settings holds, or a one-line error."""
    kind, low, high = RULES[key]
    if kind == "bool":
        if not isinstance(value, bool):
            raise _bad(path, key, "true or false", value)
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise _bad(path, key, f"a whole number from {low:,} to {high:,}", value)
        return value
    if kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and isinstance(value, float) and not math.isfinite(value):
            ok = False
        number = Decimal(str(value)) if ok else None
        if number is None or not low <= number <= high or (key == "fence_k" and number == 0):
            raise _bad(path, key, f"a number above {low} and at most {high}", value)
        return number
    if not isinstance(value, dict) or not 0 < len(value) <= 1000:
        raise _bad(path, key, "a table of 契約方式 prefix = grade (0, 1 or 2)", value)
    for prefix, grade in value.items():
        if not prefix.strip() or len(prefix) > 200:
            raise _bad(
                path, f"grades.{prefix[:40]}", "a 契約方式 prefix of 1–200 characters", prefix
            )
        if isinstance(grade, bool) or not isinstance(grade, int) or not low <= grade <= high:
            raise _bad(path, f"grades.{prefix}", "a grade 0, 1 or 2", grade)
    return tuple((str(k), int(v)) for k, v in value.items())
