"""Pictures on an A4 page: the orientation that prints a picture largest, and whether its
smallest text still reaches 7 pt there; a picture that cannot is left out of print and the page
says where to find it (the HTML page and the SVG file keep it whole)."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: the smallest text a printed page may carry, in points
MIN_PT = 7.0
_PX_PER_MM = 96 / 25.4
#: room for a figure on an A4 page with the report's margins, its heading and its note (mm)
ROOM_MM = {"portrait": (186.0, 235.0), "landscape": (273.0, 150.0)}
_SIZE = re.compile(r'font-size="([0-9.]+)"')
_LENGTH = re.compile(r"([0-9.]+)\s*(pt|px)?")


@dataclass(frozen=True)
class PrintFit:
    orientation: str  # portrait or landscape
    smallest_pt: float  # the smallest text at print size
    prints: bool  # the smallest text reaches MIN_PT


def _length_px(value: str) -> float:
    m = _LENGTH.match(value or "")
    if not m:
        return 0.0
    return float(m.group(1)) * (4 / 3 if m.group(2) == "pt" else 1)


def print_fit(svg: str) -> PrintFit:
    """How ``svg`` prints at its best on A4 (scaled down to fit, never up)."""
    head = svg[svg.find("<svg") : svg.find(">", svg.find("<svg")) + 1]
    w = _length_px(_attr(head, "width"))
    h = _length_px(_attr(head, "height"))
    box = _attr(head, "viewBox").split()
    unit = w / float(box[2]) if len(box) == 4 and float(box[2]) else 1.0  # px per user unit
    sizes = [float(s) for s in _SIZE.findall(svg)] or [12.0]
    best = PrintFit("portrait", 0.0, False)
    for orientation, (room_w, room_h) in ROOM_MM.items():
        scale = min(1.0, room_w * _PX_PER_MM / w, room_h * _PX_PER_MM / h) if w and h else 1.0
        pt = min(sizes) * unit * scale * 0.75
        if pt > best.smallest_pt + 1e-9:
            best = PrintFit(orientation, round(pt, 2), pt >= MIN_PT)
    return best


def _attr(tag: str, name: str) -> str:
    m = re.search(rf'\s{name}="([^"]*)"', tag)
    return m.group(1) if m else ""
