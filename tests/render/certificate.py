"""Recount a Sankey SVG's certificate from its own geometry, with no flowviz code but the font
metrics: band ends from the path data, thickness from the path (bands) or the stroke (lines),
columns from the node bars. Pair-by-pair, so it shares nothing with the layout's count."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from .svg_boxes import NS, collisions, smallest_text_px

_NUM = re.compile(r"-?[0-9.]+")
QUALITY = "{https://github.com/flowviz/flowviz/quality/1}quality"


@dataclass
class End:
    x0: float
    x1: float
    c0: float  # centre of the band at its start
    c1: float  # and at its end
    w: float


def certificate(svg: str) -> dict[str, str]:
    """The attributes of the certificate in the SVG's <metadata>."""
    el = ET.fromstring(svg).find(f"{NS}metadata/{QUALITY}")
    assert el is not None, "no certificate in the SVG"
    return dict(el.attrib)


def forward_ends(svg: str) -> list[End]:
    root = ET.fromstring(svg)
    bars = {}
    for g in root.iter(f"{NS}g"):
        if (g.get("id") or "").startswith("fv-node-"):
            bars[g.get("id")[8:]] = float(g.find(f"{NS}rect").get("x"))
    out = []
    for g in root.iter(f"{NS}g"):
        if g.get("data-flow") is None or bars[g.get("data-t")] <= bars[g.get("data-s")]:
            continue  # a back link: it loops below, not counted
        path = g.find(f"{NS}path")
        n = [float(v) for v in _NUM.findall(path.get("d"))]
        x0, y0, x1, y1 = n[0], n[1], n[6], n[7]
        if path.get("fill") == "none":  # a centre line
            out.append(End(x0, x1, y0, y1, float(path.get("stroke-width"))))
        else:  # a band: M x0,y0 C .. .. x1,y1 L x1,y1+w ...
            w = n[9] - n[7]
            out.append(End(x0, x1, y0 + w / 2, y1 + w / 2, w))
    return out


def recount(svg: str) -> dict[str, float]:
    """Crossings, weighted crossings, swing, coverage, label overlaps and the smallest text."""
    ends = forward_ends(svg)
    count, weighted = 0, 0.0
    for i, a in enumerate(ends):
        for b in ends[i + 1 :]:
            if (a.x0, a.x1) == (b.x0, b.x1) and (a.c0 - b.c0) * (a.c1 - b.c1) < 0:
                count += 1
                weighted += a.w * b.w
    total = sum(e.w for e in ends)
    root = ET.fromstring(svg)
    rects = [
        g.find(f"{NS}rect")
        for g in root.iter(f"{NS}g")
        if (g.get("id") or "").startswith("fv-node-")
    ]
    xs = [float(r.get("x")) + d for r in rects for d in (0, float(r.get("width")))]
    ys = [float(r.get("y")) + d for r in rects for d in (0, float(r.get("height")))]
    _, _, vw, vh = (float(v) for v in root.get("viewBox").split())
    return {
        "crossings": count,
        "weighted-crossings": weighted,
        "swing-px": sum(e.w * abs(e.c1 - e.c0) for e in ends) / total if total else 0.0,
        "coverage-width": (max(xs) - min(xs)) / vw,
        "coverage-height": (max(ys) - min(ys)) / vh,
        "label-overlaps": len([c for c in collisions(svg) if " overlaps text " in c]),
        "smallest-text-px": smallest_text_px(svg),
    }


def mismatches(svg: str) -> list[str]:
    """Where the certificate and the recount disagree (beyond the 0.1 px rounding of the SVG)."""
    cert, got = certificate(svg), recount(svg)
    bad = []
    for key, value in got.items():
        stated = float(cert[key])
        tol = 0.0 if key in ("crossings", "label-overlaps") else 0.02 * abs(value) + 0.2
        if key.startswith("coverage"):
            tol = 0.01
        if abs(stated - value) > tol:
            bad.append(f"{key}: certificate {cert[key]}, recount {value:.4f}")
    return bad
