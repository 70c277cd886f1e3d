"""What a figure may count, and what it leaves out: suspect figures (:mod:`flowviz.suspect`)
set apart from totals and rankings unless asked, each left-out part counted and summed so the
table can say it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flowviz.store.shared_contracts import shared_lines


@dataclass
class LeftOut:
    """Rows a figure leaves out, counted and summed so the reader is told."""

    rows: int = 0
    yen: int = 0

    def add(self, r: dict[str, Any]) -> None:
        self.rows += r.get("rows", 1)
        self.yen += r["amount_yen"] or 0


def quotable(
    rows: list[dict[str, Any]], include_suspect: bool = False
) -> tuple[list[dict[str, Any]], LeftOut]:
    """The rows a total or ranking may use: suspect figures (``check``) left out unless asked."""
    if include_suspect:
        return rows, LeftOut()
    left = LeftOut()
    kept = []
    for r in rows:
        if r.get("check"):
            left.add(r)
        else:
            kept.append(r)
    return kept, left


@dataclass
class ContractList:
    """Contracts selected, and what the list leaves out (said under the table)."""

    year: int
    rows: list[dict[str, Any]]
    matched: int
    suspect: LeftOut
    placeholders: int
    sole_source: int = 0
    one_bidder: int = 0
    #: the matched contracts' values, each contract listed in several projects counted once
    total_yen: int = 0
    shared: list[Any] = field(default_factory=list)

    def footer(self) -> str:
        out = (
            f"{len(self.rows)} of {self.matched} named contracts of the sheets of {self.year}"
            f" (money of FY{self.year - 1}); of these {self.matched}: {self.sole_source} 随意契約"
            f" (sole-source), {self.one_bidder} one-bidder awards of other methods; 契約額 are"
            " contract values, not payments"
        )
        if self.suspect.rows:
            out += (
                f"\nleft out: {self.suspect.rows} suspect contract values ({self.suspect.yen:,}円;"
                " FV011; --include-suspect lists them)"
            )
        if self.placeholders:
            out += f"\nnot counted: {self.placeholders} blank 5-4 placeholder rows (no contractor, no value)"
        if self.total_yen:
            out += f"\ntotal contract value of the {self.matched}: {self.total_yen:,}円"
        return "\n".join([out, *shared_lines(self.shared)])
