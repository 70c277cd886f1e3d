"""The National Tax Agency's 法人番号 registry (国税庁法人番号公表サイト, 基本3情報ダウンロード):
registered names, English names, closures and successors, read from its published CSV layout.

The files (``00_zenkoku_all_YYYYMMDD.zip`` for every organisation, ``diff_YYYYMMDD.zip`` for
changes, prefecture files alike) hold one CSV without a header, 30 columns a row, in Unicode
(UTF-8) or Shift_JIS editions (国税庁「法人番号公表サイト データ項目の説明」). flowviz reads
the columns below and keeps only the numbers it is asked about, so reading the whole country
(about 5.6 million rows) stays one pass with little memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flowviz.exceptions import FlowDataError, Problem

WIDTH = 30
#: 0-based positions of the columns flowviz reads (the published layout's 1-based column − 1)
COL = {
    "sequence": 0,
    "corporate_number": 1,
    "process": 2,
    "update_date": 4,
    "change_date": 5,
    "name": 6,
    "kind": 8,
    "prefecture": 9,
    "city": 10,
    "street": 11,
    "close_date": 18,
    "close_cause": 19,
    "successor": 20,
    "assignment_date": 22,
    "latest": 23,
    "en_name": 24,
    "furigana": 28,
}
#: 登記記録の閉鎖等の事由 (close cause) codes of the layout
CLOSE_CAUSES = {
    "01": "清算の結了等",
    "11": "合併による解散等",
    "21": "登記官による閉鎖",
    "31": "その他の清算の結了等",
}


@dataclass(frozen=True)
class Registration:
    """One organisation as the registry records it (the newest row read for its number)."""

    corporate_number: str
    name: str
    en_name: str
    furigana: str
    kind: str
    address: str
    close_date: str
    close_cause: str
    successor: str
    update_date: str
    source: str

    @property
    def closed(self) -> bool:
        return bool(self.close_date)


def read_registry(path: Path, wanted: set[str] | None = None) -> Iterator[Registration]:
    """Registrations from a registry file (ZIP or CSV); only ``wanted`` numbers when given.
    A row of another layout stops with its line and what was expected."""
    for name, text in _texts(path):
        yield from parse_registry(text, name, wanted)


def parse_registry(
    lines: Iterable[str], name: str, wanted: set[str] | None = None
) -> Iterator[Registration]:
    """Registrations from the lines of one registry CSV (see the module doc)."""
    for line, row in enumerate(csv.reader(lines), 1):
        if not row:
            continue
        if len(row) != WIDTH or not row[COL["corporate_number"]].isdigit():
            raise FlowDataError(
                Problem(
                    name,
                    f"line {line}",
                    f"expected the registry's layout ({WIDTH} columns, a 13-digit 法人番号 in"
                    f" column 2), found {len(row)} columns",
                )
            )
        num = row[COL["corporate_number"]]
        if wanted is not None and num not in wanted:
            continue
        if row[COL["latest"]] not in ("1", ""):
            continue  # a superseded row of the history files
        yield Registration(
            num,
            row[COL["name"]],
            row[COL["en_name"]],
            row[COL["furigana"]],
            row[COL["kind"]],
            "".join(row[COL[c]] for c in ("prefecture", "city", "street")),
            row[COL["close_date"]],
            CLOSE_CAUSES.get(row[COL["close_cause"]], row[COL["close_cause"]]),
            row[COL["successor"]],
            row[COL["update_date"]],
            f"{name} line {line}",
        )


def _texts(path: Path) -> Iterator[tuple[str, Iterator[str]]]:
    """The CSV text streams of a registry file, decoded as they are read (UTF-8, else
    Shift_JIS, judged on the first 64 KB): the whole country never sits in memory."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                for member in z.namelist():
                    if member.lower().endswith(".csv"):
                        with z.open(member) as head:
                            enc = _encoding(head.read(65536), path)
                        with z.open(member) as raw:
                            yield f"{path.name}:{member}", _lines(raw, enc)
            return
        with path.open("rb") as raw:
            enc = _encoding(raw.read(65536), path)
            raw.seek(0)
            yield str(path), _lines(raw, enc)
    except OSError as exc:
        raise FlowDataError(Problem(str(path), "", f"cannot read ({exc.strerror})")) from None
    except zipfile.BadZipFile:
        raise FlowDataError(Problem(str(path), "", "a damaged ZIP: download it again")) from None


def _encoding(head: bytes, path: Path) -> str:
    for enc in ("utf-8-sig", "cp932"):
        try:
            codecs.getincrementaldecoder(enc)().decode(head, final=False)
            return enc
        except UnicodeDecodeError:
            continue
    raise FlowDataError(Problem(str(path), "", "neither UTF-8 nor Shift_JIS text"))


def _lines(raw: IO[bytes], enc: str) -> Iterator[str]:
    try:
        yield from io.TextIOWrapper(raw, encoding=enc, newline="")
    except UnicodeDecodeError as exc:
        raise FlowDataError(
            Problem(getattr(raw, "name", ""), "", f"not {enc} text ({exc.reason})")
        ) from None
