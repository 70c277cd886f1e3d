"""flowviz's own words in the document's language: one catalogue, keyed by the Japanese text.

Every sentence, label, legend, note, finding and table header flowviz writes is written in the
code as ``msg("金額不明のつながり: {n}件", n=3)``: the Japanese is the key (as in gettext, the
source language is the message id) and ``flowviz/data/messages_en.toml`` holds the English,
written as a sentence, never assembled from translated fragments. Nothing flowviz writes is
translated by pattern replacement or romanised. tests/test_messages.py checks that every
``msg("…")`` in the code has an English entry with the same placeholders, that no entry is
unused and that no English entry holds Japanese.

A plain TOML table rather than gettext .po/.mo: it needs no compile step (bootstrap.sh runs
none) and no tool beyond ``tomllib``; the test does what ``msgfmt --check`` would.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

LANGS = ("ja", "en")
_LANG: ContextVar[str] = ContextVar("flowviz_lang", default="ja")


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


CATALOGUE = Path(__file__).resolve().parent / "data" / "messages_en.toml"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, str]:
    """Japanese message → English message (read only when a document is in English)."""
    import tomllib

    with open(CATALOGUE, "rb") as f:
        return dict(tomllib.load(f)["messages"])


def fields(message: str) -> set[str]:
    """The ``{placeholders}`` of a message (what the test compares between languages)."""
    return {f for _, f, _, _ in string.Formatter().parse(message) if f}


def msg(key: str, **values: object) -> str:
    """``key`` (Japanese) in the current document's language, with ``values`` filled in.

    Values are data (names, amounts already formatted for the language): they are inserted,
    never translated here. A key missing from the English catalogue stays Japanese, which the
    English tests catch (the catalogue test makes it impossible for a literal key)."""
    text = catalogue().get(key, key) if english() else key
    return text.format(**values) if values else text


def N_(key: str) -> str:  # noqa: N802 - gettext's name for "a message, translated later"
    """Mark a message key kept for later (passed to :func:`msg` elsewhere): the catalogue test
    finds it as it finds ``msg("…")``."""
    return key
