"""Read RS-system CSVs as published: ZIP or CSV, UTF-8 with or without BOM, CRLF or LF.

Each file kind is recognised by its header. Columns are found by name, so a
reordered file reads the same; a missing column, a Shift_JIS file or a bad
number stops the read with the file, line and column named.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from flowviz.exceptions import FlowDataError, Problem
from flowviz.money import MAX_YEN, parse_csv_amount
from flowviz.sources.rs_cells import check_header, refuse_controls
from flowviz.sources.rs_spec import COMMON, KINDS
from flowviz.sources.spreadsheet_damage import damage_hint, is_exponent


@dataclass
class RSFile:
    """One parsed file: its kind and its rows as tuples in ``columns`` order (fast to store).

    ``columns`` starts with ``line``, ``year``, ``project_id``; :meth:`records` gives dicts.
    """

    path: str
    kind: str
    columns: list[str]
    rows: list[list[Any]]
    projects: dict[tuple[int, str], dict[str, str]] = field(default_factory=dict)
    #: (line, line of the first identical row): rows that repeat an earlier row in every column;
    #: stored as published (each counted) and reported by the import
    duplicates: list[tuple[int, int]] = field(default_factory=list)
    #: header names flowviz does not know (not read), reported by the import
    unknown_columns: list[str] = field(default_factory=list)

    @property
    def years(self) -> set[int]:
        return {y for y, _ in self.projects} or {r[1] for r in self.rows}

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, r)) for r in self.rows]


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            raw.decode("cp932")
            hint = " It looks like Shift_JIS/cp932: convert with `iconv -f cp932 -t utf-8`."
        except UnicodeDecodeError:
            pass
        raise FlowDataError(
            Problem(name, f"line {line}", f"not UTF-8 text (byte {exc.start}).{hint}")
        ) from None


#: bounds on what one published file may unpack to: the largest RS file (5-1) is ~65 MB, its
#: ZIP about a tenth of that; a member beyond these is refused before it is read
MAX_MEMBER_BYTES = 1 << 30
MAX_RATIO = 100
MAX_PLAIN_BYTES = 1 << 30


def read_texts(path: str | Path) -> Iterator[tuple[str, str]]:
    """(display name, text) for a CSV, or for each CSV inside a ZIP, read within bounds."""
    p = Path(path)
    if not p.exists():
        raise FlowDataError(Problem(str(p), "", "no such file"))
    if p.is_dir():
        raise FlowDataError(Problem(str(p), "", "is a directory; give the ZIP or CSV files in it"))
    with p.open("rb") as fh:
        head = fh.read(4)
    if head != b"PK\x03\x04":
        if p.stat().st_size > MAX_PLAIN_BYTES:
            raise FlowDataError(
                Problem(
                    str(p), "", f"larger than {MAX_PLAIN_BYTES >> 20} MiB; not an RS-system CSV"
                )
            )
        yield str(p), _decode(p.read_bytes(), str(p))
        return
    try:
        zf = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError) as exc:
        raise FlowDataError(Problem(str(p), "", f"not a readable ZIP file: {exc}")) from None
    with zf:
        members = [m for m in zf.infolist() if m.filename.lower().endswith(".csv")]
        if not members:
            raise FlowDataError(Problem(str(p), "", "the ZIP holds no .csv file"))
        for m in members:
            name = f"{p}!{m.filename}"
            yield name, _decode(_read_member(zf, m, name), name)


def _read_member(zf: zipfile.ZipFile, m: zipfile.ZipInfo, name: str) -> bytes:
    """One member, streamed with a running cap (declared sizes can lie); one-line errors for
    encrypted members, unsupported compression, bad CRCs and corrupt streams."""
    if m.flag_bits & 0x1:
        raise FlowDataError(
            Problem(name, "", "the member is encrypted; the RS system publishes plain ZIPs")
        )
    if m.file_size > MAX_MEMBER_BYTES or (
        m.file_size > 10 << 20 and m.compress_size and m.file_size / m.compress_size > MAX_RATIO
    ):
        raise FlowDataError(
            Problem(
                name,
                "",
                f"unpacks to {m.file_size:,} bytes from {m.compress_size:,}: refused as a likely zip bomb",
            )
        )
    chunks, total = [], 0
    try:
        with zf.open(m) as f:
            while chunk := f.read(1 << 20):
                total += len(chunk)
                if total > MAX_MEMBER_BYTES:
                    raise FlowDataError(
                        Problem(
                            name, "", "unpacks past its declared size: refused as a likely zip bomb"
                        )
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, NotImplementedError, zlib.error, EOFError, OSError) as exc:
        raise FlowDataError(Problem(name, "", f"cannot unpack: {exc}")) from None
    return b"".join(chunks)


def detect_kind(header: list[str], name: str) -> str:
    cols = set(header)
    for kind in ("5-1", "5-2", "5-4", "5-3", "2-1", "1-1"):
        if KINDS[kind][1] in cols:
            return kind
    raise FlowDataError(
        Problem(
            name,
            "line 1",
            "unknown header: not an RS-system file flowviz reads (1-1, 2-1, 5-1, 5-2, 5-3, 5-4);"
            f" first columns are {', '.join(header[:6])}",
        )
    )


def _locate(header: list[str], names: tuple[str, ...], name: str, what: str) -> int:
    for n in names:
        if n in header:
            return header.index(n)
    raise FlowDataError(
        Problem(
            name,
            "line 1",
            f"missing column {names[0]!r} ({what}); the header has {len(header)} columns",
        )
    )


def _yen(v: str) -> int | None:
    """An amount in yen: ``'3025000 '`` and ``'34482000.0'`` are fine; commas, full-width digits
    and fractions of a yen are not."""
    try:
        n = int(v)  # int() itself ignores surrounding spaces
    except ValueError:
        t = v.strip()
        return parse_csv_amount(t) if t else None  # "34482000.0"; raises on anything else
    if "_" in v or not v.isascii() or abs(n) > MAX_YEN:
        raise ValueError(v)
    return n


def _int(v: str) -> int | None:
    v = v.strip()
    if not v:
        return None
    if v.endswith(".0"):
        v = v[:-2]
    if not (v.isascii() and v.lstrip("-").isdigit()):
        raise ValueError(v)
    return int(v)


def _decimal(v: str) -> float | None:
    """A rate (落札率 %, 執行率 fraction) as a REAL, so SQL compares it as a number.

    Rates are not money: a float holds every published rate (at most 5 decimals) and prints back
    as published through :func:`flowviz.money.format_rate` (``100``, ``99.9``).
    """
    v = v.strip()
    if not v:
        return None
    if not v.isascii():
        raise ValueError(v)
    d = Decimal(v)
    if not d.is_finite():
        raise ValueError(v)
    return float(d)


def _bool(v: str) -> bool | None:
    low = v.strip().lower()
    if not low:
        return None
    if low in ("true", "t", "1"):
        return True
    if low in ("false", "f", "0"):
        return False
    raise ValueError(v)


def _corpnum(v: str) -> str | None:
    v = v.strip()
    if not v:
        return None
    if is_exponent(v):  # 2.36E+12: the digits are gone, nothing to store
        raise ValueError(v)
    return v[:-2] if v.endswith(".0") else v


CONVERTERS = {"yen": _yen, "int": _int, "decimal": _decimal, "bool": _bool, "corpnum": _corpnum}
EXPECTED = {
    "yen": "an amount in yen",
    "int": "a whole number",
    "decimal": "a number",
    "bool": "TRUE or FALSE",
    "corpnum": "a 13-digit 法人番号",
}


def _header(reader: Any, name: str) -> list[str]:
    try:
        return [h.strip() for h in next(reader)]
    except StopIteration:
        raise FlowDataError(
            Problem(name, "line 1", "empty file; expected an RS-system CSV header")
        ) from None
    except csv.Error as exc:
        raise FlowDataError(Problem(name, "line 1", f"unreadable CSV: {exc}")) from None


def _row_key(cells: list[str], width: int, yi: int, pi: int, line: int, name: str) -> Any:
    """(year, project id) of a row; ``None`` for a blank row; an error for a malformed one.

    The blank check runs only on rows that fail the fast path (it would cost ~0.2 s a year)."""
    if len(cells) == width:
        y, pid = cells[yi].strip(), cells[pi].strip()
        if y.isdigit() and pid.isdigit():
            return (int(y), str(int(pid)))
    if not any(c.strip() for c in cells):
        return None
    if len(cells) != width:
        raise FlowDataError(
            Problem(
                name,
                f"line {line}",
                f"expected {width} columns as in the header, found {len(cells)}",
            )
        )
    y, pid = cells[yi].strip(), cells[pi].strip()
    raise FlowDataError(
        Problem(name, f"line {line}", f"expected a year and a project id, found {y!r}, {pid!r}")
    )


def parse_text(text: str, name: str) -> RSFile:
    """Parse one CSV text into typed rows, naming file, line and column on any error.

    The common columns repeat the project on every row: they are kept once per project (in
    ``projects``) and each row carries only its line, year, project id and own fields.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    header = _header(reader, name)
    kind = detect_kind(header, name)
    unknown = check_header(header, kind, name)
    refuse_controls(text, name, header)
    common = {
        field: _locate(header, names, name, "common column") for field, names in COMMON.items()
    }
    yi, pi = common["year"], common["project_id"]
    spec = [
        (fname, _locate(header, names, name, KINDS[kind][0]), typ, names[0])
        for fname, (names, typ) in KINDS[kind][2].items()
    ]
    plan = [(idx, CONVERTERS.get(typ)) for _, idx, typ, _ in spec]
    rows: list[list[Any]] = []
    projects: dict[tuple[int, str], dict[str, str]] = {}
    seen: dict[tuple[str, ...], int] = {}
    duplicates: list[tuple[int, int]] = []
    try:
        for cells in reader:
            line = reader.line_num
            key = _row_key(cells, len(header), yi, pi, line, name)
            if key is None:
                continue
            if key not in projects:
                projects[key] = {f: cells[i].strip() for f, i in common.items()}
            whole = tuple(cells)
            if whole in seen:
                duplicates.append((line, seen[whole]))
            else:
                seen[whole] = line
            try:
                row = [line, key[0], key[1]] + [
                    cells[i].strip() if conv is None else (conv(cells[i]) if cells[i] else None)
                    for i, conv in plan
                ]
            except (ValueError, InvalidOperation):
                row = [line, key[0], key[1]] + [
                    _checked(cells[i], conv, spec[k], line, name)
                    for k, (i, conv) in enumerate(plan)
                ]
            rows.append(row)
    except csv.Error as exc:
        raise FlowDataError(
            Problem(name, f"line {reader.line_num}", f"unreadable CSV: {exc}")
        ) from None
    columns = ["line", "year", "project_id"] + [f for f, _, _, _ in spec]
    return RSFile(name, kind, columns, rows, projects, duplicates, unknown)


def _checked(value: str, conv: Any, spec: tuple[str, int, str, str], line: int, name: str) -> Any:
    """Slow path after a failed row: find the bad cell and name it."""
    if conv is None:
        return value.strip()
    try:
        return conv(value)
    except (ValueError, InvalidOperation):
        _, _, typ, col = spec
        raise FlowDataError(
            Problem(
                name,
                f"line {line}, column {col}",
                f"expected {EXPECTED.get(typ, typ)}, found {value!r}" + damage_hint(value, typ),
            )
        ) from None


def read_files(paths: list[str | Path]) -> list[RSFile]:
    """Parse every file (or CSV inside a ZIP) before anything is written."""
    return [parse_text(text, name) for p in paths for name, text in read_texts(p)]
