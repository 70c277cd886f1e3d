"""Trace the money: every path from the funding sources to final recipients, hop by hop."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flowviz.analysis.common import pct, resolve
from flowviz.graph import roots, totals
from flowviz.model import Entity, Flow, FlowDocument
from flowviz.money import format_amount_ja, format_in_unit

MAX_PATHS = 10_000
#: total hops over all paths returned: long paths in a dense graph stop here (memory stays bounded)
MAX_HOPS = 200_000


@dataclass
class Hop:
    flow: Flow
    source: Entity
    target: Entity
    share_of_first_pct: Decimal | None
    share_of_source_total_pct: Decimal | None


@dataclass
class Path:
    hops: list[Hop] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [self.hops[0].source.name] + [h.target.name for h in self.hops] if self.hops else []


class Paths(list):
    """A list of :class:`Path`; ``truncated`` says the cap was reached (more paths exist)."""

    truncated: bool = False
    limit: int = MAX_PATHS


def _can_reach(doc: FlowDocument, targets: set[str]) -> set[str]:
    """Entities from which some target is reachable (the targets included)."""
    into: dict[str, list[str]] = defaultdict(list)
    for fl in doc.flows:
        into[fl.target].append(fl.source)
    seen = set(targets)
    queue = deque(targets)
    while queue:
        for s in into.get(queue.popleft(), ()):
            if s not in seen:
                seen.add(s)
                queue.append(s)
    return seen


def _paths_from(
    out: dict[str, list[Flow]], start: str, targets: set[str] | None, useful: set[str] | None
) -> Iterator[list[Flow]]:
    """Simple paths from ``start``: to every entity that pays nothing on, or (with ``targets``)
    to the first target reached. Iterative with backtracking, so a 10,000-hop chain is O(n);
    with targets, only entities that can still reach one are entered (filter before the cap)."""
    path: list[Flow] = []
    on_path = {start}
    stack = [iter(out.get(start, []))]
    while stack:
        f = next(stack[-1], None)
        if f is None:
            stack.pop()
            if path:
                on_path.discard(path.pop().target)
            continue
        if f.target in on_path or (useful is not None and f.target not in useful):
            continue
        path.append(f)
        on_path.add(f.target)
        ends = f.target in targets if targets is not None else True
        if targets is None:
            ends = not any(g.target not in on_path for g in out.get(f.target, []))
        if not ends:
            stack.append(iter(out.get(f.target, [])))
            continue
        yield list(path)
        on_path.discard(path.pop().target)


def trace(
    doc: FlowDocument,
    source: str | None = None,
    target: str | None = None,
    limit: int = MAX_PATHS,
) -> Paths:
    """Every path from the funding source(s) (or ``source``) to final payees (or ``target``).

    At most ``limit`` paths and :data:`MAX_HOPS` hops in all; ``truncated`` says when more exist.
    """
    ents = doc.entity_map
    starts = resolve(doc, source) if source else roots(doc)
    targets = set(resolve(doc, target)) if target else None
    useful = _can_reach(doc, targets) if targets is not None else None
    _, outflow = totals(doc)
    out: dict[str, list[Flow]] = defaultdict(list)
    for fl in doc.flows:
        out[fl.source].append(fl)
    result = Paths()
    result.limit = limit
    seen: set[tuple[str, ...]] = set()
    hops = 0
    for s in starts:
        for flows in _paths_from(out, s, targets, useful):
            key = tuple(f.id for f in flows)
            if key in seen:
                continue
            hops += len(flows)
            if len(result) >= limit or hops > MAX_HOPS:
                result.truncated = True
                return result
            seen.add(key)
            first, total = flows[0].amount_yen, outflow.get(flows[0].source, 0)
            result.append(
                Path(
                    [
                        Hop(
                            f,
                            ents[f.source],
                            ents[f.target],
                            pct(f.amount_yen, first),
                            pct(f.amount_yen, total),
                        )
                        for f in flows
                    ]
                )
            )
    return result


def trace_records(paths: list[Path], doc: FlowDocument) -> list[dict[str, Any]]:
    """One row per hop; the contract columns come from the flow's own terms or the contracts
    paid through it."""
    rows = []
    terms = doc.flow_contracts
    for i, p in enumerate(paths, 1):
        for j, h in enumerate(p.hops, 1):
            cs = terms.get(h.flow.id, ())
            c = cs[0] if cs else h.flow.contract
            a = h.flow.amount_yen
            rows.append(
                {
                    "path": i,
                    "hop": j,
                    "from": h.source.name,
                    "to": h.target.name,
                    "amount_yen": a,
                    "amount": format_amount_ja(a),
                    "as_published": format_amount_ja(None)
                    if a is None
                    else format_in_unit(a, doc.unit),
                    "share_of_first_hop_pct": h.share_of_first_pct,
                    "share_of_source_total_pct": h.share_of_source_total_pct,
                    "link_type": h.flow.link_type,
                    "route_published": h.flow.route_published,
                    "contract_method": c.method,
                    "bidders": c.bidders,
                    "award_rate": c.award_rate_pct,
                    "contracts": len(cs),
                    "from_corporate_number": h.source.corporate_number,
                    "to_corporate_number": h.target.corporate_number,
                    "flow_id": h.flow.id,
                    "project_id": doc.project.id,
                }
            )
    return rows


def focus_set(doc: FlowDocument, query: str) -> set[str]:
    """Ids of the entities and flows on paths that reach (or leave) the entity ``query``."""
    targets = resolve(doc, query)
    into: dict[str, list[Flow]] = defaultdict(list)
    outof: dict[str, list[Flow]] = defaultdict(list)
    for fl in doc.flows:
        into[fl.target].append(fl)
        outof[fl.source].append(fl)
    keep: set[str] = set(targets)
    for edges, end in ((into, "source"), (outof, "target")):
        queue = deque(targets)
        seen = set(targets)
        while queue:
            n = queue.popleft()
            for fl in edges.get(n, []):
                keep.add(fl.id)
                nxt = getattr(fl, end)
                keep.add(nxt)
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
    return keep
