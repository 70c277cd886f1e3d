"""Render speed of the static Sankey and DOT diagrams, side by side with plotly+kaleido.

Prints, in one run:
  * wall time of whole `flowviz render examples/0048.json --sankey --format svg` processes,
    and of `--dot --format svg`;
  * the rendering itself (after imports) for one Sankey SVG;
  * plotly + kaleido static export of the same figure (one cold call, then kept-alive server);
  * per-figure time for 100 figures in one process (Sankey SVG; DOT SVG one `dot` per figure
    and batched through one `dot -O`).

Run: .venv/bin/python benchmarks/render_speed.py   (kaleido is optional: pip install kaleido)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "0048.json"
FLOWVIZ = str(Path(sys.executable).with_name("flowviz"))


def wall(cmd: list[str], runs: int = 7) -> float:
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run([*cmd, "--out", out], check=True, capture_output=True)
            times.append(time.perf_counter() - t)
    return statistics.median(times)


def per_call(fn, n: int) -> float:
    t = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t) / n


def main() -> None:
    warnings.filterwarnings("ignore", message="The kopts argument")
    sys.path.insert(0, str(ROOT))
    from flowviz.render.dot import dot_source
    from flowviz.render.layout import sankey_layout
    from flowviz.render.output import run_dot, run_dot_batch
    from flowviz.render.sankey_plotly import plotly_figure
    from flowviz.render.sankey_svg import sankey_svg
    from flowviz.sources import read

    doc = read(EXAMPLE)
    rows: list[tuple[str, str]] = []
    rows.append(
        (
            "flowviz render --sankey --format svg (whole process, median of 7)",
            f"{wall([FLOWVIZ, 'render', str(EXAMPLE), '--sankey', '--format', 'svg']) * 1000:.0f} ms",
        )
    )
    rows.append(
        (
            "flowviz render --dot --format svg (whole process, median of 7)",
            f"{wall([FLOWVIZ, 'render', str(EXAMPLE), '--dot', '--format', 'svg']) * 1000:.0f} ms",
        )
    )
    one = per_call(lambda: sankey_svg(sankey_layout(doc)), 200)
    rows.append(
        ("Sankey SVG rendering itself (layout + SVG text, after imports)", f"{one * 1000:.2f} ms")
    )

    fig = plotly_figure(sankey_layout(doc))
    try:
        os.environ.setdefault("BROWSER_PATH", "/usr/bin/chromium")
        import kaleido
        import plotly.io as pio

        t = time.perf_counter()
        pio.to_image(fig, format="svg")
        rows.append(
            (
                "plotly+kaleido static SVG, one cold call (starts Chromium)",
                f"{(time.perf_counter() - t) * 1000:.0f} ms",
            )
        )
        kaleido.start_sync_server(silence_warnings=True)
        try:
            pio.to_image(fig, format="svg")  # warm up
            k = per_call(lambda: pio.to_image(fig, format="svg"), 20)
            rows.append(
                (
                    "plotly+kaleido static SVG, kept-alive server, per figure (20)",
                    f"{k * 1000:.0f} ms",
                )
            )
        finally:
            kaleido.stop_sync_server(silence_warnings=True)
    except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not fail
        rows.append(
            ("plotly+kaleido static SVG", f"not measured: {type(exc).__name__}: {exc}"[:100])
        )

    n = 100
    s = per_call(lambda: sankey_svg(sankey_layout(doc)), n)
    rows.append((f"{n} Sankey SVGs in one process, per figure", f"{s * 1000:.2f} ms"))
    d = per_call(lambda: run_dot(dot_source(doc), "svg"), n)
    rows.append((f"{n} DOT SVGs, one `dot` process each, per figure", f"{d * 1000:.1f} ms"))
    with tempfile.TemporaryDirectory() as out:
        srcs = {Path(out) / f"p{i}.dot.svg": dot_source(doc) for i in range(n)}
        t = time.perf_counter()
        run_dot_batch(srcs, "svg")
        b = (time.perf_counter() - t) / n
    rows.append((f"{n} DOT SVGs batched through one `dot -O`, per figure", f"{b * 1000:.1f} ms"))
    rows.append(("Sankey SVG figures per minute on one core", f"{60 / s:,.0f}"))

    width = max(len(r[0]) for r in rows)
    print(
        f"flowviz render benchmark — {EXAMPLE.name}, Python {sys.version.split()[0]}, {os.cpu_count()} cores"
    )
    for label, value in rows:
        print(f"  {label.ljust(width)}  {value}")


if __name__ == "__main__":
    main()
