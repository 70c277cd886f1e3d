"""Interactive page size and load time in headless Chromium, light page against plotly's.

For 0048 (the bundled example) and 7259 (from the store, when FLOWVIZ_DB or the default store
has it), writes the default light page (``--format html``) and the plotly page
(``--format plotly``), then loads each in Debian's Chromium: the time to the page's load event
as the page itself measures it (``performance.timing``), median of 3 loads, plus the bytes.
Goal: the light page under ~300 KB and loading in a fraction of a second.

Run: .venv/bin/python benchmarks/pages.py
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOWVIZ = str(Path(sys.executable).with_name("flowviz"))
PROBE = (
    "<script>window.addEventListener('load',function(){setTimeout(function(){"
    "var t=performance.timing;var p=document.createElement('pre');p.id='fv-load';"
    "p.textContent=JSON.stringify({load:t.loadEventStart-t.navigationStart});"
    "document.body.appendChild(p);},0);});</script>"
)


def load_ms(page: Path, tmp: Path) -> float:
    """Milliseconds from navigation to the load event, median of 3 fresh browsers."""
    probe = tmp / ("probe-" + page.name)
    html = page.read_text("utf-8")
    probe.write_text(html.replace("</body>", PROBE + "</body>", 1), "utf-8")
    times = []
    for i in range(3):
        out = subprocess.run(
            [
                shutil.which("chromium") or "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                f"--user-data-dir={tmp}/profile{i}",
                "--virtual-time-budget=20000",
                "--dump-dom",
                probe.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        start = out.stdout.find('<pre id="fv-load">')
        if start < 0:
            return float("nan")
        text = out.stdout[start + len('<pre id="fv-load">') : out.stdout.find("</pre>", start)]
        times.append(json.loads(text)["load"])
    return statistics.median(times)


def main() -> None:
    inputs = [("0048", [str(ROOT / "examples" / "0048.json")])]
    has_7259 = subprocess.run([FLOWVIZ, "info", "-p", "7259"], capture_output=True).returncode == 0
    if has_7259:
        inputs.append(("7259", ["-p", "7259"]))
    print("flowviz interactive pages — size and Chromium load time (median of 3)")
    print(f"  {'project':<8}{'page':<22}{'bytes':>12}{'load ms':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in inputs:
            for fmt in ("html", "plotly"):
                out = Path(tmp) / f"{name}-{fmt}"
                subprocess.run(
                    [FLOWVIZ, "render", *args, "--sankey", "--format", fmt, "--out", str(out)],
                    check=True,
                    capture_output=True,
                )
                (page,) = out.glob("*.html")
                label = "light (default)" if fmt == "html" else "plotly (--format plotly)"
                size = page.stat().st_size
                print(f"  {name:<8}{label:<22}{size:>12,}{load_ms(page, Path(tmp)):>10.0f}")
    if not has_7259:
        print("  (7259 not measured: import the FY2024 RS files first)")


if __name__ == "__main__":
    main()
