"""Kinds of organisation (company, local government, agency …), and on what the kind rests.

The RS files publish a 法人種別 code only in 5-1 and 5-4; 5-3 and the old-format sheets give a
name and often a 法人番号. So the kind is taken, in this order, from the published code, from
the 法人番号 (the National Tax Agency numbers every national body ``?000012…`` and every local
government ``?000020…``), or from the legal form written in the name. Each answer carries its
basis, so a reader can tell a published fact from an inference.
"""

from __future__ import annotations

import re
import unicodedata

from flowviz import corpnum

#: kind → what users call it (the names ``--kind`` accepts)
KINDS = {
    "company": "company (株式会社, 合同会社 …)",
    "local": "local government (地方公共団体)",
    "national": "national body (国の機関)",
    "agency": "independent agency (独立行政法人, 国立研究開発法人, 特殊法人 …)",
    "association": "association or foundation (一般/公益 社団・財団法人)",
    "university": "university or school (国立大学法人, 学校法人 …)",
    "nonprofit": "NPO (特定非営利活動法人)",
    "other": "another registered body",
    "unknown": "not known from the data",
}

_CODES = {
    "101": "national",
    "201": "local",
    "301": "company",
    "302": "company",
    "303": "company",
    "304": "company",
    "305": "company",
    "401": "company",
    "399": "other",
    "499": "other",
}
_NAME_FORMS = (
    ("company", r"株式会社|有限会社|合同会社|合資会社|合名会社|\(株\)|\(有\)|\(同\)|㈱|㈲"),
    ("university", r"国立大学法人|公立大学法人|学校法人|大学共同利用機関法人"),
    ("agency", r"独立行政法人|国立研究開発法人|地方独立行政法人|\(独\)|\(研\)"),
    (
        "association",
        r"一般社団法人|公益社団法人|一般財団法人|公益財団法人|\(一社\)|\(公社\)|\(一財\)|\(公財\)",
    ),
    ("nonprofit", r"特定非営利活動法人|NPO法人"),
    ("local", r"^(.{1,6}[都道府県]|.{1,8}[市区町村])$"),
)
_NAME_RES = [(kind, re.compile(pattern)) for kind, pattern in _NAME_FORMS]


def organisation_kind(
    name: str | None, corporate_number: str | None = None, code: str | None = None
) -> tuple[str, str]:
    """``(kind, basis)``: basis is ``法人種別``, ``法人番号``, ``name`` or ``""`` (unknown)."""
    if code and code.strip() in _CODES:
        return _CODES[code.strip()], "法人種別"
    n = (corporate_number or "").strip()
    if len(n) == 13 and n.isdigit():
        if n[1:7] == "000012":
            return "national", "法人番号"
        if n[1:7] == "000020":
            return "local", "法人番号"
    text = unicodedata.normalize("NFKC", name or "").replace(" ", "").replace("\u3000", "")
    for kind, rx in _NAME_RES:
        if rx.search(text):
            return kind, "name"
    if n:
        return "other", "法人番号"
    return "unknown", ""


#: 法人種別 → the v1 format's ``kind`` (coarser: the picture's colours and FtM schemas)
_MODEL_KINDS = {"101": "agency", "201": "local_government", "399": "other", "499": "other"}
_COMPANY_WORDS = ("株式会社", "有限会社", "合同会社", "（株）", "(株)")
_AGENCY_WORDS = (
    "機構",
    "独立行政法人",
    "国立大学法人",
    "法人",
    "公庫",
    "センター",
    "協会",
    "研究所",
)


def model_kind(name: str, corp_kind: str | None, number: str | None) -> str:
    """The v1 ``kind`` of a payee read from the store: 法人種別 when published, else the name."""
    if number == corpnum.INDIVIDUAL_PLACEHOLDER:
        return "individual"
    code = (corp_kind or "").strip()
    if code in _CODES:
        k = _MODEL_KINDS.get(code, "company")
        if k != "other" or not name:
            return k
    n = name or ""
    if any(w in n for w in _COMPANY_WORDS):
        return "company"
    if any(w in n for w in _AGENCY_WORDS):
        return "agency"
    if n.endswith(("都", "道", "府", "県", "市", "区", "町", "村")) or "地方公共団体" in n:
        return "local_government"
    if any(w in n for w in ("省", "庁")) and len(n) <= 12:
        return "ministry"
    return "other"
