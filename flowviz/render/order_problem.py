"""The node-order problem of a Sankey, free of drawing: columns, bands, and the reader's rule.

A column reads top to bottom in tiers: named organisations first, then 「その他」 buckets, then
organisations reached only by unknown amounts. Inside a tier the order with the fewest
weighted crossings wins; among equally good orders, the column's preference order (larger
amount first, then input order) decides. Where fewer crossings would need a bucket or an
unknown above a named organisation, the tier wins: a reader looks for them at the bottom.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flowviz.render.crossings import inversions

#: tiers of a column, top to bottom
NAMED, OTHERS, UNKNOWN = 0, 1, 2


@dataclass
class OrderProblem:
    """``columns``: node ids, each column in preference order. ``bands``: (source, target) →
    integer weight, for bands whose crossings the order alone decides (forward, both ends in
    fixed columns). ``tier``: node → tier (missing: NAMED)."""

    columns: list[list[str]]
    bands: dict[tuple[str, str], int]
    tier: dict[str, int] = field(default_factory=dict)

    def column_of(self) -> dict[str, int]:
        return {n: c for c, col in enumerate(self.columns) for n in col}

    def gaps(self) -> dict[tuple[int, int], list[tuple[str, str, int]]]:
        """Bands grouped by the pair of columns they join."""
        col = self.column_of()
        out: dict[tuple[int, int], list[tuple[str, str, int]]] = defaultdict(list)
        for (s, t), w in sorted(self.bands.items(), key=lambda kv: (col[kv[0][0]], kv[0])):
            out[col[s], col[t]].append((s, t, w))
        return out

    def tier_inversions(self, columns: list[list[str]]) -> int:
        """Pairs with a lower tier above a higher one (a bucket above a named organisation)."""
        count = 0
        for col in columns:
            tiers = [self.tier.get(n, NAMED) for n in col]
            count += sum(1 for i, a in enumerate(tiers) for b in tiers[i + 1 :] if a > b)
        return count


def cost(problem: OrderProblem, columns: list[list[str]]) -> tuple[int, int]:
    """(crossings, weighted crossings) of ``problem``'s bands in the order ``columns``."""
    rank = {n: i for col in columns for i, n in enumerate(col)}
    count, weighted = 0, 0
    for bands in problem.gaps().values():
        c, w = inversions((rank[s], rank[t], w) for s, t, w in bands)
        count += c
        weighted += w
    return count, weighted
