"""Read a Sankey SVG back as geometry: the box of every line of text (measured with the real
font through flowviz.text, the metrics the layout used) and the start of every band; and the
smallest text size at the picture's displayed width."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from flowviz.text import text_width

NS = "{http://www.w3.org/2000/svg}"
_NUM = re.compile(r"-?[0-9.]+")


@dataclass
class Box:
    x0: float
    y0: float
    x1: float
    y1: float
    what: str

    def overlaps(self, o: Box, tol: float = 0.5) -> bool:
        return (
            self.x0 < o.x1 - tol
            and o.x0 < self.x1 - tol
            and self.y0 < o.y1 - tol
            and o.y0 < self.y1 - tol
        )


def _size(el: ET.Element, inherited: float) -> float:
    return float(el.get("font-size", inherited))


def text_boxes(svg: str) -> list[Box]:
    """One box per drawn line of text (a <text> or each of its <tspan>s)."""
    root = ET.fromstring(svg)
    out: list[Box] = []

    def walk(el: ET.Element, size: float) -> None:
        size = _size(el, size)
        if el.tag == NS + "text":
            out.extend(_lines(el, size))
            return
        for child in el:
            walk(child, size)

    walk(root, 12.0)
    for rect in root.iter(NS + "rect"):  # the white halo behind a label covers what it spans
        if rect.get("fill") == "#ffffff" and rect.get("fill-opacity"):
            x, y = float(rect.get("x")), float(rect.get("y"))
            w, h = float(rect.get("width")), float(rect.get("height"))
            out.append(Box(x, y, x + w, y + h, "label halo"))
    return out


def _lines(text: ET.Element, size: float) -> list[Box]:
    x, y = float(text.get("x", 0)), float(text.get("y", 0))
    anchor = text.get("text-anchor", "start")
    spans = list(text.iter(NS + "tspan")) or [text]
    boxes = []
    for sp in spans:
        s = _size(sp, size)
        if sp is not text:
            x = float(sp.get("x", x))
            y += float(sp.get("dy", 0))
        content = "".join(sp.itertext()) if sp is text else (sp.text or "")
        if not content.strip():
            continue
        w = text_width(content, s, bold=sp.get("font-weight") == "bold")
        left = x - w if anchor == "end" else x - w / 2 if anchor == "middle" else x
        mid = y + (0.35 * s if text.get("dy") == "0.35em" else -0.35 * s)
        boxes.append(Box(left, mid - 0.5 * s, left + w, mid + 0.5 * s, content))
    return boxes


def band_starts(svg: str, reach: float = 20.0) -> list[Box]:
    """Where each link leaves its node: ``reach`` px of the band (or the line) from x0."""
    root = ET.fromstring(svg)
    out = []
    for g in root.iter(NS + "g"):
        if g.get("data-flow") is None:
            continue
        path = g.find(NS + "path")
        nums = [float(v) for v in _NUM.findall(path.get("d", ""))]
        x0, y0 = nums[0], nums[1]
        y_end = nums[-1] if path.get("fill") != "none" else y0 + 1
        lo, hi = sorted((y0, y_end))
        out.append(Box(x0, lo, x0 + reach, max(hi, lo + 1), f"band {g.get('data-flow')}"))
    return out


def collisions(svg: str) -> list[str]:
    """Every pair of overlapping text lines, and every text line over the start of a band."""
    texts = text_boxes(svg)
    found = []
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            if "label halo" in (a.what, b.what):
                continue  # a halo sits behind its own label by design
            if a.overlaps(b):
                found.append(f"text {a.what!r} overlaps text {b.what!r}")
        for band in band_starts(svg):
            if a.overlaps(band):
                found.append(f"text {a.what!r} covers the start of {band.what}")
    return found


def smallest_text_px(svg: str) -> float:
    """The smallest font size times the display scale (width attribute ÷ viewBox width)."""
    root = ET.fromstring(svg)
    view_w = float(root.get("viewBox").split()[2])
    scale = float(root.get("width")) / view_w
    sizes = []

    def walk(el: ET.Element, size: float) -> None:
        size = _size(el, size)
        if el.tag in (NS + "text", NS + "tspan") and (el.text or "").strip():
            sizes.append(size)
        for child in el:
            walk(child, size)

    walk(root, 12.0)
    return min(sizes) * scale


def outside(svg: str, tol: float = 0.5) -> list[str]:
    """Every line of text that reaches past the SVG's viewBox (or its width and height)."""
    root = ET.fromstring(svg)
    box = root.get("viewBox")
    w, h = (
        map(float, box.split()[2:])
        if box
        else (float(root.get("width")), float(root.get("height")))
    )
    return [
        f"{b.what!r} at ({b.x0:.0f}, {b.y0:.0f})–({b.x1:.0f}, {b.y1:.0f}) outside {w:.0f}×{h:.0f}"
        for b in text_boxes(svg)
        if b.what != "label halo"
        and (b.x0 < -tol or b.y0 < -tol or b.x1 > w + tol or b.y1 > h + tol)
    ]
