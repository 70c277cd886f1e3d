"""A project's history as text: tables for the terminal, CSV or JSON."""

from __future__ import annotations

from typing import Any

from flowviz.analysis.budget_basis import DEFINITION, GROSS_PARTS
from flowviz.analysis.history import History, budget_records, incumbents, payee_records
from flowviz.messages import N_, msg
from flowviz.render.tables import format_table, to_json

EVIDENCE = {
    "query": N_("問い合わせたシート"),
    "project_uid": N_("JUDGIT! 事業ID"),
    "past_sheet": N_("関連する過去のレビューシート"),
    "same_name": N_("同じ府省庁・同じ事業名"),
    "manual": N_("手で管理する結び付けファイル"),
}


def member_records(h: History) -> list[dict[str, Any]]:
    return [
        {
            "year": m.year,
            "source": msg("旧様式シート") if m.source == "old" else msg("RSシステム"),
            "number": m.number,
            "ministry": m.ministry,
            "name": m.name,
            "evidence": msg(EVIDENCE[m.evidence]) if m.evidence in EVIDENCE else m.evidence,
            "url": m.url,
        }
        for m in h.members
    ]


def _evidence(evidence: list[str]) -> str:
    """Short form: the budget years whose 当初予算 a candidate restates, then the rest."""
    years = [e.split()[1] for e in evidence if e.startswith("budget:")]
    rest = [e.split(" (")[0] for e in evidence if not e.startswith("budget:")]
    head = [f"当初予算 as the lineage's in {', '.join(sorted(years))}"] if years else []
    return "; ".join(head + rest)


def ending_lines(h: History) -> list[str]:
    """Where the lineage stops before the store does, and the successors the data suggests."""
    e = h.ending
    if e is None:
        return []
    out = [
        "",
        f"the lineage ends with the {e.last_year} sheet; the store holds sheets up to {e.newest_year}.",
    ]
    if not e.candidates:
        return [
            *out,
            "no successor found (no sheet restates its budget, names it, or shares its division and name)",
        ]
    out.append("candidate successors (not followed; a --links line from,to,evidence follows one):")
    out.append(
        format_table(
            [{**vars(c), "evidence": _evidence(c.evidence)} for c in e.candidates],
            ("year", "key", "name", "score", "evidence"),
            max_width=120,
        )
    )
    best = e.candidates[0]
    out.append(f"  e.g. links.csv: from,to,evidence / {e.last_key},{best.key},budget")
    return out


def history_lines(h: History, fmt: str = "table", incumbency: int = 3) -> list[str]:
    first = h.members[0] if h.members else None
    lines = [f"project: {first.name} ({first.ministry})" if first else "project: (none)", ""]
    lines.append("sheets:")
    lines.append(format_table(member_records(h), ("year", "source", "number", "name", "evidence")))
    lines += ending_lines(h)
    lines += [
        "",
        "budget and execution by fiscal year (円; each figure from the latest sheet that states it;",
        f"  {DEFINITION}; rates are of gross):",
    ]
    cols = (
        "year",
        *GROSS_PARTS,
        "gross",
        "carried_over",
        "executed",
        "execution_rate_pct",
        "request",
    )
    budget = [
        {k: f"{v:,}" if isinstance(v, int) and k != "year" else v for k, v in r.items()}
        for r in budget_records(h)
    ]
    lines.append(format_table(budget, cols, max_width=30))
    disagree = [f"  FY{b.year} {d}" for b in h.budget for d in b.disagreements]
    if disagree:
        lines += ["", "where sheets disagree on the same figure (the latest is shown above):"]
        lines += disagree
    revised = sum(len(b.revisions) for b in h.budget)
    if revised:
        lines.append(
            f"{revised} figures stated while their year ran were stated anew once it closed"
            " (補正, 予備費, 総額; not disagreements; --format json lists them)"
        )
    return lines + _payee_lines(h, incumbency)


def _payee_lines(h: History, incumbency: int) -> list[str]:
    """The payee × flow year table, how rows joined their organisation, and FV012."""
    lines = ["", "payees by flow year (円, as listed; groups may pass money to each other):"]
    rows = payee_records(h)
    for r in rows:
        for y in h.flow_years:
            mark = r.pop(f"{y}_mark", "")
            v = r[str(y)]
            r[str(y)] = ("" if v is None else f"{v:,}") + (f" ({mark})" if mark else "")
    lines.append(
        format_table(rows, ("payee", "corporate_number", *map(str, h.flow_years)), max_width=28)
    )
    by_name = [r for r in rows if r["matched_by_name_in"]]
    if by_name:
        lines.append(
            "matched by name where the 法人番号 is missing: "
            + "; ".join(f"{r['payee']} ({r['matched_by_name_in']})" for r in by_name)
        )
    linked = [r for r in rows if r.get("linked_in")]
    if linked:
        lines.append(
            "rows under another 法人番号 joined by the identities file (flowviz identities): "
            + "; ".join(f"{r['payee']} ({r['linked_in']})" for r in linked)
        )
    inc = incumbents(h, incumbency)
    if inc:
        lines += ["", f"FV012 incumbency: listed {incumbency} or more consecutive years:"]
        lines.append(
            format_table(inc, ("payee", "corporate_number", "years", "from", "to", "total_yen"))
        )
    return lines


def history_json(h: History, incumbency: int = 3) -> str:
    return to_json(
        {
            "incumbents": incumbents(h, incumbency),
            "sheets": member_records(h),
            "budget": budget_records(h),
            "payees": payee_records(h),
            "flow_years": h.flow_years,
            "ending": None
            if h.ending is None
            else {
                "last_year": h.ending.last_year,
                "newest_year": h.ending.newest_year,
                "candidates": [vars(c) for c in h.ending.candidates],
            },
        }
    )
