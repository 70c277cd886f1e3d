"""Generated alternative text for every picture: what it shows and its largest figures, in the
document's language, at most ~250 characters, every number taken from the data. Goes into
the SVG's ``<desc>`` (and ``aria-describedby``); the tables beside the picture carry the rest."""

from __future__ import annotations

import re

from flowviz.messages import msg
from flowviz.money import format_yen_short
from flowviz.render.figure import SankeyFigure

#: the longest alternative text: what a screen reader reads at once
LIMIT = 250
_BLOCK = re.compile(r"^[A-Z]{1,3}\. ")


def shorten(parts: list[str], limit: int = LIMIT) -> str:
    """Join ``parts`` (the first is the sentence, the rest its list), dropping list items from
    the end until the whole fits ``limit``."""
    head, items = parts[0], list(parts[1:])
    while items:
        text = head + msg("最大: {items}", items=msg("、").join(items))
        if len(text) <= limit:
            return text
        items.pop()
    return head[: limit - 1] + "…" if len(head) > limit else head


def sankey_alt(fig: SankeyFigure) -> str:
    """「資金の流れの図: …が…を…団体に支出。最大: A 約…、B 約…」 from the figure's own nodes."""
    first = [n for n in fig.nodes if n.column == 0]
    paid = sum(n.value_out for n in first)
    payees = sorted((n for n in fig.nodes if n.column > 0), key=lambda n: -n.value_in)
    payer = msg("、").join(_name(n.caption) for n in first[:2]) or msg("府省庁")
    head = msg(
        "資金の流れの図。{payer}から{n}団体へ計{total}。",
        payer=payer,
        n=len(payees),
        total=format_yen_short(paid),
    )
    items = [f"{_name(n.caption)} {format_yen_short(n.value_in)}" for n in payees[:3] if n.value_in]
    return shorten([head, *items])


def _name(caption: str) -> str:
    return _BLOCK.sub("", caption)
