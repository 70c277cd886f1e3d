"""法人番号 (Japanese corporate number) validation.

A 法人番号 has 13 digits; the first is a check digit:
``9 - (Σ digit × weight mod 9)`` over the other 12 digits, with weights
1, 2, 1, 2 … counted from the right (National Tax Agency specification).
"""

from __future__ import annotations

import unicodedata

#: The RS system's placeholder for individuals (個人), not a real number.
INDIVIDUAL_PLACEHOLDER = "9999999999999"


def check_digit(body12: str) -> int:
    """Check digit for the last 12 digits of a 法人番号."""
    total = sum(int(d) * (1 if i % 2 == 0 else 2) for i, d in enumerate(reversed(body12)))
    return 9 - total % 9


def normalise(number: str) -> str:
    """Strip spaces and hyphens, convert full-width digits, drop a CSV ``.0``."""
    text = unicodedata.normalize("NFKC", str(number)).strip().replace("-", "").replace(" ", "")
    if text.endswith(".0"):
        text = text[:-2]
    return text


def problem(number: str) -> str | None:
    """Return why ``number`` is not a valid 法人番号, or ``None`` when it is."""
    n = normalise(number)
    if len(n) != 13 or not n.isdigit():
        return f"expected 13 digits, found {number!r}"
    if n == INDIVIDUAL_PLACEHOLDER:
        return None
    expected = check_digit(n[1:])
    if int(n[0]) != expected:
        return f"check digit of {n} is {n[0]}, expected {expected} (a typo in the number?)"
    return None


def is_valid(number: str) -> bool:
    """True when ``number`` is a well-formed 法人番号 with a correct check digit."""
    return problem(number) is None
