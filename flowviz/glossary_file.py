"""A user's glossary file (``$FLOWVIZ_GLOSSARY``), checked at its edge.

Why: a missing file, bad TOML or a number where a translation belongs ended in "internal
error". The file must be TOML of the shipped glossary's tables (organisations, projects, …) holding
Japanese → English strings; anything else is one line naming the file, the place and what was
expected.
"""

from __future__ import annotations

from typing import Any

import tomllib

from flowviz.exceptions import OptionError

TABLES = ("organisations", "projects", "legal_forms", "terms")
MAX_BYTES = 4 << 20
MAX_TEXT = 1000


def read_glossary(path: str, tables: tuple[str, ...] = TABLES) -> dict[str, dict[str, str]]:
    """The tables of ``path`` (each one of ``tables``, the shipped glossary's), every entry a
    short Japanese → English string pair."""
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise OptionError(f"{path}: larger than {MAX_BYTES >> 20} MiB; not a glossary")
        data: dict[str, Any] = tomllib.loads(raw.decode("utf-8"))
    except OSError as exc:
        raise OptionError(f"FLOWVIZ_GLOSSARY={path}: cannot read it ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise OptionError(f"{path}: not a TOML glossary ({exc})") from None
    for table, entries in data.items():
        if table not in TABLES:
            raise OptionError(
                f"{path}: unknown table [{table[:40]}]; expected one of {', '.join(TABLES)}"
            )
        if not isinstance(entries, dict):
            raise OptionError(f'{path}: {table}: expected a table of Japanese = "English"')
        for ja, en in entries.items():
            if (
                not isinstance(en, str)
                or not 0 < len(en) <= MAX_TEXT
                or not 0 < len(ja) <= MAX_TEXT
            ):
                raise OptionError(
                    f"{path}: [{table}] {ja[:40]!r}: expected a text of 1–{MAX_TEXT} characters"
                    f" on both sides, found {type(en).__name__}"
                )
    return data
