"""Numbers in JSON read exactly and within bounds.

Why: a 36 KB file with ``award_rate_pct: 1E+999999`` was valid, and its CSV export wrote 190 MB
of digits. Every figure flowviz reads is far inside 10^±30 (the largest budget is ~10^14 yen),
so a number whose exponent is beyond that is refused where it is read, naming its place.
"""

from __future__ import annotations

from decimal import Decimal

MAX_EXPONENT = 30


class AbsurdNumber(ValueError):
    """A number literal whose size no figure here can have; ``literal`` is its text."""

    def __init__(self, literal: str):
        self.literal = literal
        shown = literal if len(literal) <= 24 else literal[:24] + "…"
        super().__init__(
            f"the number {shown} is out of range (expected a figure within 10^±{MAX_EXPONENT})"
        )


def exact_number(literal: str) -> Decimal:
    """``parse_float`` for :func:`json.loads`: a Decimal, or :class:`AbsurdNumber`."""
    d = Decimal(literal)
    if d and not -MAX_EXPONENT <= d.adjusted() <= MAX_EXPONENT:
        raise AbsurdNumber(literal)
    return d


def line_of(text: str, literal: str) -> str:
    """``line N`` where ``literal`` first stands in ``text`` (for the error's place)."""
    at = text.find(literal)
    return f"line {text.count(chr(10), 0, at) + 1}" if at >= 0 else "$"
