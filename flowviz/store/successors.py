"""Where a lineage goes after its last sheet: candidate successors, each with its evidence.

A project renamed or merged gets a new JUDGIT! 事業ID and a new name, and the RS system keeps no
old sheet number, so a lineage can end years before the store does. The evidence looked for, in
sheets of the ministry after the last one:

- ``budget``: the candidate states a budget year's 当初予算 exactly as the lineage does (a sheet
  repeats the three years before it, so a successor restates its predecessor's figures);
- ``past_sheet``: its 関連する過去のレビューシート names a sheet of the lineage;
- ``division`` / ``bureau``: the same 担当課室 / 担当部局庁;
- ``name``: how alike the names are (difflib's ratio of the width-folded names).

The RS 2024 files here carry no link to old sheets (1-1 holds the organisation, 2-1 budget
rows of FY2022–2024, 5-x payees; the 1-5 関連事業 file is not in the data): for RS years the
evidence is the budget rows of 2-1, the organisation of 1-1 and the name. Candidates are
suggestions: they are listed, never followed, until a ``--links`` line says so.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from flowviz.store.db import query
from flowviz.store.lineage import norm_name
from flowviz.store.projects_across_years import Family, Member

_WEIGHT = {"budget": 3.0, "past_sheet": 3.0, "division": 1.0, "bureau": 0.5}


@dataclass
class Candidate:
    key: str
    year: int
    number: str
    name: str
    evidence: list[str] = field(default_factory=list)
    score: float = 0.0


@dataclass
class Ending:
    """The lineage's last sheet year, the store's newest, and the candidates found."""

    last_year: int
    newest_year: int
    last_key: str
    candidates: list[Candidate]


def ending(con: sqlite3.Connection, fam: Family, limit: int = 5) -> Ending | None:
    """``None`` when the lineage reaches the newest sheet year in the store."""
    if not fam.members:
        return None
    last = max(fam.members, key=lambda m: (m.year, m.source == "rs"))
    newest = con.execute(
        "SELECT MAX(y) FROM (SELECT MAX(year) AS y FROM sheets UNION ALL"
        " SELECT MAX(year) FROM projects)"
    ).fetchone()[0]
    if newest is None or last.year >= newest:
        return None
    found: dict[str, Candidate] = {}
    _by_budget(con, fam, last, found)
    _by_past_sheet(con, fam, last, found)
    _by_organisation_and_name(con, last, found)
    for c in found.values():
        c.score = round(
            sum(_WEIGHT.get(e.split(":")[0], 0.0) for e in c.evidence)
            + SequenceMatcher(None, norm_name(last.name), norm_name(c.name)).ratio(),
            2,
        )
    ranked = sorted(found.values(), key=lambda c: (-c.score, c.year, c.key))
    return Ending(last.year, newest, last.key, ranked[:limit])


def _candidate(found: dict[str, Candidate], key: str, r: dict[str, Any], number: str) -> Candidate:
    return found.setdefault(key, Candidate(key, r["year"], number, r["name"] or ""))


def _initials(con: sqlite3.Connection, fam: Family) -> dict[tuple[int, int], str]:
    """(budget year, 当初予算 yen) → the lineage sheet that states it (non-zero figures only)."""
    out: dict[tuple[int, int], str] = {}
    for m in fam.members:
        rows = (
            query(
                con,
                "SELECT budget_year, initial FROM sheet_budgets WHERE sheet_key = ?",
                (m.key,),
            )
            if m.source == "old"
            else query(
                con,
                "SELECT budget_year, initial FROM budgets WHERE year = ? AND project_id = ?"
                " AND COALESCE(account, '') = ''",
                (m.year, m.number),
            )
        )
        for r in rows:
            if r["initial"] and r["budget_year"] is not None:
                out.setdefault((r["budget_year"], r["initial"]), m.key)
    return out


def _by_budget(con: sqlite3.Connection, fam: Family, last: Member, found: dict) -> None:
    initials = _initials(con, fam)
    if not initials:
        return
    marks = ",".join("?" * len(initials))
    values = [v for _, v in initials]
    for r in query(
        con,
        "SELECT s.sheet_key AS key, s.year, s.number, s.name, b.budget_year, b.initial"
        " FROM sheet_budgets b JOIN sheets s ON s.sheet_key = b.sheet_key"
        f" WHERE s.year > ? AND s.ministry = ? AND b.initial IN ({marks})",
        [last.year, last.ministry, *values],
    ) + query(
        con,
        "SELECT 'rs:' || b.year || ':' || b.project_id AS key, b.year, b.project_id AS number,"
        " p.name, b.budget_year, b.initial FROM budgets b JOIN projects p"
        " ON p.year = b.year AND p.project_id = b.project_id"
        f" WHERE b.year > ? AND p.ministry = ? AND COALESCE(b.account, '') = ''"
        f" AND b.initial IN ({marks})",
        [last.year, last.ministry, *values],
    ):
        source = initials.get((r["budget_year"], r["initial"]))
        if source:
            _candidate(found, r["key"], r, r["number"]).evidence.append(
                f"budget: FY{r['budget_year']} 当初予算 {r['initial']:,}円 as in {source}"
            )


def _by_past_sheet(con: sqlite3.Connection, fam: Family, last: Member, found: dict) -> None:
    old = [(m.year, m.ministry, m.number, m.key) for m in fam.members if m.source == "old"]
    for year, ministry, number, key in old:
        for r in query(
            con,
            "SELECT s.sheet_key AS key, s.year, s.number, s.name FROM sheet_links l"
            " JOIN sheets s ON s.sheet_key = l.sheet_key WHERE s.year > ? AND l.past_year = ?"
            " AND l.past_ministry = ? AND l.past_number = ?",
            (last.year, year, ministry, number),
        ):
            _candidate(found, r["key"], r, r["number"]).evidence.append(
                f"past_sheet: its 関連する過去のレビューシート names {key}"
            )


def _by_organisation_and_name(con: sqlite3.Connection, last: Member, found: dict) -> None:
    """Sheets of the last sheet's 担当部局庁 and 担当課室 whose names are alike (ratio ≥ 0.5)."""
    org = _organisation(con, last)
    if not org:
        return
    bureau, division = org
    for r in query(
        con,
        "SELECT sheet_key AS key, year, number, name, bureau, division FROM sheets"
        " WHERE year > ? AND ministry = ? AND bureau = ?",
        (last.year, last.ministry, bureau),
    ) + query(
        con,
        "SELECT 'rs:' || year || ':' || project_id AS key, year, project_id AS number, name,"
        " bureau, division FROM projects WHERE year > ? AND ministry = ? AND bureau = ?",
        (last.year, last.ministry, bureau),
    ):
        alike = SequenceMatcher(None, norm_name(last.name), norm_name(r["name"] or "")).ratio()
        if alike < 0.5 and r["key"] not in found:
            continue
        c = _candidate(found, r["key"], r, r["number"])
        c.evidence.append(f"bureau: {bureau}")
        if division and division in (r["division"] or ""):
            c.evidence.append(f"division: {division}")
        c.evidence.append(f"name: {alike:.2f}")


def _organisation(con: sqlite3.Connection, m: Member) -> tuple[str, str] | None:
    if m.source == "old":
        rows = query(con, "SELECT bureau, division FROM sheets WHERE sheet_key = ?", (m.key,))
    else:
        rows = query(
            con,
            "SELECT bureau, division FROM projects WHERE year = ? AND project_id = ?",
            (m.year, m.number),
        )
    if not rows or not rows[0]["bureau"]:
        return None
    return rows[0]["bureau"], rows[0]["division"] or ""
