from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flowviz.money import format_in_unit, format_yen_ja, parse_csv_amount, to_yen


@pytest.mark.parametrize(
    ("value", "unit", "yen"),
    [
        (26818, "百万円", 26_818_000_000),
        (15, "百万円", 15_000_000),
        (Decimal("0.5"), "百万円", 500_000),
        ("12.345", "千円", 12_345),
        (3, "億円", 300_000_000),
        (7, "円", 7),
        (-24017000, "円", -24_017_000),
    ],
)
def test_to_yen_exact(value, unit, yen):
    assert to_yen(value, unit) == yen
    assert isinstance(to_yen(value, unit), int)


def test_float_is_refused():
    with pytest.raises(ValueError, match="exact number"):
        to_yen(0.1, "百万円")


@pytest.mark.parametrize("bad", ["1,000", "１５", "15円", "", "NaN", "1e3"])
def test_bad_strings(bad):
    with pytest.raises(ValueError):
        to_yen(bad, "円")


def test_csv_amounts():
    assert parse_csv_amount("3025000 ") == 3_025_000
    assert parse_csv_amount("34482000.0") == 34_482_000
    assert parse_csv_amount("-24017000") == -24_017_000
    assert parse_csv_amount("") is None


def test_readable_amounts():
    assert format_yen_ja(26_818_000_000) == "268億1,800万円"
    assert format_yen_ja(15_000_000) == "1,500万円"
    assert format_yen_ja(12_345) == "1万2,345円"
    assert format_yen_ja(-24_017_000) == "−2,401万7,000円"
    assert format_yen_ja(0) == "0円"
    assert format_in_unit(15_000_000, "百万円") == "15百万円"
    assert format_in_unit(15_500_000, "百万円") == "15.5百万円"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_readable_amount_keeps_every_yen(n):
    text = format_yen_ja(n).replace(",", "").rstrip("円")
    neg = text.startswith("−")
    text = text.lstrip("−")
    total = 0
    for unit, size in (("兆", 10**12), ("億", 10**8), ("万", 10**4)):
        if unit in text:
            q, text = text.split(unit)
            total += int(q) * size
    total += int(text or 0)
    assert (-total if neg else total) == n


@given(st.integers(min_value=0, max_value=10**8), st.sampled_from(["円", "千円", "百万円", "億円"]))
def test_unit_conversion_is_integer_multiplication(n, unit):
    factor = {"円": 1, "千円": 1000, "百万円": 10**6, "億円": 10**8}[unit]
    assert to_yen(n, unit) == n * factor
    assert to_yen(str(n), unit) == n * factor
