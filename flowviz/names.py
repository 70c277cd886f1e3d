"""Matching organisations the way people type them.

``ネットワンシステムズ``, ``ネットワンシステムズ(株)``, ``株式会社　ネットワンシステムズ`` and
``ﾈｯﾄﾜﾝｼｽﾃﾑｽﾞ株式会社`` are one company: full/half width are folded (NFKC),
spaces dropped, and legal-form words removed wherever they stand.
"""

from __future__ import annotations

import re
import unicodedata

from flowviz import corpnum

_FORMS = re.compile(
    r"株式会社|有限会社|合同会社|合資会社|合名会社|一般社団法人|公益社団法人|一般財団法人|公益財団法人"
    r"|独立行政法人|国立研究開発法人|特定非営利活動法人"
    r"|\(株\)|\(有\)|\(同\)|\(独\)|\(一社\)|\(公社\)|\(一財\)|\(公財\)|㈱|㈲"
)
_SPACE = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """A comparison key for an organisation name (not for display)."""
    s = unicodedata.normalize("NFKC", name or "")
    s = _SPACE.sub("", s)
    s = _FORMS.sub("", s)
    return s.lower()


_SHORT_FORMS = (
    ("株式会社", "(株)"),
    ("有限会社", "(有)"),
    ("合同会社", "(同)"),
    ("一般社団法人", "(一社)"),
    ("公益社団法人", "(公社)"),
    ("一般財団法人", "(一財)"),
    ("公益財団法人", "(公財)"),
    ("独立行政法人", "(独)"),
    ("国立研究開発法人", "(研)"),
)


def short_legal_form(name: str) -> str:
    """The abbreviations Japanese tables use (株式会社 → (株)), for labels in a narrow picture;
    the full name stays in tooltips and tables."""
    for long, short in _SHORT_FORMS:
        name = name.replace(long, short)
    return name


def looks_like_corporate_number(text: str) -> bool:
    n = corpnum.normalise(text)
    return len(n) == 13 and n.isdigit()


# Names that stand for a group rather than one organisation that can be traced.
GENERIC_NAME = re.compile(
    r"^(その他.*|地方公共団体|市区町村|都道府県|市町村|各府省庁|金融機関|中小企業等?|個人.*|民間事業者等?|"
    r"補助事業者|間接補助事業者|.*等)$"
)


def is_generic(name: str) -> bool:
    """True for names such as 地方公共団体 or その他 that name no single recipient."""
    return bool(GENERIC_NAME.match(unicodedata.normalize("NFKC", name or "").strip()))
