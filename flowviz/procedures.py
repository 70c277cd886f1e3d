"""Contract procedures graded from open to missing, after Fazekas's Corruption Risk Index.

A yes/no "competitive" hides the steps between an open tender and no procedure at all; the
grade keeps them. The mapping from the published 契約方式等 (RS 5-1/5-4) is a table of prefixes,
first match wins, and a configuration file may replace it (see :mod:`flowviz.analysis.indicators`):

====  ==========  ===============================================================
0     open        一般競争契約 (最低価格, 総合評価)
1     invitation  指名競争契約; 随意契約（公募）and（企画競争）: a call, but limited
2     negotiated  随意契約（その他）,（不落・不調）,（少額）: no competition
3     other       その他, 補助金等交付 and anything not listed
4     missing     nothing published
====  ==========  ===============================================================
"""

from __future__ import annotations

import unicodedata

GRADE_NAMES = ("open", "invitation", "negotiated", "other", "missing")
DEFAULT_GRADES: tuple[tuple[str, int], ...] = (
    ("一般競争", 0),
    ("指名競争", 1),
    ("随意契約(公募", 1),
    ("随意契約(企画競争", 1),
    ("随意契約", 2),
)
OTHER, MISSING = 3, 4


def procedure_grade(
    method: str | None, grades: tuple[tuple[str, int], ...] = DEFAULT_GRADES
) -> int:
    """0 (open) … 4 (missing) for a published 契約方式等; full/half width are folded."""
    m = unicodedata.normalize("NFKC", method or "").replace(" ", "")
    if not m:
        return MISSING
    for prefix, grade in grades:
        if m.startswith(unicodedata.normalize("NFKC", prefix)):
            return grade
    return OTHER


def is_competitive(method: str | None) -> bool:
    """一般競争 or 指名競争: a tender in which more than one bidder could take part."""
    m = unicodedata.normalize("NFKC", method or "").replace(" ", "")
    return m.startswith(("一般競争", "指名競争"))
