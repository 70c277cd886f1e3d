"""From the store to the model: one old-format sheet becomes a :class:`FlowDocument`.

The sheets list payees per group (A, B, C…) but not who paid whom, so no route is drawn as
fact: every payee hangs from the ministry with ``route_published=False`` (a distinct style and a
legend line), and when the groups add up to more than the year's 執行額 the document says that
some groups are probably paid through others, and by how much. Only the top 10 payees of each
group are listed, so the document is ``partial``: nothing is said about what anybody kept.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from flowviz import corpnum
from flowviz.exceptions import StoreError
from flowviz.i18n import english
from flowviz.kinds import model_kind as guess_kind
from flowviz.messages import N_, msg
from flowviz.model import (
    BUDGET_AMOUNTS,
    Budget,
    BudgetYear,
    Entity,
    Flow,
    FlowDocument,
    Project,
    Source,
)
from flowviz.money import format_in_unit
from flowviz.sources.judgit import LICENSE
from flowviz.store.db import query
from flowviz.suspect import EXECUTION_RATIO
from flowviz.text import wareki

PARTIAL_REASON = N_(
    "旧様式のレビューシートはグループ（A、B…）ごとに支出額上位10者のみを載せ、"
    "誰が誰に支払ったかは載せていない。経路は公表データにない"
)


def document_from_sheet(con: sqlite3.Connection, key: str) -> FlowDocument:
    """The flow document of the old-format sheet ``key`` (``2017:総務省:0048``)."""
    rows = query(con, "SELECT * FROM sheets WHERE sheet_key = ?", (key,))
    if not rows:
        raise StoreError(
            f"no old-format sheet {key!r} in the store; keys are YEAR:府省庁:事業番号, e.g."
            " 2017:総務省:0048 (import ../shared/data/judgit/*.ndjson.gz first)"
        )
    s = rows[0]
    payees = query(con, "SELECT * FROM sheet_payees WHERE sheet_key = ? ORDER BY grp, rank", (key,))
    budgets = query(
        con, "SELECT * FROM sheet_budgets WHERE sheet_key = ? ORDER BY budget_year", (key,)
    )
    entities = [Entity("ministry", s["ministry"], "ministry")]
    flows = []
    for i, p in enumerate(payees, 1):
        eid = f"{p['grp']}/{p['rank']}"
        number = p["corporate_number"]
        valid = number if number and corpnum.is_valid(number) else None
        entities.append(
            Entity(
                eid,
                p["payee"] or "（名称なし）",
                guess_kind(p["payee"], None, number),
                valid,
                p["grp"] or None,
                role=p["summary"] or "",
            )
        )
        flows.append(
            Flow(
                f"p{i}",
                "ministry",
                eid,
                p["amount"],
                p["flow_year"],
                purpose=p["summary"] or "",
                note=msg("旧様式シートの支出先（グループ内の順位 {rank}）", rank=p["rank"]),
                route_published=False,
            )
        )
    budget = _budget(budgets)
    return FlowDocument(
        project=_project(s),
        findings=_excess_note(payees, budget, s["year"] - 1),
        entities=tuple(entities),
        flows=tuple(flows),
        unit="百万円",
        budget=budget,
        file=f"store:{key}",
        partial=True,
        partial_reason=msg(PARTIAL_REASON),
    )


def _excess_note(payees: list[dict[str, Any]], budget: Budget, flow_year: int) -> tuple[str, ...]:
    listed = sum(p["amount"] for p in payees if p["amount"] is not None)
    executed = next((y.executed for y in budget.years if y.year == flow_year), None)
    if executed is None or listed <= executed:
        return ()
    groups = sorted({p["grp"] for p in payees})
    largest = max(p["amount"] for p in payees if p["amount"] is not None)
    said = {
        "groups": "・".join(groups) if not english() else ", ".join(groups),
        "listed": format_in_unit(listed, "百万円"),
        "era": wareki(flow_year),
        "executed": format_in_unit(executed, "百万円"),
    }
    if executed > 0 and largest > executed * EXECUTION_RATIO:
        return (
            msg(
                "グループ（{groups}）の支出額の合計 {listed} は{era}の執行額 {executed} を大きく"
                "上回る。1行の支出額 {largest} が執行額の{times}倍で、単位の誤りとみられる"
                "（疑わしい数値として合計と順位から除外、公表どおり表示）",
                largest=format_in_unit(largest, "百万円"),
                times=f"{largest // executed:,}",
                **said,
            ),
        )
    return (
        msg(
            "グループ（{groups}）の支出額の合計 {listed} は{era}の執行額 {executed} を {excess} "
            "上回る。一部のグループは他のグループを通じて支払われたとみられる（誰が誰に支払ったかは"
            "シートの図にのみあり、データにはない）",
            excess=format_in_unit(listed - executed, "百万円"),
            **said,
        ),
    )


def _project(s: dict[str, Any]) -> Project:
    return Project(
        id=f"sheet{s['year']}-{s['ministry']}-{s['number']}",
        name=s["name"] or "",
        number=s["number"] or "",
        ministry=s["ministry"] or "",
        bureau=s["bureau"] or "",
        division=s["division"] or "",
        sheet_year=s["year"],
        flow_year=s["year"] - 1,
        start_year=s["start_year"],
        end_year=s["end_year"],
        source=Source(
            document=msg(
                "{era}行政事業レビューシート（旧様式）{ministry} 事業番号{number}"
                "（JUDGIT! {file} {line}行目）",
                era=wareki(s["year"]),
                ministry=s["ministry"],
                number=s["number"],
                file=s["file"].rsplit("/", 1)[-1],
                line=s["line"],
            ),
            section=msg("予算, 支出先"),
            url=s["url"] or "",
            license=LICENSE,
        ),
    )


def _budget(rows: list[dict[str, Any]]) -> Budget:
    years = []
    for r in rows:
        if r["request"] is not None and r["total"] is None:
            years.append(
                BudgetYear(
                    r["budget_year"],
                    msg("{era}要求", era=wareki(r["budget_year"])),
                    initial=r["request"],
                    total=r["request"],
                    request=True,
                )
            )
            continue
        amounts = {f: r[f] for f in BUDGET_AMOUNTS}
        years.append(BudgetYear(r["budget_year"], wareki(r["budget_year"]), **amounts))
    return Budget(years=tuple(years))
