"""Control limits that allow for a unit's sample size: funnel plots after Spiegelhalter.

A share over 5 contracts varies far more by chance than one over 500, so a unit is judged
against what its own sample size allows around the population's rate, not against one fence
for all (Spiegelhalter, "Funnel plots for comparing institutional performance", Stat Med
24:1185–1202, 2005; and "Handling over-dispersion of performance indicators", BMJ Qual Saf
14:347–351, 2005).

- Target: the pooled rate of the population, Σ hits ÷ Σ sample.
- Over-dispersion: real units differ by more than chance. The z-scores against the target are
  winsorised at their 10th and 90th percentiles (``statistics.quantiles(n=10,
  method="inclusive")``), φ = mean of their squares, and where I·φ > I − 1 the between-unit
  variance τ² = (I·φ − (I − 1)) ÷ (Σw − Σw² ÷ Σw), w = 1 ÷ s² (an additive random effect).
- Limits for shares: the 0.1 % and 99.9 % points (Spiegelhalter's 99.8 % limits) of the
  count a unit of sample n would show — binomial when τ² = 0, else beta-binomial with the
  target as mean and τ² as the variance of the true rates. Exact and discrete, so a unit of
  5 contracts needs far more to stand out than one of 500, and the limit of a large unit lies
  below 100 %.
- Limits for means (procedure grade): target ± z(99.9 %) × √(σ² ÷ n + τ²), σ² the variance of
  the population's items.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist, pvariance, quantiles

from scipy.stats import betabinom, binom

#: one-sided tail of the control limits (Spiegelhalter's 99.8 % two-sided limits)
TAIL = 0.001


@dataclass(frozen=True)
class Population:
    """The target and the spread a unit is judged against."""

    target: float  # pooled rate (0–1) or mean
    tau2: float  # between-unit variance beyond chance (0: none)
    phi: float  # over-dispersion ratio of the winsorised z-scores
    units: int
    item_var: float = 0.0  # σ² of the items (means only)


def over_dispersion(ys: list[float], variances: list[float], target: float) -> tuple[float, float]:
    """(φ, τ²) from winsorised z-scores, DerSimonian–Laird style (Spiegelhalter 2005)."""
    pairs = [(y, v) for y, v in zip(ys, variances, strict=True) if v > 0]
    if len(pairs) < 3:
        return 1.0, 0.0
    z = [(y - target) / math.sqrt(v) for y, v in pairs]
    deciles = quantiles(z, n=10, method="inclusive")
    lo, hi = deciles[0], deciles[-1]
    units = len(z)
    phi = sum(min(max(x, lo), hi) ** 2 for x in z) / units
    if units * phi <= units - 1:
        return phi, 0.0
    w = [1 / v for _, v in pairs]
    return phi, (units * phi - (units - 1)) / (sum(w) - sum(x * x for x in w) / sum(w))


def share_population(counts: list[tuple[int, int]]) -> Population | None:
    """The pooled rate and τ² of units given as (hits, sample); None without any sample."""
    counts = [(h, n) for h, n in counts if n]
    total = sum(n for _, n in counts)
    if not total:
        return None
    p0 = sum(h for h, _ in counts) / total
    ys = [h / n for h, n in counts]
    phi, tau2 = over_dispersion(ys, [p0 * (1 - p0) / n for _, n in counts], p0)
    return Population(p0, tau2, phi, len(counts))


def share_limits(n: int, pop: Population, tail: float = TAIL) -> tuple[int, int]:
    """Lower and upper control limits of the count of hits of a unit of sample ``n``: the
    ``tail`` and 1 − ``tail`` quantiles (a unit is beyond them below the lower or above the
    upper)."""
    p0 = pop.target
    if p0 <= 0 or p0 >= 1:
        return round(p0 * n), round(p0 * n)
    dist = binom(n, p0)
    if pop.tau2 > 0:  # beta with mean p0 and variance τ² (capped: α + β stays positive)
        size = max(p0 * (1 - p0) / pop.tau2 - 1, 1e-6)
        dist = betabinom(n, p0 * size, (1 - p0) * size)
    return int(dist.ppf(tail)), int(dist.ppf(1 - tail))


def mean_population(units: list[list[float]]) -> Population | None:
    """The pooled mean, the items' variance and τ² of units given as their items."""
    units = [u for u in units if u]
    items = [x for u in units for x in u]
    if len(items) < 2:
        return None
    mu, var = sum(items) / len(items), pvariance(items)
    ys = [sum(u) / len(u) for u in units]
    phi, tau2 = over_dispersion(ys, [var / len(u) for u in units], mu)
    return Population(mu, tau2, phi, len(units), var)


def mean_limits(n: int, pop: Population, tail: float = TAIL) -> tuple[float, float]:
    half = NormalDist().inv_cdf(1 - tail) * math.sqrt(pop.item_var / n + pop.tau2)
    return pop.target - half, pop.target + half
