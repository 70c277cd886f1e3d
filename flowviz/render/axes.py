"""A money axis for the charts: round ticks from 0, numbers in one unit that the axis names
(億円, 万円 … in Japanese; ¥ billion, ¥ million … in English). Integer yen throughout."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from flowviz.i18n import english
from flowviz.messages import N_, msg

#: the units an axis may count in, largest first: (yen, message key)
_UNITS_JA = ((10**12, N_("兆円")), (10**8, N_("億円")), (10**4, N_("万円")), (1, N_("円")))
_UNITS_EN = ((10**12, "¥ trillion"), (10**9, "¥ billion"), (10**6, "¥ million"), (1, "¥"))


def ticks(top: int, most: int = 5) -> list[int]:
    """0 and round steps (1, 2 or 5 × 10ⁿ yen) up to the first at or above ``top``."""
    top = max(top, 1)
    step = 1
    while True:
        for m in (1, 2, 5):
            if top <= step * m * (most - 1):
                s = step * m
                n = -(-top // s)
                return [i * s for i in range(n + 1)]
        step *= 10


def unit_for(top: int) -> tuple[int, str]:
    """The largest unit the axis maximum reaches, and its name in the document's language."""
    units = _UNITS_EN if english() else _UNITS_JA
    for size, name in units:
        if top >= size:
            return size, name if english() else msg(name)
    return units[-1]


def number(v: int, size: int) -> str:
    """``v`` yen in ``size`` units, exactly: 150億円 on a 億 axis is 150, 1.5 on a 兆 axis."""
    q = Decimal(v) / size
    return f"{q.normalize():,f}" if q != q.to_integral() else f"{int(q):,}"


def y_axis(
    left: float, top_y: float, height: float, width: float, tick_values: list[int]
) -> list[str]:
    """The axis as SVG: a line, a tick, a light grid line across ``width`` and a label per
    value, and the unit above."""
    hi = tick_values[-1] or 1
    size, name = unit_for(hi)
    out = [
        f'<line x1="{left}" y1="{top_y}" x2="{left}" y2="{top_y + height}" stroke="#595959"/>',
        f'<text x="{left - 4}" y="{top_y - 8}" text-anchor="end" font-size="11" fill="#333">'
        f"{escape(msg('（{unit}）', unit=name))}</text>",
    ]
    for v in tick_values:
        y = top_y + height - height * v / hi
        out.append(
            f'<line x1="{left - 4}" y1="{y:.1f}" x2="{left}" y2="{y:.1f}" stroke="#595959"/>'
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + width}" y2="{y:.1f}" stroke="#e5e5e5"'
            ' stroke-width="0.6"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#333">'
            f"{escape(number(v, size))}</text>"
        )
    return out
