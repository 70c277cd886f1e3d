"""Import any mix of published files into the store: RS-system CSV/ZIP and old-format sheets
(NDJSON, .ndjson.gz, sheet JSON, folders). Everything is one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flowviz.sources.judgit import Sheet, is_judgit_path, read_sheets
from flowviz.sources.rs_csv import RSFile, parse_text, read_texts
from flowviz.store.db import import_files
from flowviz.store.once import Once, check_one_file_per_kind_year


@dataclass
class ImportSummary:
    """What one import stored: RS files by kind and rows, old-format sheets per file and year."""

    db: Path
    rs: list[RSFile] = field(default_factory=list)
    sheets: dict[tuple[str, int], int] = field(default_factory=dict)
    payee_rows: int = 0
    adjusted: int = 0
    #: (what was not stored again, where the same content was read first)
    repeated: list[tuple[str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        for f in self.rs:
            years = ",".join(str(y) for y in sorted(f.years))
            out.append(f"{f.kind}  {len(f.rows):>7,} rows  {years}  {f.path}")
            if f.unknown_columns:
                out.append(
                    "      columns flowviz does not know, not read: "
                    + ", ".join(f.unknown_columns[:8])
                    + (" …" if len(f.unknown_columns) > 8 else "")
                )
            dup = f.duplicates
            if dup:
                shown = ", ".join(f"{a} (= {b})" for a, b in dup[:5]) + (
                    " …" if len(dup) > 5 else ""
                )
                out.append(
                    f"      {len(dup)} rows repeat an earlier row cell for cell, lines {shown};"
                    " stored as published, each counted"
                )
        for (file, year), n in sorted(self.sheets.items(), key=lambda x: (x[0][1], x[0][0])):
            out.append(f"old  {n:>7,} sheets {year}  {file}")
        if self.sheets:
            out.append(
                f"old-format sheets: {sum(self.sheets.values()):,}, payee rows {self.payee_rows:,}"
            )
        if self.adjusted:
            out.append(
                f"{self.adjusted:,} published figures are not whole yen: taken at the nearest"
                " yen and listed, with the published text, in the table sheet_adjustments"
            )
        for again, first in self.repeated[:10]:
            out.append(f"same content as {first}: {again} not stored again")
        if len(self.repeated) > 10:
            out.append(f"… and {len(self.repeated) - 10:,} more repeated contents not stored again")
        out.append(f"store: {self.db}")
        return out


def import_paths(
    db: str | Path | None,
    paths: list[Path],
    progress: Callable[[int], None] | None = None,
    replace: bool = False,
) -> ImportSummary:
    """Read and store every path; RS files are parsed first, sheets stream into the store.
    ``replace`` lets a file replace a year of its kind with far fewer rows than stored."""
    from flowviz.store.db import store_path

    db = store_path(db)
    summary = ImportSummary(db)
    rs_paths = [p for p in paths if not is_judgit_path(Path(p))]
    sheet_paths = [p for p in paths if is_judgit_path(Path(p))]
    once = Once(repeated=summary.repeated)
    summary.rs = [
        parse_text(text, name)
        for p in rs_paths
        for name, text in read_texts(p)
        if once.first_text(name, text)
    ]
    check_one_file_per_kind_year(summary.rs)

    def sheets() -> Iterator[Sheet]:
        for p in sheet_paths:
            for s in read_sheets(p):
                if not once.first_sheet(s):
                    continue
                key = (s.file, s.year)
                summary.sheets[key] = summary.sheets.get(key, 0) + 1
                summary.payee_rows += len(s.payees)
                summary.adjusted += len(s.adjustments)
                yield s

    import_files(db, summary.rs, progress, sheets(), replace)
    return summary
