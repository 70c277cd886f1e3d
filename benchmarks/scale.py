"""Scale: a synthetic 100,000-flow input through validate, info, payees and (refused) render.

Each command runs in its own process; the script prints wall time and peak RSS (ru_maxrss of
the child). Run: .venv/bin/python benchmarks/scale.py [FLOWS]
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


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "scale.json"
        f.write_text(json.dumps(synthetic(n), ensure_ascii=False), "utf-8")
        size = f.stat().st_size / 1e6
        print(f"flowviz scale benchmark — {n:,} flows, {size:.1f} MB JSON")
        for label, args in (
            ("validate", ["validate", str(f)]),
            ("info", ["info", str(f)]),
            ("payees --format csv", ["payees", str(f), "--format", "csv"]),
            ("render (refused: too large)", ["render", str(f), "--out", tmp]),
        ):
            wall, peak, rc = run(args)
            print(f"  {label:<30} {wall:6.2f} s   peak RSS {peak:6.0f} MB   exit {rc}")


if __name__ == "__main__":
    main()
