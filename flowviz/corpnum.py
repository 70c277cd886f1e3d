"""法人番号 (Japanese corporate number) checks, the same as python-stdnum's ``stdnum.jp.cn``.

A 法人番号 has 13 digits; the first is a check digit over the other 12 (National Tax Agency
specification). flowviz adds what stdnum does not: full-width digits and a CSV ``.0`` are
normalised, the RS system's placeholder for individuals is accepted, and a wrong check digit is
reported with the digit that was expected.
"""

from __future__ import annotations

import unicodedata

#: what a 法人番号 may be written with: ASCII or full-width digits, spaces, hyphens (a
#: superscript ² or another script's digit would pass NFKC and isdigit, so it is refused here)
_DIGITS = frozenset("0123456789０１２３４５６７８９ -－\u3000.")

#: The RS system's placeholder for individuals (個人), not a real number.
INDIVIDUAL_PLACEHOLDER = "9999999999999"


def check_digit(body12: str) -> int:
    """Check digit for the last 12 digits of a 法人番号: 9 - (Σ digit × (1 or 2, from the
    right)) mod 9, as the National Tax Agency specifies and ``stdnum.jp.cn`` computes
    (tests/test_corpnum.py compares the two). Computed here because importing stdnum (its util
    module pulls in pydoc and ssl) cost more start-up than the rest of ``validate``."""
    total = sum(int(d) * (2 if i % 2 else 1) for i, d in enumerate(reversed(body12)))
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
    raw_ok = all(c in _DIGITS for c in str(number).strip())
    if not raw_ok or len(n) != 13 or not (n.isascii() and n.isdigit()):
        return f"expected 13 digits, found {number!r}"
    if n == INDIVIDUAL_PLACEHOLDER:
        return None
    if int(n[0]) != check_digit(n[1:]):
        return (
            f"check digit of {n} is {n[0]}, expected {check_digit(n[1:])} (a typo in the number?)"
        )
    return None


def is_valid(number: str) -> bool:
    """True when ``number`` is a well-formed 法人番号 with a correct check digit."""
    return problem(number) is None
