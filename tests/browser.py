"""Drive Debian's real Chromium, headless, to load pages the way a reader would.

We inject a small probe into a copy of the page: it records script errors
and, after plotly has drawn, writes what the test needs into a <pre> that
``--dump-dom`` returns.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

PROBE_HEAD = """<script>
window.__errors = [];
window.addEventListener('error', function (e) { window.__errors.push(String(e.message)); });
</script>"""

#: the probes report when the page is ready (an event, then a check that plotly has drawn),
#: never after a fixed time: a loaded machine gives a slow pass, not a failure; the long
#: virtual-time budget only ends a run where the page never gets ready, and the test says so
PROBE_TAIL = """<script>
function fvReady() {
  var gd = document.getElementById('flowviz-sankey');
  return !gd || !window.Plotly || (gd._fullLayout && document.querySelectorAll('.sankey-node').length > 0);
}
function fvWhenReady(report) {
  window.addEventListener('load', function () {
    var tries = 0;
    (function wait() { if (fvReady() || ++tries > 2400) report(); else setTimeout(wait, 50); })();
  });
}
fvWhenReady(function () {
  var gd = document.getElementById('flowviz-sankey');
  var out = {
    errors: window.__errors,
    pwned: !!window.__pwned,
    title: document.title,
    nodes: document.querySelectorAll('.sankey-node').length,
    links: document.querySelectorAll('.sankey-link').length,
    node_text: Array.prototype.map.call(document.querySelectorAll('.sankey-node text'), function (t) { return t.textContent; }),
    link_customdata: gd && gd.data ? gd.data[0].link.customdata : null,
    node_customdata: gd && gd.data ? gd.data[0].node.customdata : null,
    scripts: document.scripts.length,
    imgs: document.images.length,
    sections: Array.prototype.map.call(document.querySelectorAll('section'), function (s) {
      var r = s.getBoundingClientRect();
      return {id: s.id, height: r.height, svgs: s.querySelectorAll('svg').length, rows: s.querySelectorAll('tr').length, text: s.textContent.slice(0, 2000)};
    })
  };
  var pre = document.createElement('pre');
  pre.id = 'fv-probe';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        raise RuntimeError("Chromium is not installed; run ./bootstrap.sh test (it installs it)")
    return exe


LIGHT_PROBE_TAIL = """<script>
window.addEventListener('load', function () {
  var links = document.querySelectorAll('#fv-sankey g[data-flow]');
  var nodes = document.querySelectorAll('#fv-sankey g[id^="fv-node-"]');
  var last = nodes[nodes.length - 1];
  last.dispatchEvent(new MouseEvent('mouseenter'));
  var panel = document.getElementById('fv-panel').textContent;
  last.dispatchEvent(new MouseEvent('click', {bubbles: true}));
  var out = {
    errors: window.__errors,
    pwned: !!window.__pwned,
    title: document.title,
    imgs: document.images.length,
    nodes: nodes.length,
    links: links.length,
    panel: panel,
    faded_after_click: document.querySelectorAll('#fv-sankey .fv-faded').length,
    empty: (document.querySelector('.empty') || {}).textContent || '',
    scripts: document.scripts.length,
    external: document.querySelectorAll('[src], link[href]').length
  };
  var pre = document.createElement('pre');
  pre.id = 'fv-probe';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def probe_page(html_path: Path, tail: str = PROBE_TAIL) -> dict:
    """Load a copy of the page with the probe; return what the probe saw."""
    html = Path(html_path).read_text("utf-8")
    html = html.replace("<head>", "<head>\n" + PROBE_HEAD, 1)
    idx = html.rfind("</body>")
    html = html[:idx] + tail + html[idx:]
    with tempfile.TemporaryDirectory(prefix="fv-chrome-") as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(html, "utf-8")
        shared = Path(html_path).parent / "plotly.min.js"  # a plotly-shared page's script
        if shared.is_file():
            shutil.copy(shared, Path(tmp) / shared.name)
        proc = subprocess.run(
            [
                chromium(),
                *FLAGS,
                f"--user-data-dir={tmp}/profile",
                "--virtual-time-budget=600000",
                "--dump-dom",
                page.as_uri(),
            ],
            capture_output=True,
            timeout=900,  # wall clock: generous, a slow machine passes slowly
            check=False,
        )
    dom = proc.stdout.decode("utf-8", "replace")
    start = dom.find('<pre id="fv-probe">')
    if start < 0:
        raise AssertionError(f"probe did not run; chromium said: {proc.stderr.decode()[-2000:]}")
    text = dom[start + len('<pre id="fv-probe">') : dom.find("</pre>", start)]
    import html as htmlmod

    return json.loads(htmlmod.unescape(text))


def screenshot(html_path: Path, png: Path, size: str = "1400,900") -> None:
    with tempfile.TemporaryDirectory(prefix="fv-chrome-") as tmp:
        subprocess.run(
            [
                chromium(),
                *FLAGS,
                f"--user-data-dir={tmp}/profile",
                f"--window-size={size}",
                "--virtual-time-budget=10000",
                f"--screenshot={png}",
                Path(html_path).resolve().as_uri(),
            ],
            capture_output=True,
            timeout=120,
            check=True,
        )


#: axe-core from npm (package.json; ./bootstrap.sh test installs it)
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"

AXE_TAIL = """<script>
axe.run(document, {resultTypes: ['violations']}).then(function (r) {
  var pre = document.createElement('pre');
  pre.id = 'fv-probe';
  pre.textContent = JSON.stringify({errors: window.__errors, violations: r.violations.map(function (v) {
    return {id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); })};
  })});
  document.body.appendChild(pre);
});
</script>"""


def axe_violations(html_path: Path) -> list[dict]:
    """Run axe-core over the page in headless Chromium; the probe is written when axe's
    promise resolves (an event), the dump waits for it in virtual time."""
    script = AXE.read_text("utf-8").replace("</script", "<\\/script")
    return probe_page(html_path, f"<script>{script}</script>" + AXE_TAIL)["violations"]
