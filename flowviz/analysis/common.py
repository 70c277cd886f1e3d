"""Shared pieces of the analyses: percentages and finding entities by id, 法人番号 or name."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from flowviz import corpnum
from flowviz.exceptions import EntityNotFound
from flowviz.model import FlowDocument
from flowviz.names import looks_like_corporate_number, normalise_name


def pct(part: int | None, whole: int | None) -> Decimal | None:
    """``part / whole`` in percent, exactly rounded; ``None`` if either is unknown or whole is 0."""
    if part is None or not whole:
        return None
    value = Decimal(part) * 100 / Decimal(whole)
    # one decimal is enough for large shares; small ones keep three so they never read 0.0
    step = Decimal("0.1") if abs(value) >= 1 or value == 0 else Decimal("0.001")
    return value.quantize(step, ROUND_HALF_UP)


def resolve(doc: FlowDocument, query: str) -> list[str]:
    """Entity ids matching ``query``: an id, a 法人番号, or a (normalised) name.

    Exact matches win over substring matches. Raises :class:`EntityNotFound`
    naming close candidates when nothing matches.
    """
    q = query.strip()
    ids = [e.id for e in doc.entities if e.id == q]
    if ids:
        return ids
    if looks_like_corporate_number(q):
        n = corpnum.normalise(q)
        ids = [e.id for e in doc.entities if e.corporate_number == n]
        if ids:
            return ids
    key = normalise_name(q)
    if key:
        exact = [e.id for e in doc.entities if normalise_name(e.name) == key]
        if exact:
            return exact
        part = [e.id for e in doc.entities if key in normalise_name(e.name)]
        if part:
            return part
    names = ", ".join(e.name for e in doc.entities[:8])
    raise EntityNotFound(
        f"{doc.file or doc.project.id}: no entity matches {query!r}; give an id, a 法人番号"
        f" or part of a name (entities: {names})"
    )
