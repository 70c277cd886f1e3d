"""One contract listed in several projects: the same contractor, contract value and summary
under two or more 予算事業ID (a joint procurement each project lists, e.g. a 共同企業体's
廃棄物処理業務 under 650 and 651). Counted once in a total, with every project named."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SharedContract:
    """A contract listed under several projects, and where."""

    payee: str
    value_yen: int
    summary: str
    projects: tuple[str, ...]

    @property
    def listed_again_yen(self) -> int:
        """What summing every listing would count more than once."""
        return self.value_yen * (len(self.projects) - 1)


def _key(r: dict[str, Any]) -> tuple[Any, ...] | None:
    if r["contract_value_yen"] is None or not (r["payee"] or r["corporate_number"]):
        return None
    who = r["corporate_number"] or r["payee"]
    return (r["year"], who, r["contract_value_yen"], (r["contract_summary"] or "").strip())


def shared_contracts(rows: Iterable[dict[str, Any]]) -> list[SharedContract]:
    """Contracts of ``rows`` listed in more than one project, largest first."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for r in rows:
        key = _key(r)
        if key is not None:
            groups.setdefault(key, []).append(r)
    out = []
    for (_, _, value, summary), rs in groups.items():
        projects = tuple(sorted({r["project_id"] for r in rs}, key=lambda p: (len(p), p)))
        if len(projects) > 1:
            out.append(SharedContract(rs[0]["payee"], value, summary, projects))
    return sorted(out, key=lambda s: (-s.value_yen, s.projects))


def once_total(rows: Iterable[dict[str, Any]]) -> int:
    """The sum of the rows' contract values with each shared contract counted once."""
    rows = list(rows)
    total = sum(r["contract_value_yen"] or 0 for r in rows)
    return total - sum(s.listed_again_yen for s in shared_contracts(rows))


def shared_lines(shared: list[SharedContract], shown: int = 3) -> list[str]:
    """Footer lines: how many, what they would add twice, the largest with their projects."""
    if not shared:
        return []
    again = sum(s.listed_again_yen for s in shared)
    out = [
        f"listed in several projects: {len(shared)} contracts (same contractor, value and"
        f" summary; {again:,}円 more if each listing were summed), counted once in the total:"
    ]
    out += [
        f"  {s.payee} {s.value_yen:,}円 「{s.summary[:40]}」 in projects {', '.join(s.projects)}"
        for s in shared[:shown]
    ]
    if len(shared) > shown:
        out.append(f"  … {len(shared) - shown} more (--format json: rows with the same values)")
    return out
