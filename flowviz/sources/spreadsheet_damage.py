"""Cells a spreadsheet changed when the file was opened and saved again: a 法人番号 shown in
exponent notation (``2.36E+12``, its last digits lost) and amounts with thousands separators
(``1,234,000``, the display format saved as text). Such a file is refused with the line and
column, never imported with a guessed value."""

from __future__ import annotations

import re

_EXPONENT = re.compile(r"[+-]?\d+(\.\d*)?[eE][+-]?\d+")
_SEPARATED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")


def is_exponent(value: str) -> bool:
    """``2.36E+12``: a number a spreadsheet displayed in exponent notation."""
    return _EXPONENT.fullmatch(value.strip()) is not None


def damage_hint(value: str, typ: str) -> str:
    """What a spreadsheet did to ``value`` (for a column of type ``typ``), or ``""``."""
    if typ == "corpnum" and is_exponent(value):
        return (
            "; a spreadsheet turned the 法人番号 into exponent notation and lost its digits:"
            " use the file as published, or format the column as text before saving"
        )
    if typ in ("yen", "int") and _SEPARATED.fullmatch(value.strip()):
        return (
            "; thousands separators come from a spreadsheet's display format:"
            " use the file as published, or save the column as plain numbers"
        )
    return ""
