"""The picture palette reads for everyone: every pair of colours a legend tells apart by colour
alone stays ΔE ≥ 15 (CAM02-UCS, colorspacious) for normal, protan, deutan and tritan vision
(full severity), graphics reach 3:1 against the white background and text 4.5:1 (WCAG 2.1)."""

from __future__ import annotations

import itertools
import re

import pytest

from flowviz.render import figure

colorspacious = pytest.importorskip("colorspacious")

VISIONS = [None] + [
    {"name": "sRGB1+CVD", "cvd_type": t, "severity": 100}
    for t in ("protanomaly", "deuteranomaly", "tritanomaly")
]
#: the colours that carry a meaning on their own (kinds of organisation, link colours); the
#: hatched, thin, dotted-edge and flagged marks differ by pattern and are not compared
MEANINGS = {
    **{f"kind {k}": c for k, c in figure.KIND_COLORS.items()},
    "non-competitive": figure.NON_COMPETITIVE_COLOR,
    "unknown": figure.UNKNOWN_COLOR,
    "negative": figure.NEGATIVE_COLOR,
    "suspect": figure.SUSPECT_COLOR,
}


def srgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return tuple(int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def seen(hex_colour: str, vision: dict | None) -> tuple[float, float, float]:
    rgb = srgb(hex_colour)
    if vision is None:
        return rgb
    out = colorspacious.cspace_convert(rgb, vision, "sRGB1")
    return tuple(min(max(float(v), 0.0), 1.0) for v in out)  # type: ignore[return-value]


def contrast(a: str, b: str = "#ffffff") -> float:
    def lum(h: str) -> float:
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in srgb(h)]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_every_pair_of_legend_colours_differs_under_colour_vision_deficiency():
    distinct = {}
    for name, colour in MEANINGS.items():  # kinds sharing a colour share one legend entry
        distinct.setdefault(colour.lower(), name)
    worst = []
    for (a, na), (b, nb) in itertools.combinations(distinct.items(), 2):
        delta = min(
            colorspacious.deltaE(seen(a, v), seen(b, v), input_space="sRGB1") for v in VISIONS
        )
        if delta < 15:
            worst.append((na, nb, round(float(delta), 1)))
    assert worst == []


def test_graphics_reach_3_to_1_and_pattern_lines_4_5_to_1():
    low = {n: round(contrast(c), 2) for n, c in MEANINGS.items() if contrast(c) < 3}
    assert low == {}
    assert contrast(figure.PATTERN_GREY) >= 4.5


def test_text_colours_reach_4_5_to_1(example_doc):
    from flowviz.render.layout import sankey_layout
    from flowviz.render.sankey_svg import sankey_svg

    svg = sankey_svg(sankey_layout(example_doc))
    fills = set(re.findall(r'<text[^>]*fill="(#[0-9a-fA-F]{3,6})"', svg))
    assert fills and {f: round(contrast(f), 2) for f in fills if contrast(f) < 4.5} == {}
