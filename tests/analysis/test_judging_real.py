"""The new methods on the whole FY2024 RS year, recomputed here from the published CSVs with the
``csv`` module, ``statistics`` and ``scipy.stats`` only: non_competitive_pct per ministry by
funnel limits (pooled rate, winsorised over-dispersion, beta-binomial quantiles), and
carried_over_pct per project by its size within the budget's class (Tukey fences on logit).
Values, limits and flagged units must equal flowviz's. Also: the one-bidder limit of a large
ministry is below 100 %, and FV001 counts what non_competitive_pct counts. Skipped without
``../shared/data/rs2024``."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from scipy.stats import betabinom, binom

from ..rs.published_rules import budgets_2024, suspect_contract
from ..rs.test_fy2024_truth import RS2024, P, published
from ..store.test_questions_real import cli_json, store  # noqa: F401  (the FY2024 store fixture)

pytestmark = pytest.mark.skipif(not RS2024.is_dir(), reason="../shared/data/rs2024 not present")
Q = Decimal("0.01")


def _yen(text: str) -> int | None:
    t = text.strip().replace(",", "")
    return int(Decimal(t)) if t else None


def funnel(per_unit: dict[str, tuple[int, int]]) -> dict[str, tuple]:
    """(value, expected, upper, flagged) per unit with ≥ 5 observations, after Spiegelhalter."""
    judged = {u: hn for u, hn in per_unit.items() if hn[1] >= 5}
    p0 = sum(h for h, _ in judged.values()) / sum(n for _, n in judged.values())
    var = {u: p0 * (1 - p0) / n for u, (_, n) in judged.items()}
    z = [(h / n - p0) / math.sqrt(var[u]) for u, (h, n) in judged.items()]
    deciles = statistics.quantiles(z, n=10, method="inclusive")
    units = len(z)
    phi = sum(min(max(x, deciles[0]), deciles[-1]) ** 2 for x in z) / units
    w = [1 / v for v in var.values()]
    tau2 = 0.0
    if units * phi > units - 1:
        tau2 = (units * phi - (units - 1)) / (sum(w) - sum(x * x for x in w) / sum(w))
    out = {}
    for u, (h, n) in judged.items():
        if tau2:
            size = max(p0 * (1 - p0) / tau2 - 1, 1e-6)
            upper = int(betabinom(n, p0 * size, (1 - p0) * size).ppf(0.999))
        else:
            upper = int(binom(n, p0).ppf(0.999))
        out[u] = (
            (Decimal(h) * 100 / n).quantize(Q),
            (Decimal(str(p0)) * 100).quantize(Q),
            (Decimal(upper) * 100 / n).quantize(Q),
            h > upper,
        )
    return out


def test_non_competitive_share_by_funnel_limits_matches_the_published_file(store: Path):  # noqa: F811
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    budgets = budgets_2024()
    for r in published("5-4"):
        method = r[f"契約方式等{P}"]
        if suspect_contract(r, budgets) or not method.strip():
            continue
        sole = method.startswith("随意契約") and not any(
            w in method for w in ("公募", "企画競争", "少額")
        )
        counts[r["府省庁"]][0] += sole
        counts[r["府省庁"]][1] += 1
    want = funnel({u: (h, n) for u, (h, n) in counts.items()})
    rows = cli_json(store, "indicators", "--unit", "ministry", "-i", "non_competitive_pct")
    have = {
        r["unit"]: (r["value"], r["expected"], r["upper"], r["flagged"])
        for r in rows
        if r["expected"] is not None
    }
    assert have == want
    assert want["文部科学省"][0] == Decimal("32.65")  # as FV001: 少額 left out


def _budget_rows() -> list[dict]:
    multi = {r["予算事業ID"] for r in published("5-4") if r[f"契約先名{P}"].strip()}
    rows = []
    for r in published("2-1"):
        if r["会計区分"].strip() or r["予算年度"].strip() != "2023":
            continue
        if _yen(r["計（歳出予算現額合計）"]) is None:
            continue
        parts = [
            _yen(r[c])
            for c in (
                "当初予算（合計）",
                "補正予算（合計）",
                "前年度からの繰越し（合計）",
                "予備費等（合計）",
            )
        ]
        gross = sum(parts) if None not in parts else _yen(r["計（歳出予算現額合計）"])
        initial, supp = parts[0] or 0, parts[1] or 0
        cls = (
            "fund"
            if "基金" in r["事業名"]
            else "supplementary"
            if supp > 0 and 2 * supp >= initial
            else "multi-year"
            if r["予算事業ID"] in multi
            else "ordinary"
        )
        carried = _yen(r["翌年度への繰越し(合計）"])
        if carried and gross:
            rows.append((r["予算事業ID"], cls, Decimal(abs(carried)) * 100 / gross))
    return rows


def _logit(pct: Decimal) -> float:
    p = float(min(max(pct, Decimal("0.05")), Decimal("99.95")) / 100)
    return math.log(p / (1 - p))


def test_carry_over_size_within_its_class_matches_the_published_file(store: Path):  # noqa: F811
    by_class: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
    for pid, cls, share in _budget_rows():
        by_class[cls].append((pid, share))
    want = {}
    for cls, projects in by_class.items():
        q1, _, q3 = statistics.quantiles([_logit(s) for _, s in projects], n=4, method="inclusive")
        fence = q3 + 1.5 * (q3 - q1)
        for pid, share in projects:
            want[pid] = (cls, share.quantize(Q), _logit(share) > fence)
    rows = cli_json(store, "indicators", "--unit", "budget", "-i", "carried_over_pct")
    have = {
        r["unit"].split(" / ")[1]: (r["condition"], r["value"], r["flagged"])
        for r in rows
        if r["value"] is not None  # no published carry-over: not measured, not judged
    }
    assert have == want
    flagged = [p for p, w in want.items() if w[2]]
    assert 0 < len(flagged) < len(want) / 10
    # carried whole by design: a supplementary budget at 100 % is not flagged
    assert any(w[0] == "supplementary" and w[1] == 100 and not w[2] for w in want.values())


def test_the_one_bidder_limit_of_a_large_ministry_is_below_100(store: Path):  # noqa: F811
    rows = cli_json(store, "indicators", "--unit", "ministry", "-i", "one_bidder_pct")
    large = [r for r in rows if r["expected"] is not None and r["sample"] >= 100]
    assert large and all(r["upper"] < 100 for r in large)
    assert all(r["method"] == "funnel-share" and r["expected"] is not None for r in large)


def test_fv001_counts_what_non_competitive_pct_counts(store: Path):  # noqa: F811
    """One definition: the FV001 findings of 文部科学省's projects are the contracts that
    non_competitive_pct counts for 文部科学省 (16 of 49 in FY2024, 少額 left out)."""
    projects = {r["予算事業ID"] for r in published("5-4") if r["府省庁"] == "文部科学省"}
    found = 0
    for pid in sorted(projects):
        args = ("flags", "-p", pid, "--year", "2024", "--rule", "FV001")
        found += len(cli_json(store, *args))
    rows = cli_json(store, "indicators", "--unit", "ministry", "-i", "non_competitive_pct")
    (row,) = [r for r in rows if r["unit"] == "文部科学省"]
    assert (row["hits"], row["sample"], found) == (16, 49, 16)
