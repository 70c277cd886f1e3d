"""How concentrated spending is: the top payee's share, the top three's, and the Herfindahl
index (HHI, the sum of squared percentage shares: 10,000 = one payee takes everything).

Computed from the payee amounts as listed, per unit (ministry, bureau or project), or per payee
over the ministries that paid it (how much it depends on one buyer). Shares are exact Decimals.
``parts`` is how many payees (ministries, with ``by="payee"``) share the money. Amounts not
published, net negative amounts (returns) and group names such as その他 (many recipients under
one line) take no share; they are counted in ``not_counted_rows``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from flowviz.names import name_class

UNITS = {
    "ministry": (("ministry",), ("payee_key",)),
    "bureau": (("ministry", "bureau"), ("payee_key",)),
    "project": (("ministry", "project_id", "project"), ("payee_key",)),
    "payee": (("payee_key",), ("ministry",)),
}
COLUMNS = {
    "ministry": ("ministry",),
    "bureau": ("ministry", "bureau"),
    "project": ("ministry", "project_id", "project"),
    "payee": ("payee", "corporate_number"),
}
FIGURES = (
    "parts",
    "total_yen",
    "top1",
    "top1_share_pct",
    "top3_share_pct",
    "hhi",
    "not_counted_rows",
    "groups_masked_yen",
    "suspect_yen",
)
_PCT = Decimal("0.1")


def concentration(
    rows: Iterable[dict[str, Any]], by: str = "ministry", include_suspect: bool = False
) -> list[dict[str, Any]]:
    """One row per unit with its concentration figures, most concentrated (HHI) first;
    ``top1`` is the largest payee (with ``by="payee"``: the ministry that paid it most)."""
    unit_cols, part_cols = UNITS[by]
    parts: dict[tuple, dict[Any, int]] = defaultdict(lambda: defaultdict(int))
    firsts: dict[tuple, dict[str, Any]] = {}
    labels: dict[Any, str] = {}
    skipped: dict[tuple, int] = defaultdict(int)
    apart: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        r = {**r, "payee_key": r.get("organisation") or r["corporate_number"] or r["payee"]}
        unit = tuple(r[c] for c in unit_cols)
        firsts.setdefault(unit, r)
        part = r[part_cols[0]]
        labels.setdefault(part, r["payee"] if part_cols[0] == "payee_key" else part)
        if r["amount_yen"] is None:
            skipped[unit] += 1
            continue
        if r.get("check") and not include_suspect:  # a suspect figure (flowviz.suspect), first
            skipped[unit] += 1
            apart[unit]["suspect_yen"] += r["amount_yen"]
            continue
        if name_class(r["payee"], r["corporate_number"]):  # group or anonymised: no share
            skipped[unit] += 1
            apart[unit]["groups_masked_yen"] += r["amount_yen"]
            continue
        parts[unit][part] += r["amount_yen"]
    out = []
    for unit, first in firsts.items():
        row = {c: first[c] for c in COLUMNS[by]}
        row.update(_figures(parts.get(unit, {}), labels))
        row["not_counted_rows"] += skipped.get(unit, 0)
        row["groups_masked_yen"] = apart[unit]["groups_masked_yen"]
        row["suspect_yen"] = apart[unit]["suspect_yen"]
        out.append(row)
    out.sort(key=lambda r: (-(r["hhi"] or 0), -r["total_yen"]))
    return out


def _figures(amounts: dict[Any, int], labels: dict[Any, str]) -> dict[str, Any]:
    positive = sorted(((v, k) for k, v in amounts.items() if v > 0), key=lambda x: -x[0])
    total = sum(v for v, _ in positive)
    not_positive = sum(1 for v in amounts.values() if v <= 0)
    if not total:
        empty = dict.fromkeys(FIGURES, None)
        return empty | {"parts": 0, "total_yen": 0, "not_counted_rows": not_positive}
    shares = [Decimal(v) * 100 / total for v, _ in positive]
    return {
        "parts": len(positive),
        "total_yen": total,
        "top1": labels[positive[0][1]],
        "top1_share_pct": shares[0].quantize(_PCT),
        "top3_share_pct": sum(shares[:3]).quantize(_PCT),
        "hhi": sum(s * s for s in shares).quantize(Decimal(1)),
        "not_counted_rows": not_positive,
    }
