"""Turn a document into a ``networkx.MultiDiGraph`` and answer structural questions.

A MultiDiGraph because two flows may join the same pair (a 委託 and a 補助金
from the same ministry to the same agency); edge keys are flow ids.

The structural steps every command needs (adjacency, roots, depths, cycles) are written here
rather than taken from networkx: ``benchmarks/graph_algorithms.py`` shows the same speed per
call, while importing networkx costs 120–180 ms on every command's start-up (a quarter of the
whole-process budget). networkx is still used for exports (:func:`build_graph`, GraphML, GEXF).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from flowviz.model import FlowDocument

if TYPE_CHECKING:  # networkx is imported lazily: it costs ~0.4 s at start-up
    import networkx as nx


def build_graph(doc: FlowDocument) -> nx.MultiDiGraph:
    """Every entity a node, every flow an edge, all attributes carried over."""
    import networkx as nx

    g = nx.MultiDiGraph(
        project_id=doc.project.id,
        project_name=doc.project.name,
        ministry=doc.project.ministry,
        unit=doc.unit,
        partial=doc.partial,
    )
    for e in doc.entities:
        g.add_node(e.id, **asdict(e))
    for fl in doc.flows:
        attrs = asdict(fl)
        contract = attrs.pop("contract")
        attrs.update({f"contract_{k}": v for k, v in contract.items()})
        attrs["non_competitive"] = fl.contract.is_non_competitive
        g.add_edge(fl.source, fl.target, key=fl.id, **attrs)
    return g


def adjacency(doc: FlowDocument) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Successor and predecessor lists in input order, each pair once (linear: dict-backed)."""
    return successors(doc), _lists((fl.target, fl.source) for fl in doc.flows)


def successors(doc: FlowDocument) -> dict[str, list[str]]:
    """Successor lists only (what cycle search needs): half the memory of :func:`adjacency`."""
    return _lists((fl.source, fl.target) for fl in doc.flows)


def _lists(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """``a → [b, …]`` in first-seen order, each pair once; each dict becomes a list in place,
    so the peak holds one of the two forms, not both (a million flows: ~100 MB less)."""
    out: dict[str, Any] = defaultdict(dict)
    for a, b in pairs:
        out[a][b] = None
    for k in out:
        out[k] = list(out[k])
    out.default_factory = None  # a plain mapping from here on: no entries made by lookups
    return out


def roots(doc: FlowDocument) -> list[str]:
    """Entities that pay but receive nothing: the funding sources."""
    succ, pred = adjacency(doc)
    rs = [e.id for e in doc.entities if e.id in succ and not pred.get(e.id)]
    if not rs and doc.flows:  # everything is in a cycle: start from the first payer
        rs = [doc.flows[0].source]
    return rs


def depths(doc: FlowDocument) -> dict[str, int]:
    """Column of each entity: longest chain from a root, cycles cut at back edges.

    Iterative (no recursion), so a 10,000-level chain is fine. Entities that
    take part in no flow get depth 0.
    """
    succ, pred = adjacency(doc)
    order = [e.id for e in doc.entities]
    # Cut back edges found by an iterative DFS from the roots, then layer the DAG.
    state: dict[str, int] = {}
    back: set[tuple[str, str]] = set()
    starts = roots(doc) + [n for n in order if n not in pred]
    starts += order
    for s in starts:
        if s in state:
            continue
        state[s] = 1
        stack = [(s, iter(succ.get(s, ())))]
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                back.add((node, nxt))
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(succ.get(nxt, ()))))
    indeg: dict[str, int] = {n: 0 for n in order}
    for s, ts in succ.items():
        for t in ts:
            if (s, t) not in back:
                indeg[t] = indeg.get(t, 0) + 1
    depth = {n: 0 for n in indeg}
    queue = deque(n for n in order if indeg.get(n, 0) == 0)
    while queue:
        n = queue.popleft()
        for t in succ.get(n, ()):
            if (n, t) in back:
                continue
            depth[t] = max(depth.get(t, 0), depth[n] + 1)
            indeg[t] -= 1
            if indeg[t] == 0:
                queue.append(t)
    return depth


def find_cycles(doc: FlowDocument, limit: int = 20) -> list[list[str]]:
    """Up to ``limit`` cycles, each as a list of entity ids (iterative, deterministic)."""
    succ = successors(doc)
    # Tarjan's strongly connected components, iteratively.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on: set[str] = set()
    st: list[str] = []
    comps: list[list[str]] = []
    counter = 0
    for root in [e.id for e in doc.entities]:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                st.append(v)
                on.add(v)
            children = succ.get(v, [])
            recurse = False
            for j in range(i, len(children)):
                w = children[j]
                if w not in index:
                    work.append((v, j + 1))
                    work.append((w, 0))
                    recurse = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if recurse:
                continue
            if low[v] == index[v]:
                comp = []
                while True:
                    w = st.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    comps.append(comp[::-1])
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    return [_walk_cycle(comp, succ) for comp in comps[:limit]]


def _walk_cycle(comp: list[str], succ: dict[str, list[str]]) -> list[str]:
    """One cycle inside a strongly connected component, from its first member."""
    members = set(comp)
    path = [comp[0]]
    seen = {comp[0]}
    cur = comp[0]
    while True:
        nxt = next(t for t in succ[cur] if t in members)
        if nxt in seen:
            return path[path.index(nxt) :]
        path.append(nxt)
        seen.add(nxt)
        cur = nxt


def chain_depth(doc: FlowDocument) -> int:
    """Number of hops of the longest chain (0 when there are no flows)."""
    d = depths(doc)
    return max(d.values(), default=0)


def totals(doc: FlowDocument) -> tuple[dict[str, int], dict[str, int]]:
    """Published money in and out of each entity, in yen (flows without an amount, and suspect
    figures, are skipped: see :func:`balances` for what is unknown)."""
    inflow: dict[str, int] = defaultdict(int)
    outflow: dict[str, int] = defaultdict(int)
    sus = doc.suspects
    for fl in doc.flows:
        if fl.amount_yen is None or fl.id in sus:
            continue
        inflow[fl.target] += fl.amount_yen
        outflow[fl.source] += fl.amount_yen
    return dict(inflow), dict(outflow)


@dataclass
class Balance:
    """What the published rows say about one entity's money.

    ``received_yen``/``paid_yen`` sum the links with a published amount; ``unknown_in``/
    ``unknown_out`` count the links without one. ``stated_yen`` is a total the sheet states for
    the entity itself (a block funded by several blocks). :attr:`kept_yen` is only a figure when
    every link is known and the document lists every payee; otherwise it is ``None``.
    """

    received_yen: int = 0
    paid_yen: int = 0
    unknown_in: int = 0
    unknown_out: int = 0
    links_in: int = 0
    links_out: int = 0
    stated_yen: int | None = None
    complete: bool = True
    #: the negative part of ``paid_yen`` (deductions and returns paid on), shown apart
    paid_negative_yen: int = 0
    #: incoming links whose published amount is only part of what they carried
    partial_in: int = 0
    partial_out: int = 0

    @property
    def received(self) -> int | None:
        """Money in: the stated total, else the sum of known links; ``None`` if nothing is known."""
        if self.stated_yen is not None:
            return self.stated_yen
        if self.unknown_in and self.received_yen == 0 and self.links_in == self.unknown_in:
            return None
        return self.received_yen

    @property
    def received_is_lower_bound(self) -> bool:
        return (
            self.stated_yen is None
            and (self.unknown_in > 0 or self.partial_in > 0)
            and self.received is not None
        )

    @property
    def kept_yen(self) -> int | None:
        """Received minus paid on, when the data can show it (else ``None``: not accounted for)."""
        if not self.complete or self.unknown_out or self.partial_out or self.received is None:
            return None
        if (self.unknown_in or self.partial_in) and self.stated_yen is None:
            return None
        return self.received - self.paid_yen


def balances(doc: FlowDocument) -> dict[str, Balance]:
    """Every entity's :class:`Balance` (entities in no flow get an empty one)."""
    out = {
        e.id: Balance(stated_yen=e.stated_received_yen, complete=not doc.partial)
        for e in doc.entities
    }
    sus = doc.suspects  # a suspect figure counts as unknown: no total includes it
    for fl in doc.flows:
        s = out.setdefault(fl.source, Balance(complete=not doc.partial))
        t = out.setdefault(fl.target, Balance(complete=not doc.partial))
        s.links_out += 1
        t.links_in += 1
        if fl.amount_yen is None or fl.id in sus:
            s.unknown_out += 1
            t.unknown_in += 1
        else:
            s.paid_yen += fl.amount_yen
            t.received_yen += fl.amount_yen
            if fl.amount_is_lower_bound:
                s.partial_out += 1
                t.partial_in += 1
            if fl.amount_yen < 0:
                s.paid_negative_yen += fl.amount_yen
    return out
