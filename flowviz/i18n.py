"""English for the data in a document (``--lang en``), from a glossary people can extend.

flowviz's own words come from the message catalogue (:mod:`flowviz.messages`); this module
puts the data's values into English, each by what it is, never by replacing words inside a
sentence: an organisation by its official English name from the glossary
(``flowviz/data/glossary_en.toml`` plus the file named by ``$FLOWVIZ_GLOSSARY``, each entry with
its source), else a Hepburn reading with katakana loanwords spelled as the words they come from
(cutlet) and the legal form in English, the Japanese original beside it; the sheets' vocabulary
(link types, 契約方式, 費目) by exact term; free text (notes, purposes) kept in Japanese and
marked ``[ja]``. Amounts and fiscal years are written for the language where they are
formatted (:mod:`flowviz.money`, :func:`flowviz.text.wareki`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from flowviz.messages import LANGS, current, english, language, msg

__all__ = ["LANGS", "current", "english", "language"]

#: kana, kanji, CJK punctuation and full-width forms: what English output must not contain
#: outside organisations' original names
JAPANESE = re.compile(
    r"[\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u9fff\uf900-\ufaff\uff01-\uff60]+"
)


@lru_cache(maxsize=1)
def glossary() -> dict[str, dict[str, str]]:
    """The shipped glossary, with ``$FLOWVIZ_GLOSSARY``'s tables laid over it (read only for
    English: the Japanese start-up pays nothing for it)."""
    from pathlib import Path

    import tomllib

    text = (Path(__file__).resolve().parent / "data" / "glossary_en.toml").read_text("utf-8")
    g: dict[str, dict[str, Any]] = tomllib.loads(text)
    extra = os.environ.get("FLOWVIZ_GLOSSARY")
    if extra:  # a reader's file: checked at its edge (types, sizes), errors name the place
        from flowviz.glossary_file import read_glossary

        for table, entries in read_glossary(extra, tuple(g)).items():
            g.setdefault(table, {}).update(entries)
    return g


@lru_cache(maxsize=1)
def _cutlet() -> Any:
    import cutlet  # MeCab with unidic-lite: ~0.5 s to load, so only for en

    c = cutlet.Cutlet()  # Hepburn
    c.use_foreign_spelling = True  # katakana loanwords as the words: デジタル → Digital
    return c


_KATAKANA_RUN = re.compile(r"[\u30a0-\u30ff]{6,}")


@lru_cache(maxsize=8192)
def _word(segment: str) -> bool:
    """``segment`` is one word of the dictionary (unidic-lite), three kana or more."""
    words = _cutlet().tagger(segment)
    return len(segment) >= 3 and len(words) == 1 and words[0].feature.lemma is not None


@lru_cache(maxsize=4096)
def _split_loanwords(run: str) -> str:
    """A katakana compound the dictionary does not know, split into the words it is made of
    when they cover it whole (デロイトトーマツファイナンシャルアドバイザリー → デロイト トーマツ
    ファイナンシャル アドバイザリー), fewest pieces first; else the run as it is."""
    n = len(run)
    best: list[list[str] | None] = [[]] + [None] * n
    for end in range(3, n + 1):
        for start in range(max(0, end - 12), end - 2):
            parts = best[start]
            if parts is None or not _word(run[start:end]):
                continue
            if best[end] is None or len(parts) + 1 < len(best[end] or ()):
                best[end] = [*parts, run[start:end]]
    return " ".join(best[n]) if best[n] else run


@lru_cache(maxsize=4096)
def romanise(text: str) -> str:
    """A Hepburn reading, words capitalised, loanwords in their own spelling:
    デジタルシティ → Digital City, 綜合キャリアオプション → Sougou Career Option."""
    text = _KATAKANA_RUN.sub(lambda m: f" {_split_loanwords(m.group())} ", text)
    words = _cutlet().romaji(text).replace("/", " ").split()
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


#: how free text from a sheet (a note, a purpose) is marked in English: kept as published
FREE_TEXT = "[ja] "


def free(text: str) -> str:
    """Free text from a sheet: never translated or romanised; in English marked as Japanese."""
    return f"{FREE_TEXT}{text}" if english() and text and JAPANESE.search(text) else text


class Translator:
    """Data values in English: organisations by name, the sheets' vocabulary by exact term, free
    text kept in Japanese and marked. flowviz's own words never pass through here (they come
    from :mod:`flowviz.messages`); nothing is replaced inside a sentence."""

    def __init__(self, names: Iterable[str] = (), originals: bool = True):
        #: show the Japanese original beside a romanised name (a compact label leaves it to
        #: the tooltip)
        self.originals = originals
        g = glossary()
        self.orgs = {**g.get("organisations", {}), **g.get("projects", {})}
        self.forms = sorted(g.get("legal_forms", {}).items(), key=lambda kv: -len(kv[0]))
        self.terms = {**g.get("terms", {}), **g.get("projects", {})}
        self.names = {n for n in names if n and JAPANESE.search(n)}

    def _official(self, name: str) -> str | None:
        """The glossary's name, whole, or part by part for a ministry's path (省 局 課, with or
        without spaces: 労働基準局安全衛生部 is 労働基準局 + 安全衛生部)."""
        if name in self.orgs:
            return self.orgs[name]
        parts = [self._compose(p) for p in name.replace("()", " ").split()]
        return ", ".join(parts) if parts and all(parts) else None  # type: ignore[arg-type]

    def _compose(self, part: str) -> str | None:
        """``part`` as glossary names run together, fewest pieces first, or ``None``."""
        if part in self.orgs or not JAPANESE.search(part):
            return self.orgs.get(part, part)
        n = len(part)
        best: list[list[str] | None] = [[]] + [None] * n
        for end in range(1, n + 1):
            for start in range(end):
                head, known = best[start], self.orgs.get(part[start:end])
                shorter = best[end] is None or len(head or ()) + 1 < len(best[end] or ())
                if head is not None and known and shorter:
                    best[end] = [*head, known]
        return ", ".join(best[n]) if best[n] else None

    def name(self, name: str) -> str:
        """An organisation: its official English name from the glossary (the original stays in
        the tooltip), else a romanised reading with the legal form in English and the Japanese
        original beside it."""
        official = self._official(name)
        if official is not None:
            return official
        if name.endswith("ほか") and len(name) > 2:  # a block named by its first payee
            return msg("{name}ほか", name=self.name(name[:-2]))
        rest, form = name, ""
        for ja, en in self.forms:
            if ja in rest:
                rest, form = rest.replace(ja, " ").strip(), en
                break
        reading = romanise(rest) if JAPANESE.search(rest) else rest
        shown = f"{reading} {form}".strip()
        return f"{shown} ({name})" if self.originals else shown

    def term(self, value: str) -> str:
        """A word of the sheets' vocabulary (link type, 契約方式, 費目) by exact match; anything
        else is free text, kept and marked."""
        v = value.strip()
        return self.terms.get(v, free(v)) if v else value

    def __call__(self, text: str) -> str:
        """A data value of either kind: an organisation's name, a term, or free text."""
        if not text or not JAPANESE.search(text):
            return text
        if text in self.names or self._official(text) is not None:
            return self.name(text)
        return self.term(text)


def localise_rows(rows: list[dict[str, Any]], docs: Iterable[Any]) -> list[dict[str, Any]]:
    """Table rows in the current language: data cells by what they are (names, terms, free
    text), numbers and 法人番号 kept; a ``message`` was written in the language already."""
    if not english():
        return rows
    tx = Translator(e.name for d in docs for e in getattr(d, "entities", ()))
    return [
        {k: tx(v) if isinstance(v, str) and k not in WRITTEN else v for k, v in r.items()}
        for r in rows
    ]


#: row columns flowviz writes in the document's language itself (never translated after)
WRITTEN = frozenset({"message", "rule", "title"})


def term(value: str) -> str:
    """A word of the sheets' vocabulary in the document's language (see :meth:`Translator.term`)."""
    return Translator().term(value) if english() and value else value


def namer(doc: Any, originals: bool = True) -> Callable[[str], str]:
    """Organisation names in the document's language: as published in Japanese; in English
    the glossary's name or a reading with the original beside it."""
    if not english():
        return str
    return Translator((e.name for e in getattr(doc, "entities", ())), originals).name


def translator_for(doc: Any, originals: bool = True) -> Callable[[str], str]:
    """The identity in Japanese; in English a :class:`Translator` knowing ``doc``'s names."""
    if not english():
        return str  # str(s) is s: callers test ``tx is str`` to skip work in Japanese
    return Translator((e.name for e in getattr(doc, "entities", ())), originals)
