"""Exact money: units, parsing to integer yen, and readable Japanese amounts.

Amounts never pass through ``float``: JSON numbers are read as ``Decimal``
and multiplied by the unit's exact integer factor.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from flowviz.i18n import english, yen_en
from flowviz.messages import msg

UNITS: dict[str, int] = {"円": 1, "千円": 1_000, "百万円": 1_000_000, "億円": 100_000_000}
UNIT_ALIASES: dict[str, str] = {
    "yen": "円",
    "JPY": "円",
    "千": "千円",
    "thousand yen": "千円",
    "百万": "百万円",
    "million yen": "百万円",
    "億": "億円",
    "100 million yen": "億円",
}
# Largest amount accepted: 1京円 (10^16 yen), a hundred times Japan's whole budget.
MAX_YEN = 10**16
#: above this, a single amount is implausible for one line of a review sheet (the whole national
#: budget is ~110兆円): flagged as a likely unit or entry error (FV011), never changed
IMPLAUSIBLE_YEN = 50 * 10**12

_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")


def canonical_unit(unit: str) -> str:
    """Return the canonical unit name, or raise ``KeyError``."""
    u = unit.strip()
    if u in UNITS:
        return u
    return UNIT_ALIASES[u]


def to_yen(value: int | Decimal | str, unit: str = "円") -> int:
    """Convert an amount in ``unit`` to exact integer yen.

    Raises ``ValueError`` with a message for people when the value is not a
    plain number, is not finite, is out of range, or is not a whole number of yen.
    Floats are refused: they cannot carry money exactly.
    """
    factor = UNITS[canonical_unit(unit)]
    if isinstance(value, bool):
        raise ValueError(f"expected a number, found a boolean ({str(value).lower()})")
    if isinstance(value, float):
        raise ValueError(f"expected an exact number, found {type(value).__name__} {value!r}")
    if isinstance(value, int):
        dec = Decimal(value)
    elif isinstance(value, Decimal):
        dec = value
    elif isinstance(value, str):
        text = value.strip()
        if not _NUMBER.match(text):
            raise ValueError(
                f"expected a plain number such as 1234 or 12.5, found {value!r}"
                " (no commas, no full-width digits, no units)"
            )
        dec = Decimal(text)
    else:
        raise ValueError(f"expected a number, found {type(value).__name__}")
    if not dec.is_finite():
        raise ValueError(f"expected a finite number, found {value}")
    if (
        dec and not -30 <= dec.adjusted() <= 30
    ):  # before any arithmetic: no overflow, no underflow to 0
        raise ValueError(f"amount {value} {unit} is out of range; check the unit and the exponent")
    try:
        yen = dec * factor
    except InvalidOperation as exc:  # pragma: no cover - Decimal context overflow
        raise ValueError(f"amount {value} is out of range") from exc
    if yen != yen.to_integral_value():
        raise ValueError(f"{value} {unit} is not a whole number of yen")
    result = int(yen)
    if abs(result) > MAX_YEN:
        raise ValueError(f"amount {value} {unit} is larger than 10^16 yen; check the unit")
    return result


def parse_csv_amount(text: str) -> int | None:
    """Parse an RS-system CSV amount in yen: ``'3025000 '``, ``'34482000.0'``, ``''``.

    Returns ``None`` for an empty cell. A fractional part must be zero.
    """
    t = text.strip()
    if not t:
        return None
    if t.endswith(".0"):
        t = t[:-2]
    return to_yen(t, "円")


def format_int(n: int) -> str:
    """Group digits with commas: ``26818000000`` → ``26,818,000,000``."""
    return f"{n:,}"


def format_yen(n: int) -> str:
    """Exact yen with separators and unit: ``26,818,000,000円`` (English: ``¥26,818,000,000``)."""
    if english():
        return f"{'−' if n < 0 else ''}¥{abs(n):,}"
    return f"{n:,}円"


def format_yen_ja(n: int) -> str:
    """A readable exact Japanese amount: ``268億1,800万円``, ``1,500万円``, ``3,025円``.

    Every yen is kept: ``12,345円`` reads ``1万2,345円``. English: ``¥26.818 billion`` when
    three decimals hold the figure exactly, else every digit (``¥2,939,361,285,000``).
    """
    if english():
        shown = yen_en(n)
        return format_yen(n) if shown.startswith(("≈", "−≈")) else shown
    if n == 0:
        return "0円"
    sign = "−" if n < 0 else ""
    rest = abs(n)
    parts: list[str] = []
    for unit, size in (("兆", 10**12), ("億", 10**8), ("万", 10**4)):
        q, rest = divmod(rest, size)
        if q:
            parts.append(f"{q:,}{unit}")
    if rest:
        parts.append(f"{rest:,}")
    return sign + "".join(parts) + "円"


def format_yen_short(n: int) -> str:
    """A short amount for a small picture, rounded to the nearest 億 or 万 and marked 約 when
    rounded: ``402,145,128,000`` → ``約4,021億円``; exact below 1万. Integer arithmetic only;
    the exact amount stays in the tooltip and the tables. English: ``≈¥402.145 billion``."""
    if english():
        return yen_en(n)
    sign, a = ("−" if n < 0 else ""), abs(n)
    if a >= 10**12:  # three significant figures of 兆: 約2.94兆円
        q = (a * 100 + 10**12 // 2) // 10**12
        approx = "" if a * 100 % 10**12 == 0 else "約"
        return f"{sign}{approx}{q // 100}.{q % 100:02d}兆円".replace(".00兆", "兆")
    for unit, size in (("億", 10**8), ("万", 10**4)):
        if a >= size:
            q = (a + size // 2) // size
            approx = "" if a % size == 0 else "約"
            return f"{sign}{approx}{q:,}{unit}円"
    return format_yen_ja(n)


def unit_name(unit: str) -> str:
    """A sheet's unit in the document's language: 百万円, or "million yen"."""
    names = {
        "円": msg("円"),
        "千円": msg("千円"),
        "百万円": msg("百万円"),
        "億円": msg("億円"),
    }
    return names.get(canonical_unit(unit), unit) if unit in UNITS or unit in UNIT_ALIASES else unit


def format_in_unit(n: int, unit: str) -> str:
    """Show yen in a sheet's unit, exactly: ``15,000,000`` in 百万円 → ``15百万円``."""
    factor = UNITS[canonical_unit(unit)]
    q, r = divmod(abs(n), factor)
    sign = "−" if n < 0 else ""
    shown = unit_name(unit)
    space = " " if english() else ""
    if r == 0:
        return f"{sign}{q:,}{space}{shown}"
    frac = str(Decimal(r) / Decimal(factor))[1:].rstrip("0")
    return f"{sign}{q:,}{frac}{space}{shown}"


def normalise_digits(text: str) -> str:
    """Full-width to half-width (NFKC), used for identifiers, never for amounts."""
    return unicodedata.normalize("NFKC", text)


UNKNOWN_JA = "金額不明"


def unknown() -> str:
    """金額不明 in the document's language (an unpublished amount, never 0円)."""
    return msg("金額不明")


def format_amount_ja(n: int | None) -> str:
    """Like :func:`format_yen_ja`, but an unpublished amount reads 金額不明, never 0円."""
    return unknown() if n is None else format_yen_ja(n)


def format_amount(n: int | None) -> str:
    """Exact yen, or 金額不明 (not published)."""
    return unknown() if n is None else format_yen(n)


def format_rate(value: object) -> str:
    """A rate as published: ``100``, ``99.9``, ``0.33608`` — never exponent notation (``1E+2``)."""
    if value is None or value == "":
        return ""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if not d.is_finite():
        return str(d)
    text = format(d.normalize(), "f")
    return text


def parse_rate(value: object) -> Decimal | None:
    """A stored rate (REAL or text) back to an exact Decimal as published (``99.9``, ``100``)."""
    if value is None or value == "":
        return None
    return Decimal(format_rate(value))


_JA_UNITS = {"兆": 10**12, "億": 10**8, "万": 10**4, "千": 10**3}


def parse_amount_option(text: str, name: str) -> int:
    """An amount typed on the command line: ``100000000``, ``1億``, ``5000万``, ``1.5億``, ``1億円``.

    Raises :class:`~flowviz.exceptions.FlowvizError` naming the option on anything else.
    """
    from flowviz.exceptions import FlowvizError

    t = unicodedata.normalize("NFKC", text).strip().replace(",", "").removesuffix("円")
    factor = 1
    if t and t[-1] in _JA_UNITS:
        factor, t = _JA_UNITS[t[-1]], t[:-1]
    if not _NUMBER.match(t) or not t.isascii():
        raise FlowvizError(
            f"{name}: expected an amount such as 100000000, 1億 or 5000万, found {text!r}"
        )
    yen = Decimal(t) * factor
    if yen != yen.to_integral_value() or abs(yen) > MAX_YEN:
        raise FlowvizError(f"{name}: {text!r} is not a whole number of yen within 10^16")
    return int(yen)
