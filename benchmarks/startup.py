"""Start-up cost of flowviz commands, side by side with a bare ``python -c pass``.

CPU time (user + system, from the kernel's child accounting) is measured rather than wall time,
so other work on the machine weighs less; the median of RUNS runs is shown. Then
``-X importtime`` lists the modules that cost most for one command, to see what to trim.

Run: .venv/bin/python benchmarks/startup.py [RUNS]
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "0048.json"
PY = sys.executable
ENV = dict(os.environ, PYTHONPATH=str(ROOT))
#: the console script's own lines, so no ``-m`` machinery (runpy) is counted against flowviz
SCRIPT = "import sys; from flowviz.cli import main; sys.argv[0] = 'flowviz'; sys.exit(main())"


def cpu(cmd: list[str], runs: int) -> float:
    """Median CPU seconds (user + sys) of ``cmd`` over ``runs`` runs."""
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, env=ENV, capture_output=True, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times)


def flowviz(*args: str) -> list[str]:
    return [PY, "-c", SCRIPT, *args]


def top_imports(cmd: list[str], n: int = 12) -> list[tuple[int, str]]:
    err = subprocess.run(
        [cmd[0], "-X", "importtime", *cmd[1:]], env=ENV, capture_output=True, text=True
    ).stderr
    rows = []
    for line in err.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = (p.strip() for p in line.split("|"))
            if cumulative.isdigit():
                rows.append((int(cumulative), name))
    return sorted(rows, reverse=True)[:n]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "python -c pass (bare interpreter)": [PY, "-c", "pass"],
            "python -c 'import typer' (any typer CLI's floor)": [PY, "-c", "import typer"],
            "flowviz --version": flowviz("--version"),
            "flowviz validate examples/0048.json": flowviz("validate", str(EXAMPLE)),
            "flowviz render 0048 --sankey --out -": flowviz(
                "render", str(EXAMPLE), "--sankey", "--format", "svg", "--out", "-"
            ),
            "flowviz payees --db (missing store)": flowviz("payees", "--db", f"{tmp}/none.db"),
        }
        bare = cpu(commands["python -c pass (bare interpreter)"], runs)
        print(f"start-up CPU time, median of {runs} runs (user + sys)")
        print(f"{'command':<52} {'ms':>7} {'× bare':>7}")
        for label, cmd in commands.items():
            t = bare if cmd == commands["python -c pass (bare interpreter)"] else cpu(cmd, runs)
            print(f"{label:<52} {t * 1000:7.1f} {t / bare:7.1f}")
        print("\nlargest imports of `flowviz validate` (cumulative µs, one run, -X importtime):")
        for us, name in top_imports(commands["flowviz validate examples/0048.json"]):
            print(f"  {us:>8}  {name}")


if __name__ == "__main__":
    main()
