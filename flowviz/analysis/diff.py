"""What changed between two years: payees that appeared, vanished or changed, with amounts and
shares; projects that appeared or ended; and incumbents (the same payee year after year).

Pure functions over payee listings (one row per listed payee: ``payee``, ``corporate_number``,
``amount``, ``project``); :func:`load_diff` fetches them from the store for a project, a ministry
or the whole government. Amounts are the listed ones: old-format groups may pay each other, so a
scope's total can count money twice, as the sheets do.

Two years are compared as one lineage: a project renumbered between sheets is one project, and
a payee is one organisation when its 法人番号 is the same or, for a row without one, its folded
name is one the numbered organisation uses (marked ``matched_by: name``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flowviz.analysis.common import pct
from flowviz.corpnum import INDIVIDUAL_PLACEHOLDER
from flowviz.names import normalise_name
from flowviz.store.identity import organisations


@dataclass
class Diff:
    year_a: int
    year_b: int
    rows: list[dict[str, Any]] = field(default_factory=list)
    projects_new: list[str] = field(default_factory=list)
    projects_ended: list[str] = field(default_factory=list)
    total_a: int | None = 0
    total_b: int | None = 0
    #: for a project: the sheets compared per flow year (an empty list: no sheet that year)
    sheets: dict[int, list[Any]] | None = None


def _payee_keys(rows: list[dict[str, Any]]) -> dict[tuple[str, str], tuple[str, bool]]:
    """(name, 法人番号) → (organisation key, matched by name), by the identity rules of
    :func:`flowviz.store.identity.organisations` over both years' rows: a 法人番号, and a row
    without one joins the one numbered organisation that uses its folded name."""
    seen: dict[tuple[str, str], int] = {}
    for r in rows:
        k = (r["payee"], r["corporate_number"] or "")
        seen[k] = seen.get(k, 0) + 1
    entries = [
        {
            "stem": normalise_name(n),
            "name": n,
            "corporate_number": c,
            "rows": k,
            "first_year": 0,
            "last_year": 0,
        }
        for (n, c), k in seen.items()
    ]
    unnumbered: dict[str, tuple[str, bool]] = {}
    for org in organisations(entries):
        for n in org.named_only:
            unnumbered[n] = (org.key, True)
        if not org.corporate_number:
            unnumbered.update({n: (org.key, False) for n in org.names})
    return {
        (e["name"], e["corporate_number"]): (e["corporate_number"], False)
        if _numbered(e)
        else unnumbered[e["name"]]
        for e in entries
    }


def _numbered(e: dict[str, Any]) -> bool:
    return bool(e["corporate_number"]) and e["corporate_number"] != INDIVIDUAL_PLACEHOLDER


def _by_payee(
    rows: list[dict[str, Any]], keys: dict[tuple[str, str], tuple[str, bool]]
) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        if "organisation" in r:  # the store's identity (flowviz.store.identity_links.Resolver)
            k, by_name = r["organisation"], r["identity"] == "by name"
        else:
            k, by_name = keys[(r["payee"], r["corporate_number"] or "")]
        e = out.setdefault(
            k,
            {
                "payee": r["payee"],
                "corporate_number": r["corporate_number"],
                "amount": 0,
                "methods": set(),
                "by_name": False,
                "linked": False,
            },
        )
        e["linked"] = e["linked"] or r.get("identity") == "linked"
        e["amount"] += r["amount"] or 0
        e["by_name"] = e["by_name"] or by_name
        if r["corporate_number"] and not e["corporate_number"]:
            e["payee"], e["corporate_number"] = r["payee"], r["corporate_number"]
        if r.get("method"):
            e["methods"].add(r["method"])
    return out


def _matched_by(xa: Any, xb: Any) -> str:
    """How a payee listed in both years was found to be one: ``法人番号``, ``name`` or
    ``identities file`` (a hand-kept or registry link between two numbers)."""
    if not (xa and xb):
        return ""
    if xa["linked"] or xb["linked"]:
        return "identities file"
    return "法人番号" if xb["corporate_number"] and not (xa["by_name"] or xb["by_name"]) else "name"


def _status(xa: Any, xb: Any, missing: str | None) -> str:
    if xa is None:
        return missing or "new"
    if xb is None:
        return missing or "gone"
    return "changed" if xa["amount"] != xb["amount"] else "same"


def diff(
    year_a: int,
    rows_a: list[dict[str, Any]],
    year_b: int,
    rows_b: list[dict[str, Any]],
    same: dict[str, set[str]] | None = None,
    missing: str | None = None,
) -> Diff:
    """Payees new in ``year_b``, gone since ``year_a``, and changed, largest change first.

    ``same``: each row's ``lineage`` key → the ids it shares with its project's other sheets
    (:func:`flowviz.store.lineage.same_project`); a project is new or ended only when none of its
    ids is in the other year. ``missing``: the status of a payee when one year has no sheet."""
    rows = rows_a + rows_b
    keys = {} if rows and all("organisation" in r for r in rows) else _payee_keys(rows)
    a, b = _by_payee(rows_a, keys), _by_payee(rows_b, keys)
    d = Diff(
        year_a,
        year_b,
        total_a=sum(x["amount"] for x in a.values()),
        total_b=sum(x["amount"] for x in b.values()),
    )
    for k in a.keys() | b.keys():
        xa, xb = a.get(k), b.get(k)
        amount_a = xa["amount"] if xa else None
        amount_b = xb["amount"] if xb else None
        x = xb or xa
        methods_a = ", ".join(sorted(xa["methods"])) if xa else ""
        methods_b = ", ".join(sorted(xb["methods"])) if xb else ""
        d.rows.append(
            {
                "status": _status(xa, xb, missing),
                "payee": x["payee"],
                "corporate_number": x["corporate_number"],
                f"amount_{year_a}_yen": amount_a,
                f"amount_{year_b}_yen": amount_b,
                "change_yen": (amount_b or 0) - (amount_a or 0),
                f"share_{year_a}_pct": pct(amount_a, d.total_a),
                f"share_{year_b}_pct": pct(amount_b, d.total_b),
                "matched_by": _matched_by(xa, xb),
                "contract_method_change": f"{methods_a} → {methods_b}"
                if methods_a and methods_b and methods_a != methods_b
                else "",
            }
        )
    order = {"new": 0, "gone": 1, "changed": 2, "same": 3}
    d.rows.sort(key=lambda r: (order.get(r["status"], 4), -abs(r["change_yen"]), r["payee"]))
    d.projects_new, d.projects_ended = _projects(rows_a, rows_b, same or {})
    return d


def _projects(
    rows_a: list[dict[str, Any]], rows_b: list[dict[str, Any]], same: dict[str, set[str]]
) -> tuple[list[str], list[str]]:
    """Projects (labels) of ``rows_b`` sharing no id with ``rows_a``'s, and the reverse."""
    la = {r.get("lineage") or r["project"]: r["project"] for r in rows_a}
    lb = {r.get("lineage") or r["project"]: r["project"] for r in rows_b}
    ids_a = set().union(*(same.get(k, {k}) for k in la))
    ids_b = set().union(*(same.get(k, {k}) for k in lb))
    new = sorted({lb[k] for k in lb if not same.get(k, {k}) & ids_a})
    ended = sorted({la[k] for k in la if not same.get(k, {k}) & ids_b})
    return new, ended


def load_diff(
    con: Any,
    year_a: int,
    year_b: int,
    project: str | None = None,
    ministry: str | None = None,
    sheet_ministry: str | None = None,
    sheet_year: int | None = None,
    links: Any = None,
) -> Diff:
    """Listings of two flow years for one project (its lineage: every sheet linked to it, with
    ``links`` the hand-kept file), one ministry, or everything in the store, compared."""
    from flowviz.store.lineage import same_project
    from flowviz.store.payee_listings import lineage_listings, listings
    from flowviz.store.projects_across_years import family, find_start

    if project:
        fam = family(con, find_start(con, project, sheet_ministry, sheet_year), links)
        rows_a, sheets_a = lineage_listings(con, fam, year_a)
        rows_b, sheets_b = lineage_listings(con, fam, year_b)
        missing = "no sheet" if not (sheets_a and sheets_b) else None
        d = diff(year_a, rows_a, year_b, rows_b, missing=missing)
        d.sheets = {year_a: sheets_a, year_b: sheets_b}
        d.total_a = d.total_a if sheets_a else None
        d.total_b = d.total_b if sheets_b else None
        return d
    rows_a, rows_b = listings(con, year_a, ministry), listings(con, year_b, ministry)
    keys = sorted({r["lineage"] for r in rows_a + rows_b})
    return diff(year_a, rows_a, year_b, rows_b, same_project(con, keys))
