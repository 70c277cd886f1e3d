"""The order of a Sankey's columns: the one barycentre pass, then the certified order.

Kept apart from the layout's geometry: this module only decides who stands above whom, from the
links and the reader's rule (render/order_problem.py), and returns the certificate.
"""

from __future__ import annotations

from collections import defaultdict

from flowviz.render.figure import LayoutOptions, SankeyLink, SankeyNode
from flowviz.render.measures import thickness
from flowviz.render.order_problem import NAMED, OTHERS, UNKNOWN, OrderProblem, cost
from flowviz.render.ordering import OrderCertificate, best_order


def order_columns(
    nodes: dict[str, SankeyNode],
    ins: dict[str, list[SankeyLink]],
    outs: dict[str, list[SankeyLink]],
    order: dict[str, int],
    rank: dict[str, float],
    ncols: int,
    o: LayoutOptions,
) -> tuple[list[list[SankeyNode]], OrderCertificate]:
    """Order within columns. First one barycentre pass (barycentre of predecessors, then larger
    first, then input order); then, unless ``o.ordering`` is ``one-pass``, the order with the
    fewest weighted crossings, その他 and unknown last where that crosses nothing
    (render/order_problem.py has the rule)."""
    columns: list[list[SankeyNode]] = [[] for _ in range(ncols)]
    for n in nodes.values():
        columns[n.column].append(n)
    tiered = o.ordering != "one-pass"
    tier = _tiers(nodes, ins) if tiered else {}
    for c, col in enumerate(columns):

        def key(n: SankeyNode, c: int = c) -> tuple[float, int, int]:
            preds = [rank[ln.source] for ln in ins[n.id] if ln.source in rank]
            bary = sum(preds) / len(preds) if preds and c else 0.0
            return (bary, -n.value, order[n.id])

        col.sort(key=key)
        for i, n in enumerate(col):
            rank[n.id] = i
    problem = OrderProblem(
        [
            [
                n.id
                for n in sorted(col, key=lambda n: (tier.get(n.id, NAMED), -n.value, order[n.id]))
            ]
            for col in columns
        ],
        _bands(outs),
        tier,
    )
    start = [[n.id for n in col] for col in columns]
    if not tiered:
        count, weighted = cost(problem, start)
        return columns, OrderCertificate("one-pass", count, weighted, 0 if not weighted else None)
    ids, cert = best_order(problem, start)
    columns = [[nodes[i] for i in col] for col in ids]
    for col in columns:
        for i, n in enumerate(col):
            rank[n.id] = i
    return columns, cert


def _tiers(nodes: dict[str, SankeyNode], ins: dict[str, list[SankeyLink]]) -> dict[str, int]:
    """その他 buckets and organisations reached only by unknown amounts: a reader looks for them
    at the bottom of their column."""
    tier = {}
    for n in nodes.values():
        if n.id.startswith("others:") or n.name.startswith("その他"):
            tier[n.id] = OTHERS
        elif ins[n.id] and all(ln.style == "unknown" for ln in ins[n.id]):
            tier[n.id] = UNKNOWN
    return tier


def _bands(outs: dict[str, list[SankeyLink]]) -> dict[tuple[str, str], int]:
    """Forward links as weighted bands of the order problem, thickness in 0.1 px units (integers,
    so the programme's optimum is exact)."""
    bands: dict[tuple[str, str], int] = defaultdict(int)
    for links in outs.values():
        for ln in links:
            if not ln.backward:
                bands[ln.source, ln.target] += max(round(thickness(ln) * 10), 1)
    return dict(bands)
