"""Text from the data, made safe and readable before it reaches any output.

Names come from other people's files. Before drawing we fold control
characters and line breaks into spaces and drop bidirectional override
marks (which can make a label read backwards); each renderer then applies
its own escaping (XML, DOT, HTML) on top.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import unicodedata
from typing import Any

from flowviz.i18n import english

_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_BIDI = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
_SPACES = re.compile(r"\s+")
_UNWRITABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")


def clean(text: object) -> str:
    """One line of plain text: no control characters, no bidi overrides, single spaces, nothing
    XML cannot hold."""
    s = "" if text is None else str(text)
    s = _CONTROLS.sub(" ", s)
    s = _UNWRITABLE.sub("\ufffd", s)
    s = _BIDI.sub("", s)
    return _SPACES.sub(" ", s).strip()


#: where Debian's fonts-noto-cjk puts the font the pictures name first
FONT_FILES = {
    False: ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",),
    True: ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",),
}
_EM = 1000  # measure at 1000 px, return em


@functools.cache
def _font(bold: bool) -> Any:
    """The installed Noto Sans CJK JP (Pillow/FreeType), or ``None`` to fall back to estimates."""
    try:
        from PIL import ImageFont
    except ImportError:  # pragma: no cover - Pillow comes with cairosvg
        return None
    for path in FONT_FILES[bold]:
        if os.path.exists(path):
            return ImageFont.truetype(path, _EM, index=0)  # index 0: the JP face
    return None


@functools.cache
def char_width(ch: str, bold: bool = False) -> float:
    """Advance of a character in em, read from the real font's metrics when it is installed
    (the estimate — CJK 1.0, Latin 0.6 — ran 5–12 % wide)."""
    font = _font(bold)
    if font is not None:
        return font.getlength(ch) / _EM
    if unicodedata.east_asian_width(ch) in "WFA":
        return 1.0
    if ch in "il.,:;'|!":
        return 0.3
    return 0.6


def text_width(text: str, font_size: float, bold: bool = False) -> float:
    """Width of one line in px at ``font_size``."""
    return sum(char_width(c, bold) for c in text) * font_size


@functools.cache
def _phrases_parser() -> Any:
    import budoux  # Google's phrase segmenter: where a Japanese line may break

    return budoux.load_default_japanese_parser()


def _units(text: str, words: bool) -> list[str]:
    """Pieces a line may not break inside: English words (with their space), Japanese phrases
    (BudouX)."""
    if words or not re.search("[\u3040-\u30ff\u3400-\u9fff]", text):
        return re.findall(r"\S+\s*|\s+", text)
    return [p for p in _phrases_parser().parse(text) if p]


def wrap(text: str, max_em: float, max_lines: int = 3, words: bool = False) -> list[str]:
    """Wrap a label to lines of at most ``max_em`` em; cut with … after ``max_lines``.
    Lines break between English words (``words``) or Japanese phrases (BudouX), never inside
    one unless it is wider than a whole line."""
    lines: list[str] = []
    cur, w = "", 0.0
    for unit in _units(clean(text), words):
        uw = sum(char_width(c) for c in unit.rstrip())
        if cur and w + uw > max_em:  # the unit goes to the next line
            lines.append(cur.rstrip())
            cur, w = "", 0.0
        if uw > max_em:  # wider than a line: broken by characters
            for ch in unit:
                cw = char_width(ch)
                if cur and w + cw > max_em:
                    lines.append(cur.rstrip())
                    cur, w = "", 0.0
                if ch == " " and not cur:
                    continue
                cur += ch
                w += cw
            continue
        if not cur:
            unit = unit.lstrip()
        cur += unit
        w += sum(char_width(c) for c in unit)
    if cur.strip():
        lines.append(cur.rstrip())
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return lines or [""]


_ERA = (("令和", 2019), ("平成", 1989), ("昭和", 1926))


def wareki(year: int | None) -> str:
    """Fiscal year in the Japanese era: 2017 → 平成29年度, 2019 → 令和元年度 (English: FY2017)."""
    if year is None:
        return ""
    if english():
        return f"FY{year}"
    for era, start in _ERA:
        if year >= start:
            n = year - start + 1
            return f"{era}{'元' if n == 1 else n}年度"
    return f"{year}年度"


_UNSAFE_NAME = re.compile(r"[^0-9A-Za-z._\-\u3040-\u30ff\u3400-\u9fff]+")
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


def safe_filename(text: str, default: str = "flow", max_len: int = 80) -> str:
    """A file name stem from data that cannot leave its folder or hit a reserved name.

    Keeps ASCII letters, digits, ``._-`` and Japanese characters; everything
    else (slashes, ``..``, spaces, control characters) becomes ``_``.
    """
    s = unicodedata.normalize("NFKC", clean(text))
    s = _UNSAFE_NAME.sub("_", s).strip("._-")
    s = re.sub(r"\.{2,}", "_", s)[:max_len].strip("._-")
    if not s:
        s = default
    if s.split(".")[0].upper() in _RESERVED:
        s = "_" + s
    return s


def unique_stem(stem: str, key: str | None = None) -> str:
    """A file name stem that differs for every different ``key`` (default: ``stem``), by
    construction: the sanitised stem when sanitising left it as it was and no ``key`` is given,
    else the sanitised stem and ``~`` and a short hash of the full key. ``~`` never survives
    sanitising, so a hashed name cannot equal an unhashed one; two keys that sanitise alike
    (``/`` vs ``?``, full vs half width, NFC vs NFD, a difference after character 80) differ in
    their hash."""
    safe = safe_filename(stem)
    if safe == stem and key is None:
        return safe
    full = (stem if key is None else key).encode("utf-8", "surrogatepass")
    return f"{safe_filename(stem, max_len=60)}~{hashlib.sha256(full).hexdigest()[:12]}"


#: characters no output can carry: lone surrogates, NUL, and the noncharacters U+FFFE/U+FFFF
#: (and the other 64 noncharacters); refused at input, with their place
_FORBIDDEN = re.compile(
    "[\\x00\\ud800-\\udfff\\ufdd0-\\ufdef\\ufffe\\uffff"
    "\\U0001fffe\\U0001ffff\\U0010fffe\\U0010ffff]"
)
#: characters XML 1.0 cannot hold even escaped (C0 controls but TAB, LF, CR)
_NOT_XML = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ud800-\\udfff\\ufffe\\uffff]")
#: what a terminal would act on: controls (ESC, BEL, CR …), bidi overrides, zero-width marks
_TERMINAL = re.compile(
    "[\\x00-\\x1f\\x7f-\\x9f\\u200b-\\u200f\\u202a-\\u202e\\u2066-\\u2069\\u061c\\ufeff]"
)


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be accepted (which character, where), or ``None``."""
    m = _FORBIDDEN.search(text)
    if m is None:
        return None
    ch = m.group()
    what = (
        "a lone surrogate"
        if "\ud800" <= ch <= "\udfff"
        else "NUL"
        if ch == "\x00"
        else "a noncharacter"
    )
    return f"contains U+{ord(ch):04X} ({what}) at character {m.start() + 1}; remove it"


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (escaping is the writer's job)."""
    return _NOT_XML.sub("\ufffd", text)


def terminal_safe(text: str) -> str:
    """Controls, bidi overrides and zero-width marks shown visibly (``\\x1b``), never sent raw."""
    return _TERMINAL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


_TERMINAL_LINES = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]"
)


def terminal_safe_lines(text: str) -> str:
    """Like :func:`terminal_safe` for whole output: line breaks and tabs stay."""
    return _TERMINAL_LINES.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
