"""A project's history: budget and execution year by year, and every payee year by year.

Pure functions over the rows :mod:`flowviz.store.history_rows` loads. A budget year appears in up
to three sheets (as request, as budget, as actual) and the sheets can differ: each figure is
taken from the latest sheet that states it, on one definition (:mod:`budget_basis`: gross,
carry-over positive), and a differing statement of the same quantity is kept as a disagreement
(or, when made while the year ran, a revision), with the sheet it came from.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from flowviz.analysis.budget_basis import BudgetYearHistory, merge_statements
from flowviz.names import normalise_name

__all__ = ["BudgetYearHistory", "History", "PayeeHistory", "history", "load_history"]


@dataclass
class PayeeHistory:
    key: str
    name: str
    corporate_number: str | None
    by_year: dict[int, int] = field(default_factory=dict)
    groups: dict[int, list[str]] = field(default_factory=dict)
    #: years in which a row without a 法人番号 was matched to this payee by its normalised name
    matched_by_name: set[int] = field(default_factory=set)
    #: years in which rows under another number joined it by the identities file
    linked: set[int] = field(default_factory=set)

    def status(self, year: int, years: list[int]) -> str:
        """``new`` in the first year it is listed after a year without it; ``gone`` the year after."""
        i = years.index(year)
        here = year in self.by_year
        before = i > 0 and years[i - 1] in self.by_year
        if here and i > 0 and not before:
            return "new"
        if not here and before:
            return "gone"
        return ""


@dataclass
class History:
    members: list[Any]
    budget: list[BudgetYearHistory]
    payees: list[PayeeHistory]
    flow_years: list[int]
    #: where the lineage ends before the store does: :class:`flowviz.store.successors.Ending`
    ending: Any = None


def merge_budgets(rows: list[dict[str, Any]]) -> list[BudgetYearHistory]:
    """``rows``: one per (sheet, budget year); see :func:`budget_basis.merge_statements`."""
    return merge_statements(rows)


def payee_key(name: str, number: str | None) -> str:
    return number if number and number != "9999999999999" else "name:" + normalise_name(name)


def merge_payees(rows: list[dict[str, Any]]) -> list[PayeeHistory]:
    """``rows``: one per listed payee with ``flow_year``, ``grp``, ``payee``, ``corporate_number``,
    ``amount`` (yen; ``None`` when not published)."""
    acc: dict[str, PayeeHistory] = {}
    for r in rows:
        key = r.get("organisation") or payee_key(r["payee"], r["corporate_number"])
        own = key if key.isdigit() else r["corporate_number"]
        p = acc.setdefault(key, PayeeHistory(key, r.get("organisation_name") or r["payee"], own))
        y = r["flow_year"]
        if r.get("identity") == "linked":
            p.linked.add(y)
        elif r.get("identity") == "by name":
            p.matched_by_name.add(y)
        elif r["corporate_number"] == own:
            p.name = r["payee"]  # the name published with the organisation's own number
        if r["amount"] is not None:
            p.by_year[y] = p.by_year.get(y, 0) + r["amount"]
        else:
            p.by_year.setdefault(y, 0)
        p.groups.setdefault(y, []).append(r["grp"] or "")
    if not any("organisation" in r for r in rows):  # rows from outside the store: match here
        _match_names(acc)
    return sorted(acc.values(), key=lambda p: (-sum(p.by_year.values()), p.name))


def _match_names(acc: dict[str, PayeeHistory]) -> None:
    """Rows without a 法人番号 join the one payee with a number and the same normalised name
    (and say so); names shared by several numbers, or by none, stay apart."""
    numbered: dict[str, list[PayeeHistory]] = defaultdict(list)
    for p in acc.values():
        if p.corporate_number:
            numbered[normalise_name(p.name)].append(p)
    for key in [k for k in acc if k.startswith("name:")]:
        match = numbered.get(key[5:], [])
        if len(match) != 1:
            continue
        target, loose = match[0], acc.pop(key)
        for y, v in loose.by_year.items():
            target.by_year[y] = target.by_year.get(y, 0) + v
            target.groups.setdefault(y, []).extend(loose.groups.get(y, []))
            target.matched_by_name.add(y)


def history(
    members: list[Any], budget_rows: list[dict[str, Any]], payee_rows: list[dict[str, Any]]
) -> History:
    years = sorted({r["flow_year"] for r in payee_rows if r["flow_year"] is not None})
    return History(members, merge_budgets(budget_rows), merge_payees(payee_rows), years)


def budget_records(h: History) -> list[dict[str, Any]]:
    """One row per budget year on the common definition (:mod:`budget_basis`): gross, carry-over
    positive, rates of gross; a year no sheet saw closed is ``not yet executed``."""
    rows = []
    for b in h.budget:
        row: dict[str, Any] = {"year": b.year, **b.values}
        row["execution_rate_pct"] = b.execution_rate_pct
        row["carried_over_rate_pct"] = b.carried_over_rate_pct
        if b.running and b.values.get("gross") is not None:
            row["executed"] = row["execution_rate_pct"] = "not yet executed"
        row["from"] = ", ".join(sorted(set(b.source.values())))
        row["sheets_disagree"] = "; ".join(b.disagreements)
        row["revised_after_the_year"] = "; ".join(b.revisions)
        rows.append(row)
    return rows


def payee_records(h: History) -> list[dict[str, Any]]:
    """A payee × year table: yen per flow year, with new/gone marks."""
    rows = []
    for p in h.payees:
        row: dict[str, Any] = {"payee": p.name, "corporate_number": p.corporate_number}
        for y in h.flow_years:
            row[str(y)] = p.by_year.get(y)
            mark = p.status(y, h.flow_years)
            if mark:
                row[f"{y}_mark"] = mark
        row["years"] = len(p.by_year)
        row["matched_by_name_in"] = ",".join(str(y) for y in sorted(p.matched_by_name))
        row["linked_in"] = ",".join(str(y) for y in sorted(p.linked))
        rows.append(row)
    return rows


def load_history(
    con: Any, text: str, ministry: str | None, year: int | None, links: Any = None
) -> History:
    """The history of the project ``text`` names, from every source in the store."""
    from flowviz.store.history_rows import budget_rows, payee_rows
    from flowviz.store.projects_across_years import family, find_start
    from flowviz.store.successors import ending

    fam = family(con, find_start(con, text, ministry, year), links)
    h = history(fam.members, budget_rows(con, fam), payee_rows(con, fam))
    h.ending = ending(con, fam)
    return h


def incumbents(h: History, n: int = 3) -> list[dict[str, Any]]:
    """FV012 incumbency: payees listed in at least ``n`` consecutive flow years of the project."""
    out = []
    for p in h.payees:
        run, best_len, best_end = 0, 0, 0
        for y in sorted(p.by_year):
            run = run + 1 if y - 1 in p.by_year else 1
            if run > best_len:
                best_len, best_end = run, y
        if best_len >= n:
            first = best_end - best_len + 1
            out.append(
                {
                    "rule_id": "FV012",
                    "rule": "incumbency",
                    "payee": p.name,
                    "corporate_number": p.corporate_number,
                    "years": best_len,
                    "from": first,
                    "to": best_end,
                    "total_yen": sum(v for y, v in p.by_year.items() if first <= y <= best_end),
                }
            )
    return sorted(out, key=lambda r: (-r["years"], -r["total_yen"]))


def member_documents(con: Any, members: list[Any]) -> list[Any]:
    """The flow document of every sheet of the history, oldest first (for pictures)."""
    from flowviz.store.rs_document import document_from_store
    from flowviz.store.sheet_document import document_from_sheet

    return [
        document_from_sheet(con, m.key)
        if m.source == "old"
        else document_from_store(con, m.year, m.number)
        for m in members
    ]
