"""Each published content is stored once per import, and one kind and year comes from one file.

Why: the same file given twice in one command (or a folder holding a ZIP and its unzipped CSV)
stored every row twice, and two old-format sheets with one key were counted twice and stored
once. Here the same content is read once (by hash; the later copy is listed, not stored), a
second RS file of the same kind and year that holds a project the first holds too is refused
unless both are parts of one split file (names that differ only by a trailing part number:
``NAME_1.csv``, ``NAME_2.csv``); files of disjoint projects are parts by content. A sheet
key seen twice with different content is refused naming both sources.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from flowviz.exceptions import FlowDataError, Problem
from flowviz.sources.judgit import Sheet
from flowviz.sources.rs_csv import RSFile
from flowviz.sources.rs_spec import KINDS

_PART = re.compile(r"[ _\-.]?(?:part)?[(（]?[0-9０-９]{1,3}[)）]?$", re.IGNORECASE)
_SHEET_FIELDS = [f.name for f in dataclasses.fields(Sheet) if f.name not in ("file", "line")]


def split_stem(name: str) -> str | None:
    """The name without its trailing part number, or None if it has none."""
    base = PurePosixPath(name.replace("\\", "/").rsplit("!", 1)[-1]).name
    stem = base.rsplit(".", 1)[0]
    found = _PART.search(stem)
    return stem[: found.start()] if found and found.start() > 0 else None


def are_parts(a: str, b: str) -> bool:
    """Two parts of one split file: the same name but for the trailing part number."""
    stem = split_stem(a)
    return stem is not None and stem == split_stem(b)


@dataclass
class Once:
    """What this import has read already: content digests, and sheet keys with their source."""

    contents: dict[bytes, str] = field(default_factory=dict)
    sheets: dict[str, tuple[str, int, bytes]] = field(default_factory=dict)
    #: (what was not stored again, where the same content was read first)
    repeated: list[tuple[str, str]] = field(default_factory=list)

    def first_text(self, name: str, text: str) -> bool:
        """True the first time this content is seen; later copies are listed as repeated."""
        digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).digest()
        if digest in self.contents:
            self.repeated.append((name, self.contents[digest]))
            return False
        self.contents[digest] = name
        return True

    def first_sheet(self, s: Sheet) -> bool:
        """True for a new key; False for the same sheet again; an error for one key with two
        different contents (both sources named, nothing dropped silently)."""
        text = repr([getattr(s, f) for f in _SHEET_FIELDS]).encode("utf-8", "surrogatepass")
        digest = hashlib.blake2b(text, digest_size=20).digest()
        seen = self.sheets.get(s.key)
        if seen is None:
            self.sheets[s.key] = (s.file, s.line, digest)
            return True
        if seen[2] == digest:
            self.repeated.append((f"{s.file} line {s.line}", f"{seen[0]} line {seen[1]}"))
            return False
        raise FlowDataError(
            Problem(
                s.file,
                f"line {s.line}",
                f"sheet key {s.key} is also at {seen[0]} line {seen[1]} with different content;"
                " import one of them",
            )
        )


def check_one_file_per_kind_year(files: list[RSFile]) -> None:
    """Refuse a second file of one kind and year that holds a project the first one holds too
    (a second copy), unless both are named as parts of one split file; files of disjoint
    projects (excerpts, a split by project) are parts by their content."""
    owner: dict[tuple[str, int, str], RSFile] = {}
    for f in files:
        keys = {(f.kind, y, pid) for y, pid in f.projects} or {(f.kind, y, "") for y in f.years}
        for key in sorted(keys):
            first = owner.setdefault(key, f)
            if first is not f and not are_parts(first.path, f.path):
                raise FlowDataError(
                    Problem(
                        f.path,
                        "",
                        f"a second {f.kind} file ({KINDS[f.kind][0]}) for {key[1]}: {first.path}"
                        f" holds project {key[2] or '(none)'} of the same kind and year too;"
                        " import one copy (parts of one split file are named NAME_1, NAME_2 …)",
                    )
                )
