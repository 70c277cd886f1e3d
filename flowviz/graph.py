"""Turn a document into a ``networkx.MultiDiGraph`` and answer structural questions.

A MultiDiGraph because two flows may join the same pair (a 委託 and a 補助金
from the same ministry to the same agency); edge keys are flow ids.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import asdict
from typing import TYPE_CHECKING

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
    """Successor and predecessor lists in input order (cheap; no networkx)."""
    succ: dict[str, list[str]] = defaultdict(list)
    pred: dict[str, list[str]] = defaultdict(list)
    for fl in doc.flows:
        if fl.target not in succ[fl.source]:
            succ[fl.source].append(fl.target)
        if fl.source not in pred[fl.target]:
            pred[fl.target].append(fl.source)
    return succ, pred


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
    succ, _ = adjacency(doc)
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
    cycles = []
    for comp in comps[:limit]:
        members = set(comp)
        # walk one cycle inside the component
        start = comp[0]
        path = [start]
        seen = {start}
        cur = start
        while True:
            nxt = next(t for t in succ[cur] if t in members)
            if nxt in seen:
                cycles.append(path[path.index(nxt) :])
                break
            path.append(nxt)
            seen.add(nxt)
            cur = nxt
    return cycles


def chain_depth(doc: FlowDocument) -> int:
    """Number of hops of the longest chain (0 when there are no flows)."""
    d = depths(doc)
    return max(d.values(), default=0)


def totals(doc: FlowDocument) -> tuple[dict[str, int], dict[str, int]]:
    """Money in and out of each entity, in yen."""
    inflow: dict[str, int] = defaultdict(int)
    outflow: dict[str, int] = defaultdict(int)
    for fl in doc.flows:
        inflow[fl.target] += fl.amount_yen
        outflow[fl.source] += fl.amount_yen
    return dict(inflow), dict(outflow)
