"""English for the pictures, reports and flags (``--lang en``), from a glossary people can extend.

Every string a picture shows passes through one :class:`Translator` made for its document, in
named steps: organisation names are set aside (shown as "English (原名)" from the glossary, or a
romanised reading with the legal form translated: "Nettowan Shisutemuzu Co., Ltd. (…)"),
amounts become ¥ with million/billion, Japanese fiscal years become FY, the glossary's phrases
are replaced longest first, Japanese punctuation becomes ASCII, and whatever Japanese is left is
romanised with pykakasi, or, for a whole sentence, marked as untranslated (never passed through). The glossary is ``flowviz/data/glossary_en.toml``
plus the file named by ``$FLOWVIZ_GLOSSARY``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from functools import lru_cache
from typing import Any

LANGS = ("ja", "en")
_LANG: ContextVar[str] = ContextVar("flowviz_lang", default="ja")

#: kana, kanji, CJK punctuation and full-width forms: what English output must not contain
#: outside organisations' original names
JAPANESE = re.compile(
    r"[\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u9fff\uf900-\ufaff\uff01-\uff60]+"
)
_PUNCT = {
    "、": ", ", "。": ". ", "（": " (", "）": ")", "・": "/", "：": ": ", "「": "“", "」": "”",
    "『": "“", "』": "”", "　": " ", "～": "–", "〜": "–", "／": "/", "，": ", ", "．": ".",
    "％": "%", "＋": "+", "－": "−", "＝": "=", "［": "[", "］": "]", "【": "[", "】": "]",
}  # fmt: skip
_AMOUNT = re.compile(
    r"(約)?([−-])?((?:[0-9][0-9,]*(?:\.[0-9]+)?兆)?(?:[0-9][0-9,]*億)?(?:[0-9][0-9,]*万)?(?:[0-9][0-9,]*)?)円"
)
_AMOUNT_END = re.compile(_AMOUNT.pattern + r"\Z")
#: the longest amount written out (兆, 億, 万 and digits with commas and decimals) is far shorter;
#: a longer run of digits before 円 is left as written rather than read as one figure
MAX_AMOUNT = 48
_AMOUNT_CHARS = frozenset("0123456789,.兆億万")
_ERA = re.compile(r"(令和|平成|昭和)(元|[0-9]{1,3})年度?")
_ERA_START = {"令和": 2019, "平成": 1989, "昭和": 1926}
_UNITS = {"兆": 10**12, "億": 10**8, "万": 10**4}


def current() -> str:
    return _LANG.get()


def english() -> bool:
    return _LANG.get() == "en"


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Draw and write in ``lang`` (ja or en) inside the block."""
    if lang not in LANGS:
        from flowviz.exceptions import OptionError

        raise OptionError(f"--lang {lang!r}: choose ja or en")
    token = _LANG.set(lang)
    try:
        yield
    finally:
        _LANG.reset(token)


@lru_cache(maxsize=1)
def glossary() -> dict[str, dict[str, str]]:
    """The shipped glossary, with ``$FLOWVIZ_GLOSSARY``'s tables laid over it (read only for
    English: the Japanese start-up pays nothing for it)."""
    from pathlib import Path

    import tomllib

    text = (Path(__file__).resolve().parent / "data" / "glossary_en.toml").read_text("utf-8")
    g: dict[str, dict[str, Any]] = tomllib.loads(text)
    extra = os.environ.get("FLOWVIZ_GLOSSARY")
    if extra:
        from flowviz.glossary_file import read_glossary

        for table, entries in read_glossary(extra).items():
            g.setdefault(table, {}).update(entries)
    return g


@lru_cache(maxsize=1)
def _kakasi() -> Any:
    import pykakasi  # a maintained romaniser; 0.4 s to load its dictionary, so only for en

    return pykakasi.kakasi()


ROMANISE_PIECE = 64


@lru_cache(maxsize=4096)
def romanise(text: str) -> str:
    """A Hepburn reading, words capitalised: ネットワンシステムズ → Nettowanshisutemuzu."""
    # in pieces: pykakasi's time grows with the square of its input (8,000 kanji took 5 s)
    pieces = (text[i : i + ROMANISE_PIECE] for i in range(0, len(text), ROMANISE_PIECE))
    words = [w["hepburn"] for p in pieces for w in _kakasi().convert(p) if w["hepburn"].strip()]
    return " ".join(w[:1].upper() + w[1:] for w in words)


def yen_en(n: int, rounded: bool = False) -> str:
    """¥ with million/billion/trillion: exact when the figure allows, else ≈ three decimals."""
    sign, a = ("−" if n < 0 else ""), abs(n)
    for word, size in (("trillion", 10**12), ("billion", 10**9), ("million", 10**6)):
        if a >= size:
            v = Decimal(a) / size
            shown = v.quantize(Decimal("0.001")).normalize()
            approx = rounded or shown != v
            return f"{sign}{'≈' if approx else ''}¥{shown:,f} {word}"
    return f"{sign}{'≈' if rounded else ''}¥{a:,}"


def _amount(m: re.Match) -> str:
    approx, sign, body = m.group(1), m.group(2), m.group(3)
    if not body or not any(c.isdigit() for c in body):
        return m.group(0)
    total, rest = Decimal(0), body
    for unit, size in _UNITS.items():
        if unit in rest:
            head, rest = rest.split(unit, 1)
            total += Decimal(head.replace(",", "")) * size
    total = int(total + (int(rest.replace(",", "")) if rest else 0))
    if not any(u in body for u in _UNITS):  # an exact figure written in full: keep it exact
        return f"{'−' if sign else ''}¥{total:,}"
    return yen_en(-total if sign else total, rounded=bool(approx))


def _amounts(text: str) -> str:
    """Every amount in ``text`` in English, in linear time: each 円 is read with at most
    MAX_AMOUNT characters before it (a regex searched from every digit was quadratic)."""
    out, last = [], 0
    for yen in re.finditer("円", text):
        start = yen.start()
        while (
            start > last and yen.start() - start <= MAX_AMOUNT and text[start - 1] in _AMOUNT_CHARS
        ):
            start -= 1
        if yen.start() - start > MAX_AMOUNT:
            continue
        found = _AMOUNT_END.search(text, max(last, start - 2), yen.end())
        if found:
            out += [text[last : found.start()], _spaced(_amount)(found)]
            last = found.end()
    return "".join(out) + text[last:]


def _spaced(fn: Callable[[re.Match], str]) -> Callable[[re.Match], str]:
    """A replacement set apart by spaces, so English words do not run together (unchanged
    text stays as it was, so a glossary phrase around it still matches)."""

    def sub(m: re.Match) -> str:
        out = fn(m)
        return out if out == m.group(0) else f" {out} "

    return sub


def _era(m: re.Match) -> str:
    n = 1 if m.group(2) == "元" else int(m.group(2))
    return f"FY{_ERA_START[m.group(1)] + n - 1}"


#: a run of Japanese longer than this is a sentence: its romanised reading helps no reader
SENTENCE = 16
UNTRANSLATED = "[Japanese text in the source, not translated]"


def _leftover(m: re.Match) -> str:
    run = m.group(0)
    return f" {UNTRANSLATED} " if len(run) > SENTENCE else f" {romanise(run)} "


class Translator:
    """Japanese → English for one document's strings (see the module docstring)."""

    def __init__(self, names: Iterable[str] = (), originals: bool = True):
        #: show the Japanese original beside a romanised name (a compact label leaves it to
        #: the tooltip)
        self.originals = originals
        g = glossary()
        self.orgs = {**g.get("organisations", {}), **g.get("projects", {})}
        self.forms = sorted(g.get("legal_forms", {}).items(), key=lambda kv: -len(kv[0]))
        phrases = {**g.get("phrases", {}), **g.get("projects", {})}
        self.phrases = sorted(phrases.items(), key=lambda kv: -len(kv[0]))
        wanted = {n for n in names if n and JAPANESE.search(n)}
        self.names = sorted(wanted, key=len, reverse=True)

    def name(self, name: str) -> str:
        """An organisation: its official English name from the glossary (the original stays in
        the tooltip), else a romanised reading with the legal form in English and the Japanese
        original beside it."""
        if name in self.orgs:
            return self.orgs[name]
        rest, form = name, ""
        for ja, en in self.forms:
            if ja in rest:
                rest, form = rest.replace(ja, " ").strip(), en
                break
        reading = romanise(rest) if JAPANESE.search(rest) else rest
        shown = f"{reading}{', ' + form if form else ''}"
        return f"{shown} ({name})" if self.originals else shown

    def __call__(self, text: str) -> str:
        if not text or not JAPANESE.search(text) and "円" not in text:
            return text
        kept: list[str] = []

        def keep(s: str) -> str:
            kept.append(s)
            return f"\x00{len(kept) - 1}\x00"

        for n in self.names:  # 1. names aside (their originals may stay Japanese)
            if n in text:
                text = text.replace(n, keep(self.name(n)))
        text = _ERA.sub(_spaced(_era), text)  # 2. fiscal years
        for ja, en in self.phrases:  # 3. the glossary, longest first
            if ja in text:
                text = text.replace(ja, f" {en} " if en else "")
        text = _amounts(text)  # 4. amounts
        for ja, en in _PUNCT.items():  # 5. punctuation
            text = text.replace(ja, en)
        text = JAPANESE.sub(_leftover, text)  # 6. the rest: romanised, or said to be Japanese
        text = re.sub(r" {2,}", " ", text).replace(" )", ")").replace("( ", "(")
        text = re.sub(r" ([,.:;)])", r"\1", text).strip()
        return re.sub("\x00([0-9]+)\x00", lambda m: kept[int(m.group(1))], text)


_TAG = re.compile(r"(<[^>]*>)")


def translate_html(page: str, tx: Callable[[str], str]) -> str:
    """The text between tags in the reader's language; markup, attributes, styles and scripts
    are left as they are (their text was made in the right language already)."""
    import html as htmlmod

    out, raw = [], False
    for part in _TAG.split(page):
        if part.startswith("<"):
            name = part[1:].split(None, 1)[0].lower().rstrip(">") if len(part) > 1 else ""
            raw = name in ("style", "script") or (raw and name not in ("/style", "/script"))
            out.append(part.replace('lang="ja"', 'lang="en"', 1) if name == "html" else part)
        elif raw or not JAPANESE.search(part):
            out.append(part)
        else:  # the words in English; the spaces around them as they were
            lead = part[: len(part) - len(part.lstrip())]
            trail = part[len(part.rstrip()) :]
            out.append(lead + htmlmod.escape(tx(htmlmod.unescape(part)), quote=False) + trail)
    return "".join(out)


def localise_rows(rows: list[dict[str, Any]], docs: Iterable[Any]) -> list[dict[str, Any]]:
    """Table rows in the current language: text cells translated, numbers and 法人番号 kept."""
    if not english():
        return rows
    tx = Translator(e.name for d in docs for e in getattr(d, "entities", ()))
    return [{k: tx(v) if isinstance(v, str) else v for k, v in r.items()} for r in rows]


def translator_for(doc: Any, originals: bool = True) -> Callable[[str], str]:
    """The identity in Japanese; in English a :class:`Translator` knowing ``doc``'s names."""
    if not english():
        return str  # str(s) is s: callers test ``tx is str`` to skip work in Japanese
    return Translator((e.name for e in getattr(doc, "entities", ())), originals)
