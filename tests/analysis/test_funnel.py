"""Funnel limits allow for the sample size; zero-inflated shares are judged by size apart;
budget classes; the why sentence names the figures."""

from __future__ import annotations

from decimal import Decimal

from scipy.stats import binom

from flowviz.analysis.budget_indicators import basis, budget_class, budget_indicators
from flowviz.analysis.funnel import share_limits, share_population
from flowviz.analysis.judging import Measured, judge
from flowviz.analysis.why import why
from flowviz.model import Contract, is_non_competitive


def _units(extra: dict[str, tuple[int, int]]) -> dict[tuple, Measured]:
    counts = {f"u{i}": (20 + i % 3, 100) for i in range(20)} | extra
    return {(u,): Measured((u,), Decimal(h) * 100 / n, n, hits=h) for u, (h, n) in counts.items()}


def test_a_small_unit_needs_more_than_a_large_one_to_stand_out():
    rows = judge(
        "x", "high", "ministry", _units({"small": (3, 5), "large": (300, 500)}), 5, "funnel-share"
    )
    by = {r["unit"]: r for r in rows}
    assert by["small"]["value"] == by["large"]["value"] == 60
    assert not by["small"]["flagged"] and by["large"]["flagged"]
    assert by["small"]["upper"] > by["large"]["upper"]
    assert by["large"]["upper"] < 100 and by["large"]["expected"] is not None


def test_without_over_dispersion_the_limit_is_the_binomial_quantile():
    pop = share_population([(10, 100)] * 10)
    assert pop and pop.tau2 == 0 and pop.target == 0.1
    assert share_limits(100, pop) == (
        int(binom(100, 0.1).ppf(0.001)),
        int(binom(100, 0.1).ppf(0.999)),
    )


def test_one_definition_of_non_competitive():
    for method, sole in (
        ("随意契約（その他）", True),
        ("随意契約（少額）", False),
        ("随意契約（企画競争）", False),
        ("随意契約（公募）", False),
        ("一般競争契約（最低価格）", False),
        ("", False),
    ):
        assert is_non_competitive(method) is sole
        assert Contract(method=method).is_non_competitive is sole


def _budget(pid: str, **kw) -> dict:
    base = dict(
        ministry="m",
        project_id=pid,
        project=f"p{pid}",
        initial=100,
        supplementary=0,
        carried_in=0,
        reserve=0,
        total=100,
        executed=90,
        carried_over=0,
        source="2-1",
    )
    return base | kw


def test_budget_classes_and_the_gross_basis():
    assert budget_class(_budget("1", project="地域基金事業")) == "fund"
    assert budget_class(_budget("2", supplementary=60)) == "supplementary"
    assert budget_class(_budget("3", multi_year=1)) == "multi-year"
    assert budget_class(_budget("4")) == "ordinary"
    old = _budget("5", total=80, carried_over=-20, supplementary=None, source="old-format x")
    assert basis(old) == (100, 20)  # old-format 計 is net of the carry-over


def test_carry_over_is_judged_by_size_among_those_that_carry_over():
    rows = [_budget(str(i)) for i in range(40)]
    rows += [_budget(f"c{i}", carried_over=5 + i) for i in range(12)]
    rows += [
        _budget("big", carried_over=99),
        _budget("supp", supplementary=100, total=200, initial=100, carried_over=200),
    ]
    out = [r for r in budget_indicators(rows) if r["indicator"] == "carried_over_pct"]
    by = {r["unit"].split(" / ")[1]: r for r in out}
    assert "0" not in by  # nothing carried over: judged only by occurrence
    assert by["big"]["flagged"] and not by["supp"]["flagged"]
    assert by["supp"]["condition"] == "supplementary"
    assert why(by["big"]) == (
        "99.00 % is above the fence of 29.43 % among the 13 ordinary projects where it occurs"
        " (median 11.00 %)."
    )
    assert (
        why(by["big"], "ja")
        == "99.00%は、該当のある通常の13事業の中で境界29.43%を超える（中央値11.00%）。"
    )


def test_why_a_share_is_flagged_in_either_language():
    rows = judge("one_bidder_pct", "high", "ministry", _units({"L": (300, 500)}), 5, "funnel-share")
    (row,) = [r for r in rows if r["flagged"]]
    assert why(row) == (
        "300 of 500 (60.00 %) against 28.76 % for all 21 units: above the upper limit of"
        " 50.40 % that a sample of 500 allows."
    )
    assert (
        why(row, "ja")
        == "500件中300件（60.00%）。全21単位の28.76%に対し、この件数で許される上限50.40%を超える。"
    )
