"""Count band crossings between two columns, plain and weighted, in O(m log m).

Two bands that leave the same pair of columns cross exactly when their order at the start and
their order at the end disagree; the count is an inversion count. The same function serves the
order search (keys are ranks in a column) and the measures (keys are y coordinates), so the
certificate and the optimiser cannot disagree about what a crossing is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

W = TypeVar("W", int, float)


def inversions(bands: Iterable[tuple[float, float, W]]) -> tuple[int, W]:
    """Pairs ``(s1, t1, w1)``, ``(s2, t2, w2)`` with ``s1 < s2`` and ``t1 > t2``: their number and
    the sum of ``w1 * w2``. Equal keys never cross (bands sharing an end are stacked in order)."""
    items = sorted(bands, key=lambda b: (b[0], b[1]))
    if len(items) < 2:
        return 0, 0
    ends = sorted({b[1] for b in items})
    index = {t: i + 1 for i, t in enumerate(ends)}
    size = len(ends)
    count_tree = [0] * (size + 1)
    weight_tree: list = [0] * (size + 1)
    seen, seen_w = 0, 0
    count, weighted = 0, 0
    i = 0
    while i < len(items):
        j = i
        while j < len(items) and items[j][0] == items[i][0]:
            j += 1
        group = items[i:j]
        for _, t, w in group:  # earlier starts ending strictly lower down cross this band
            k, c, cw = index[t], 0, 0
            while k > 0:
                c += count_tree[k]
                cw += weight_tree[k]
                k -= k & -k
            count += seen - c
            weighted += w * (seen_w - cw)
        for _, t, w in group:  # then the group joins (bands from one start never cross)
            k = index[t]
            seen += 1
            seen_w += w
            while k <= size:
                count_tree[k] += 1
                weight_tree[k] += w
                k += k & -k
        i = j
    return count, weighted
