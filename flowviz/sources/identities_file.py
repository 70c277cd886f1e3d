"""The hand-kept identities file: 法人番号 that are one organisation for some sheet years.

A renumbering is not in the published rows: 株式会社電通's business moved to a new company and
number on 2020-01-01, and the old number stayed with the holding company (株式会社電通グループ).
Only a person who has read the press release can say so, so the link is kept by hand, one CSV
row a link, with its evidence:

    corporate_number,same_as,sheet_years,note
    4010401048922,5010401143788,2016-2020,"…the business moved to 5010401143788 on 2020-01-01"

``sheet_years`` (``2016-2020``, ``-2020``, ``2021-``, ``2019`` or blank for every year) says
which sheet years' rows published under ``corporate_number`` belong to the organisation of
``same_as``; rows of other years stay with their own number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from flowviz import corpnum
from flowviz.exceptions import FlowDataError, Problem
from flowviz.side_csv import read_side_csv

COLUMNS = ("corporate_number", "same_as", "sheet_years", "note")
_YEARS = re.compile(r"^\s*(\d{4})?\s*(-)?\s*(\d{4})?\s*$")


@dataclass(frozen=True)
class IdentityLink:
    """Rows published under ``corporate_number`` in the sheet years given are ``same_as``'s."""

    corporate_number: str
    same_as: str
    first_year: int | None
    last_year: int | None
    source: str
    note: str

    def covers(self, year: int | None) -> bool:
        if year is None:
            return self.first_year is None and self.last_year is None
        return (self.first_year is None or year >= self.first_year) and (
            self.last_year is None or year <= self.last_year
        )

    def years(self) -> str:
        if self.first_year is None and self.last_year is None:
            return "every sheet year"
        if self.first_year == self.last_year:
            return f"sheet year {self.first_year}"
        if self.first_year is None:
            return f"sheet years up to {self.last_year}"
        if self.last_year is None:
            return f"sheet years from {self.first_year}"
        return f"sheet years {self.first_year}–{self.last_year}"


def read_identities(path: Path, label: str | None = None) -> list[IdentityLink]:
    """Every link of an identities file, read at its edge (:func:`flowviz.side_csv.read_side_csv`:
    bounded, UTF-8, line and column in errors) and checked cell by cell; ``label`` names the
    file in each link's source."""
    rows = read_side_csv(str(path), "identities file", COLUMNS, FlowDataError)
    return [_link(str(path), label or str(path), line, row) for line, row in rows]


def _link(name: str, label: str, line: int, cells: dict[str, str]) -> IdentityLink:
    cells = {c: cells.get(c, "") for c in COLUMNS}
    nums = []
    for col in COLUMNS[:2]:
        why = corpnum.problem(cells[col])
        if why or corpnum.normalise(cells[col]) == corpnum.INDIVIDUAL_PLACEHOLDER:
            raise FlowDataError(
                Problem(
                    name,
                    f"line {line}, column {col}",
                    f"a 法人番号 was expected: {why or 'the individuals placeholder'}",
                )
            )
        nums.append(corpnum.normalise(cells[col]))
    if nums[0] == nums[1]:
        raise FlowDataError(Problem(name, f"line {line}", "a number linked to itself"))
    m = _YEARS.match(cells["sheet_years"])
    if not m or (m.group(1) and m.group(3) and not m.group(2)):
        raise FlowDataError(
            Problem(
                name,
                f"line {line}, column sheet_years",
                f"expected 2016-2020, -2020, 2021- or 2019, found {cells['sheet_years']!r}",
            )
        )
    first = int(m.group(1)) if m.group(1) else None
    last = int(m.group(3)) if m.group(3) else (first if not m.group(2) else None)
    if first and last and first > last:
        raise FlowDataError(
            Problem(name, f"line {line}, column sheet_years", "the first year is after the last")
        )
    return IdentityLink(nums[0], nums[1], first, last, f"{label} line {line}", cells["note"])
