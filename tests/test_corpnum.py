import pytest
from hypothesis import given
from hypothesis import strategies as st

from flowviz import corpnum


@pytest.mark.parametrize(
    "number", ["3010005022218", "7010701007922", "8010401024011", "３０１０００５０２２２１８"]
)
def test_real_numbers_are_valid(number):
    assert corpnum.is_valid(number)


def test_wrong_check_digit_says_expected():
    assert "expected 3" in corpnum.problem("4010005022218")


@pytest.mark.parametrize("bad", ["301000502221", "30100050222180", "30100050222AB", ""])
def test_malformed(bad):
    assert "expected 13 digits" in corpnum.problem(bad)


def test_individual_placeholder_is_accepted():
    assert corpnum.is_valid("9999999999999")


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_exactly_one_check_digit_is_valid(body):
    valid = [d for d in "123456789" if corpnum.is_valid(d + body)]
    assert valid == [str(corpnum.check_digit(body))]


def test_the_check_digit_is_stdnums():
    """flowviz computes the check digit itself (start-up); python-stdnum is the reference."""
    import random

    from stdnum.jp import cn

    rng = random.Random(25)
    for _ in range(20_000):
        number = "".join(rng.choice("0123456789") for _ in range(13))
        assert corpnum.is_valid(number) == cn.is_valid(number) or number == "9999999999999"
        assert corpnum.check_digit(number[1:]) == int(cn.calc_check_digit(number[1:]))
