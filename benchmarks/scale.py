"""Scale: every graph shape at growing sizes, each command in its own process.

Shapes: a two-level tree (ministry → agencies → companies), a star (one payer, many payees:
the fan-out that once grew quadratically), a chain, and a layered path explosion (2 × L nodes,
2^L paths) for ``trace``. Prints wall time and peak RSS (ru_maxrss of the child) side by side (exit 1 on ``render``:
refused early with advice, too many organisations for one picture);
growth should be roughly linear (time per flow flat across sizes) and ``trace`` on the path
explosion should stop at its cap quickly. Run: .venv/bin/python benchmarks/scale.py [MAX_FLOWS]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

FLOWVIZ = str(Path(sys.executable).with_name("flowviz"))


def synthetic(n_flows: int) -> dict:
    """ministry → agencies → companies, n_flows flows, amounts in 千円."""
    agencies = max(n_flows // 100, 1)
    ents = [{"id": "m", "name": "総務省", "kind": "ministry"}]
    ents += [{"id": f"a{i}", "name": f"機構{i}", "kind": "agency"} for i in range(agencies)]
    flows = [{"source": "m", "target": f"a{i}", "amount": 100 * 99} for i in range(agencies)]
    c = 0
    while len(flows) < n_flows:
        a = c % agencies
        ents.append({"id": f"c{c}", "name": f"株式会社{c}", "kind": "company"})
        flows.append(
            {
                "source": f"a{a}",
                "target": f"c{c}",
                "amount": 100,
                "contract": {"method": "一般競争契約", "bidders": 3},
            }
        )
        c += 1
    return {
        "flowviz": 1,
        "unit": "千円",
        "project": {"id": "scale", "name": "synthetic"},
        "entities": ents,
        "flows": flows,
    }


PROBE = (
    "import resource, subprocess, sys, time; t = time.perf_counter();"
    " rc = subprocess.run(sys.argv[1:], capture_output=True).returncode;"
    " print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)"
)


def run(args: list[str]) -> tuple[float, float, int]:
    """Wall time, peak RSS in MB and exit code of one flowviz process (measured by a fresh parent)."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE, FLOWVIZ, *args], capture_output=True, text=True, check=True
    )
    wall, peak_kb, rc = out.stdout.split()
    return float(wall), int(peak_kb) / 1024, int(rc)


def shape(kind: str, n: int) -> dict:
    if kind == "tree":
        return synthetic(n)
    ents = [{"id": "m", "name": "総務省", "kind": "ministry"}]
    if kind == "star":
        ents += [{"id": f"c{i}", "name": f"株式会社{i}", "kind": "company"} for i in range(n)]
        flows = [{"source": "m", "target": f"c{i}", "amount": 1000} for i in range(n)]
    elif kind == "chain":
        ents += [{"id": f"c{i}", "name": f"株式会社{i}", "kind": "company"} for i in range(n)]
        flows = [
            {"source": "m" if i == 0 else f"c{i - 1}", "target": f"c{i}", "amount": 1000}
            for i in range(n)
        ]
    else:  # paths: layers of two, every node linked to both of the next layer
        prev, flows = ["m"], []
        for i in range(max(n // 4, 1)):
            cur = [f"n{i}a", f"n{i}b"]
            ents += [{"id": c, "name": c, "kind": "company"} for c in cur]
            flows += [{"source": a, "target": b, "amount": 1} for a in prev for b in cur]
            prev = cur
    return {
        "flowviz": 1,
        "unit": "千円",
        "project": {"id": "scale", "name": kind},
        "entities": ents,
        "flows": flows,
    }


def main() -> None:
    top = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    sizes = [n for n in (1_000, 10_000, 100_000, 1_000_000) if n <= top]
    print(
        "flowviz scale benchmark (time s / peak RSS MB per process; µs per flow should stay flat)"
    )
    print(f"{'shape':<6} {'flows':>9} {'command':<16} {'time':>7} {'RSS':>6} {'µs/flow':>8} exit")
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("tree", "star", "chain", "paths"):
            for n in sizes:
                f = Path(tmp) / f"{kind}-{n}.json"
                data = shape(kind, n)
                f.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
                flows = len(data["flows"])
                cmds = [
                    ("validate", ["validate", str(f)]),
                    ("info", ["info", str(f)]),
                    ("payees csv", ["payees", str(f), "--format", "csv"]),
                    # a picture of a big graph: condensed to the width, or refused early
                    (
                        "render --width",
                        [
                            "render",
                            str(f),
                            "--sankey",
                            "-f",
                            "svg",
                            "--width",
                            "1000",
                            "--out",
                            str(Path(tmp) / "out"),
                        ],
                    ),
                ]
                if kind == "paths":
                    last = data["entities"][-1]["name"]
                    cmds = [("trace --to", ["trace", str(f), "--to", last, "-f", "csv"])]
                for label, args in cmds:
                    wall, peak, rc = run(args)
                    per = wall / flows * 1e6
                    print(
                        f"{kind:<6} {flows:>9,} {label:<16} {wall:7.2f} {peak:6.0f} {per:8.1f} {rc}"
                    )


if __name__ == "__main__":
    main()
