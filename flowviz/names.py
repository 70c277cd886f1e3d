"""Matching organisations the way people type them: the one normaliser every comparison and
search of a name uses (payee, payees, trace, history, diff, groups, exports, the store's name
index).

``ネットワンシステムズ``, ``ネットワンシステムズ(株)``, ``株式会社　ネットワンシステムズ`` and
``ﾈｯﾄﾜﾝｼｽﾃﾑｽﾞ株式会社`` are one company. Each rule and why:

- neologdn (NFKC, full/half width, the many long-vowel and tilde code points, spaces between
  Japanese characters): the same text typed on different keyboards;
- jaconv hiragana → katakana: 「ねっとわん」 typed for a katakana name;
- middle dots and spaces dropped: ネットワン・システムズ, ネットワン システムズ;
- legal forms removed wherever they stand, in all their spellings (株式会社, (株), （株）, ㈱ …),
  the public and school corporations' too (国立大学法人, 学校法人, (学), 大学共同利用機関法人 …):
  a reader types the name with or without them, and a sheet lists 東京大学 one year and
  国立大学法人東京大学 the next;
- lower case: NEC, ＮＥＣ and nec.
"""

from __future__ import annotations

import re
import unicodedata

from flowviz import corpnum

_FORMS = re.compile(
    r"株式会社|有限会社|合同会社|合資会社|合名会社|一般社団法人|公益社団法人|一般財団法人|公益財団法人"
    r"|地方独立行政法人|独立行政法人|国立研究開発法人|特定非営利活動法人"
    r"|国立大学法人|公立大学法人|大学共同利用機関法人|学校法人|社会医療法人|医療法人|社会福祉法人"
    r"|\(株\)|\(有\)|\(同\)|\(独\)|\(一社\)|\(公社\)|\(一財\)|\(公財\)|\(学\)|\(共\)|\(医\)"
    r"|㈱|㈲"
)
_SPACE = re.compile(r"\s+")


_DOTS = re.compile(r"[・･·\s]+")


def normalise_name(name: str) -> str:
    """A comparison key for an organisation name (not for display): see the module doc."""
    import jaconv
    import neologdn

    s = neologdn.normalize(unicodedata.normalize("NFKC", name or ""))
    s = jaconv.hira2kata(s)
    s = _FORMS.sub("", _DOTS.sub("", s))
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


# Names that stand for a group or a category rather than one organisation that can be traced
# (docs/methods.md lists the rules and their known false positives):
# - その他…, 個人…, 職員…, 非公開, 未定, 不明 and the public-sector groups (地方公共団体, 市区町村 …);
# - …等, …ほか, …外N者, …N者 (one line for several payees);
# - a category of people or businesses (names without a legal form): …者 (年金受給者, 事業者, 旧軍人遺族等恩給受給者) except
#   the officials who receive on a public body's behalf (…管理者: 仙台市会計管理者);
# - a programme or activity named in place of a payee: …事業 (統計調査製表事業).
GENERIC_NAME = re.compile(
    r"^(その他.*|地方公共団体|市区町村|都道府県|市町村|各府省庁|金融機関|中小企業等?|個人.*|職員.*|"
    r"民間事業者等?|補助事業者|間接補助事業者|非公開.*|未定|不明|.*等|.*ほか|.*外?[0-9]+者)$"
)
#: categories of people or activities; not applied to a name with a legal form
#: (中間貯蔵・環境安全事業株式会社 is one company)
CATEGORY_NAME = re.compile(r"^((?!.*管理者$).*者|.*事業)$")
#: anonymised payees: one Latin letter standing for a name (株式会社Ａ, A社, 不動産業者B, 公立大学
#: 法人G), or ○○-style masks. After NFKC, so full-width Ａ is A. A katakana name ending in a
#: letter is a brand (株式会社スカイＡ), and a payee with a 法人番号 is never anonymised.
MASKED_NAME = re.compile(
    r"^[A-Za-z](社|氏)?$|[\u4e00-\u9fff][A-Za-z]$|^[A-Za-z][\u4e00-\u9fff]|○○|〇〇|●●|××|\*\*|＊＊"
)


def _stem(name: str) -> str:
    s = unicodedata.normalize("NFKC", name or "")
    return _FORMS.sub("", _SPACE.sub("", s))


def is_generic(name: str) -> bool:
    """True for names such as 地方公共団体, その他 or 年金受給者 that name no single recipient."""
    stem = _stem(name)
    if GENERIC_NAME.match(stem):
        return True
    plain = unicodedata.normalize("NFKC", name or "")
    return bool(CATEGORY_NAME.match(stem)) and not _FORMS.search(plain)


def is_masked(name: str) -> bool:
    """True for anonymised payees (株式会社Ａ, 職員Ａ, A社, ○○): one organisation or person whose
    name the sheet withholds; never ranked as an organisation."""
    return bool(MASKED_NAME.search(_stem(name)))


def name_class(name: str, corporate_number: str | None = None) -> str:
    """``"group"``, ``"masked"`` or ``""`` (an organisation that can be ranked)."""
    number = corpnum.normalise(corporate_number or "")
    if is_masked(name) and not (number and corpnum.is_valid(number)):
        return "masked"
    return "group" if is_generic(name) else ""
