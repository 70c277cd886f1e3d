"""The node order: the integer programme against brute force on random small layered graphs
(every order enumerated), the crossing count against a pair-by-pair count, and the reader's
rule (fewest crossings first; then その他 and unknown last; then preference order)."""

from __future__ import annotations

import random
from itertools import combinations, permutations, product
from math import factorial, prod

import pytest

from flowviz.render.crossings import inversions
from flowviz.render.exact_order import solve_exact
from flowviz.render.order_problem import NAMED, OTHERS, UNKNOWN, OrderProblem, cost
from flowviz.render.ordering import adjacent_swaps, best_order, sweeps


def random_problem(seed: int) -> OrderProblem:
    """3–4 columns of 1–4 nodes, random bands between adjacent (and sometimes farther) columns,
    integer weights 1–9, and a few nodes in the その他 or unknown tier."""
    rng = random.Random(seed)
    while True:  # at most 1,728 orders to enumerate, so brute force stays quick
        sizes = [rng.randint(1, 4) for _ in range(rng.randint(3, 4))]
        if prod(factorial(k) for k in sizes) <= 1728:
            break
    columns = [[f"c{c}n{i}" for i in range(k)] for c, k in enumerate(sizes)]
    bands: dict[tuple[str, str], int] = {}
    for c in range(len(columns) - 1):
        for t in columns[c + 1]:
            for s in rng.sample(columns[c], rng.randint(1, len(columns[c]))):
                bands[s, t] = rng.randint(1, 9)
        if c + 2 < len(columns) and rng.random() < 0.5:
            bands[rng.choice(columns[c]), rng.choice(columns[c + 2])] = rng.randint(1, 9)
    tier = {n: rng.choice((NAMED, NAMED, NAMED, OTHERS, UNKNOWN)) for col in columns for n in col}
    for col in columns:  # preference order lists the tiers top to bottom
        col.sort(key=lambda n: tier[n])
    return OrderProblem(columns, bands, tier)


def brute_force(p: OrderProblem) -> tuple[int, int]:
    """The best (weighted crossings, buckets above named organisations) over every order of
    every column: the reader's rule, by enumeration."""
    options = [[list(o) for o in permutations(col)] for col in p.columns]
    return min(
        (cost(p, list(cols))[1], p.tier_inversions(list(cols))) for cols in product(*options)
    )


@pytest.mark.parametrize("seed", range(40))
def test_the_integer_programme_matches_brute_force(seed: int):
    p = random_problem(seed)
    res = solve_exact(p)
    assert res is not None and res.optimal
    assert sorted(map(sorted, res.columns)) == sorted(map(sorted, p.columns))
    best = brute_force(p)
    assert (cost(p, res.columns)[1], p.tier_inversions(res.columns)) == best
    assert res.bound == best[0]


@pytest.mark.parametrize("seed", range(40))
def test_the_certificate_is_honest(seed: int):
    p = random_problem(seed)
    start = [list(c) for c in p.columns]
    cols, cert = best_order(p, start)
    assert (cert.crossings, cert.weighted) == cost(p, cols)
    assert cert.weighted <= cost(p, start)[1]  # never worse than the one pass
    assert cert.bound is not None and cert.bound <= cert.weighted == brute_force(p)[0]


@pytest.mark.parametrize("seed", range(20))
def test_the_heuristic_never_worsens(seed: int):
    p = random_problem(seed)
    start = [list(reversed(c)) for c in p.columns]
    for cols in (sweeps(p, start), adjacent_swaps(p, start)):
        assert cost(p, cols)[1] <= cost(p, start)[1]
    settled = adjacent_swaps(p, start)
    if cost(p, settled) == cost(p, start):
        assert p.tier_inversions(settled) <= p.tier_inversions(start)


def test_inversions_count_every_crossing_pair():
    rng = random.Random(7)
    bands = [(rng.randint(0, 5), rng.randint(0, 5), rng.randint(1, 9)) for _ in range(60)]
    pairs = [
        (a, b)
        for a, b in combinations(bands, 2)
        if (a[0] - b[0]) * (a[1] - b[1]) < 0  # strictly opposite orders at the two ends
    ]
    assert inversions(bands) == (len(pairs), sum(a[2] * b[2] for a, b in pairs))


def test_ties_follow_the_preference_order():
    """Two payers that cross nothing either way stay in preference (amount) order."""
    p = OrderProblem([["m"], ["big", "small"]], {("m", "big"): 5, ("m", "small"): 1})
    res = solve_exact(p)
    assert res is not None and res.columns == [["m"], ["big", "small"]]


def test_a_bucket_goes_last_where_that_crosses_nothing():
    p = OrderProblem(
        [["m"], ["x", "others"]], {("m", "others"): 9, ("m", "x"): 3}, {"others": OTHERS}
    )
    cols, cert = best_order(p, [["m"], ["others", "x"]])
    assert cols[1] == ["x", "others"] and cert.weighted == 0


def test_crossings_win_over_a_bucket_at_the_bottom():
    """a pays x and the bucket, b pays the bucket and y: with the bucket last, some bands must
    cross; in the middle, none do. The written rule: crossings win, the bucket moves up."""
    p = OrderProblem(
        [["a", "b"], ["x", "y", "others"]],
        {("a", "x"): 3, ("a", "others"): 3, ("b", "others"): 3, ("b", "y"): 3},
        {"others": OTHERS},
    )
    assert brute_force(p) == (0, 1)
    res = solve_exact(p)
    assert res is not None and res.optimal
    assert cost(p, res.columns)[1] == 0 and res.columns[1][1] == "others"
