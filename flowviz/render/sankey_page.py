"""The light interactive Sankey page: the static SVG plus a few lines of script.

Self-contained and offline (no library, no network): hover shows each link's and node's exact
figures (the SVG's own ``<title>`` text, in a panel), and a click on an organisation keeps only
the money that reaches it or leaves it (click the background to reset). A project with no
published flows gets an explicit page saying so. Tens of kilobytes, where the plotly page
(``--format plotly``) inlines 4.8 MB of plotly.js.
"""

from __future__ import annotations

from html import escape

from flowviz.i18n import current
from flowviz.messages import msg
from flowviz.render.figure import FONT_FAMILY, SankeyFigure
from flowviz.render.sankey_svg import sankey_svg
from flowviz.text import xml_safe

SCRIPT = """
(function () {
  var svg = document.querySelector('#fv-sankey svg'), panel = document.getElementById('fv-panel');
  var links = Array.prototype.slice.call(svg.querySelectorAll('g[data-flow]'));
  var nodes = Array.prototype.slice.call(svg.querySelectorAll('g[id^="fv-node-"]'));
  function show(el) {
    var t = el.querySelector('title');
    panel.textContent = t ? t.textContent : '';
  }
  function reach(start, from, to) {
    var seen = {}, queue = [start];
    seen[start] = true;
    while (queue.length) {
      var n = queue.shift();
      links.forEach(function (l) {
        if (l.getAttribute(from) === n && !seen[l.getAttribute(to)]) {
          seen[l.getAttribute(to)] = true; queue.push(l.getAttribute(to));
        }
      });
    }
    return seen;
  }
  function focus(i) {
    var down = reach(i, 'data-s', 'data-t'), up = reach(i, 'data-t', 'data-s');
    nodes.forEach(function (n) {
      var k = n.id.slice(8);
      n.classList.toggle('fv-faded', !(down[k] || up[k]));
    });
    links.forEach(function (l) {
      var s = l.getAttribute('data-s'), t = l.getAttribute('data-t');
      l.classList.toggle('fv-faded', !((down[s] && down[t]) || (up[s] && up[t])));
    });
  }
  links.concat(nodes).forEach(function (el) {
    el.addEventListener('mouseenter', function () { show(el); });
  });
  nodes.forEach(function (n) {
    n.style.cursor = 'pointer';
    n.addEventListener('click', function (e) { e.stopPropagation(); focus(n.id.slice(8)); });
  });
  svg.addEventListener('click', function () {
    nodes.concat(links).forEach(function (el) { el.classList.remove('fv-faded'); });
    panel.textContent = '';
  });
})();
"""


def _e(s: object) -> str:
    return escape(xml_safe(str(s)), quote=True)


def sankey_page(fig: SankeyFigure, svg: str | None = None) -> str:
    """The page as text; the figure's SVG (``svg`` if already drawn) is inlined as is."""
    svg = svg or sankey_svg(fig)
    svg = svg[svg.find("<svg") :]
    empty = ""
    if not fig.links:
        empty = (
            f'<p class="empty"><b>{_e(msg("資金の流れは公表されていない"))}</b>'
            f"{_e(msg('（支出額もつながりも記載された支出先がない）'))}</p>"
        )
    help_text = msg(
        "線や組織にポインタを置くと正確な金額と契約が表示されます。組織をクリックすると、"
        "その組織に届く・そこから出る資金だけを残します（背景のクリックで元に戻す）。"
    )
    return f"""<!DOCTYPE html>
<html lang="{current()}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(fig.title)}</title>
<style>
body {{ font-family: {FONT_FAMILY}; margin: 12px; color: #222; }}
#fv-sankey svg {{ max-width: 100%; height: auto; }}
.fv-faded {{ opacity: .12; }}
#fv-panel {{ white-space: pre-wrap; font-size: 12px; background: #f6f6f6; border: 1px solid #ddd;
  padding: 6px 8px; min-height: 1.4em; position: sticky; top: 0; }}
.empty {{ font-size: 16px; padding: 12px; background: #fff7e6; border: 1px solid #f0c36d; }}
.help {{ color: #555; font-size: 12px; }}
.fv-hidden {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }}
</style>
</head>
<body>
<main>
<h1 class="fv-hidden">{_e(fig.title)}</h1>
{empty}<p class="help">{_e(help_text)}</p>
<div id="fv-panel" aria-live="polite"></div>
<div id="fv-sankey">{svg}</div>
</main>
<script>{SCRIPT}</script>
</body>
</html>
"""
