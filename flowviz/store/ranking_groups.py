"""One ranked organisation: its rows added up, its kind, projects and ministries counted."""

from __future__ import annotations

from typing import Any

from flowviz.kinds import organisation_kind


def new_group(r: dict[str, Any], key: str) -> dict[str, Any]:
    return {
        "payee": r["payee"],
        "corporate_number": "" if key.startswith("name:") else key,
        "by_name_rows": 0,
        "corp_kind": r["corp_kind"],
        "amount_yen": None,
        "_projects": set(),
        "_ministries": set(),
        "rows": 0,
        "rows_unknown": 0,
        "passed_on_yen": None,
        "pays_on": 0,
    }


def add_row(g: dict[str, Any], r: dict[str, Any]) -> None:
    if r["amount_yen"] is not None:
        g["amount_yen"] = (g["amount_yen"] or 0) + r["amount_yen"]
    g["_projects"].add((r["ministry"], r["project_id"]))
    g["_ministries"].add(r["ministry"])
    g["rows"] += r["rows"]
    g["rows_unknown"] += r["rows_unknown"]
    if r["identity"]:  # joined by name or by a link: counted, and said
        g["by_name_rows"] += r["rows"]
    elif r["corporate_number"] == g["corporate_number"]:
        g["payee"] = r["payee"]  # the name published with the organisation's own number
    g["corp_kind"] = g["corp_kind"] or r["corp_kind"]
    if r.get("passed_on_yen"):
        g["passed_on_yen"] = (g["passed_on_yen"] or 0) + r["passed_on_yen"]
    g["pays_on"] = g["pays_on"] or r.get("pays_on") or 0


def finish(g: dict[str, Any], final_only: bool = False) -> dict[str, Any]:
    kind, basis = organisation_kind(g["payee"], g["corporate_number"], g.pop("corp_kind"))
    g["kind"], g["kind_basis"] = kind, basis
    g["projects"] = len(g.pop("_projects"))
    g["ministries"] = len(g.pop("_ministries"))
    if final_only and g["amount_yen"] is not None:
        g["amount_yen"] -= g["passed_on_yen"] or 0
    return g
