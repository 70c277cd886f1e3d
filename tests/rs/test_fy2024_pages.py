"""Every kind of FY2024 project gets a working light page: loaded in the real Chromium (one
process, the pages in iframes reporting back by postMessage), with no script error.

Which projects: every project none of whose links has a published amount (unknown lines only),
every 7th project with no positive band at all (zero, unknown or negative links only), and every
200th of the rest. Skipped when ``../shared/data/rs2024`` is not beside the repository.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import pytest

from flowviz.render.api import RenderOptions, render_document
from flowviz.sources.rs_csv import read_files
from flowviz.store.db import connect, import_files
from flowviz.store.rs_document import document_from_store

from ..browser import FLAGS, chromium
from ..conftest import ROOT

RS2024 = ROOT.parent / "shared" / "data" / "rs2024"
pytestmark = pytest.mark.skipif(not RS2024.is_dir(), reason="../shared/data/rs2024 not present")

REPORT = """<script>
window.__errors = [];
window.addEventListener('error', function (e) { window.__errors.push(String(e.message)); });
window.addEventListener('load', function () {
  var nodes = document.querySelectorAll('#fv-sankey g[id^="fv-node-"]');
  if (nodes.length) nodes[0].dispatchEvent(new MouseEvent('click', {bubbles: true}));
  parent.postMessage(JSON.stringify({page: location.pathname.split('/').pop(), errors: window.__errors,
    nodes: nodes.length, empty: !!document.querySelector('.empty')}), '*');
});
</script>"""

INDEX = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<script>var seen = [], expected = {count}, done = false;
function dump() { if (done) return; done = true; var pre = document.createElement('pre');
  pre.id = 'fv-probe'; pre.textContent = JSON.stringify(seen); document.body.appendChild(pre); }
// every page reports once it has loaded: dump when all have (an event, not a time budget);
// the long timer only ends a run where a page never reports, and the test then says so
window.addEventListener('message', function (e) {
  seen.push(JSON.parse(e.data)); if (seen.length === expected) dump(); });
setTimeout(dump, 100000);
</script>{frames}</body></html>"""


def test_light_pages_load_without_errors():
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "f.db"
        import_files(db, read_files(sorted(RS2024.glob("*.zip"))))
        con = connect(db)
        pids = [r[0] for r in con.execute("SELECT project_id FROM projects WHERE year = 2024")]
        chosen, no_amount, no_band = [], 0, 0
        for i, pid in enumerate(pids):
            doc = document_from_store(con, 2024, pid)
            amounts = [f.amount_yen for f in doc.flows]
            if not amounts:  # nothing published with an amount: a page that says so
                no_amount += 1
                if no_amount % 20 == 1:
                    chosen.append(doc)
            elif all(a is None for a in amounts):  # every link of unknown amount
                no_amount += 1
                if no_amount % 5 == 1:
                    chosen.append(doc)
            elif not any(a and a > 0 for a in amounts):
                no_band += 1
                if no_band % 7 == 1:
                    chosen.append(doc)
            elif i % 200 == 0:
                chosen.append(doc)
        out = Path(tmp) / "pages"
        names = []
        for doc in chosen:
            (page,) = render_document(doc, out, RenderOptions(formats=("html",)))
            page.write_text(
                page.read_text("utf-8").replace("<head>", "<head>" + REPORT, 1), "utf-8"
            )
            names.append(page.name)
        frames = "".join(
            f'<iframe src="pages/{n}" width="200" height="100"></iframe>' for n in names
        )
        index = Path(tmp) / "index.html"
        index.write_text(
            INDEX.replace("{frames}", frames).replace("{count}", str(len(names))), "utf-8"
        )
        proc = subprocess.run(
            [
                chromium(),
                *FLAGS,
                f"--user-data-dir={tmp}/profile",
                "--allow-file-access-from-files",
                "--virtual-time-budget=200000",
                "--dump-dom",
                index.as_uri(),
            ],
            capture_output=True,
            timeout=900,
            check=False,
        )
        dom = proc.stdout.decode("utf-8", "replace")
        start = dom.index('<pre id="fv-probe">') + len('<pre id="fv-probe">')
        import html

        seen = json.loads(html.unescape(dom[start : dom.index("</pre>", start)]))
    # 1,326 projects publish no amount at all (blank 5-3 cells are unknown, never 0円)
    assert no_amount > 1000 and no_band > 50
    assert len(seen) == len(names) > 150
    assert [s for s in seen if s["errors"]] == []
    assert all(s["nodes"] > 0 or s["empty"] for s in seen)
