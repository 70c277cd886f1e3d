"""Aggregate views over a year of the store: government → ministries → projects → payees.

Each column keeps its largest N nodes; everything else goes to an その他 bucket that carries
the exact remainder, so the totals of every column reconcile to the yen with the projects'
own documents.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict

from flowviz.analysis import payee_key
from flowviz.graph import roots, totals
from flowviz.model import Entity, Flow, FlowDocument, Project, Source
from flowviz.store.queries import find_projects
from flowviz.store.rs_document import document_from_store
from flowviz.text import wareki


def project_outcomes(doc: FlowDocument) -> tuple[int, dict[str, tuple[str, str | None, int]]]:
    """(money leaving the ministry, {payee key: (name, 法人番号, kept yen)}) of one project."""
    inflow, outflow = totals(doc)
    rs = set(roots(doc))
    total = sum(outflow.get(r, 0) for r in rs)
    kept: dict[str, tuple[str, str | None, int]] = {}
    for e in doc.entities:
        if e.id in rs:
            continue
        k = inflow.get(e.id, 0) - outflow.get(e.id, 0)
        if k == 0 and e.id not in inflow:
            continue
        key = payee_key(e)
        name, num, old = kept.get(key, (e.name, e.corporate_number, 0))
        kept[key] = (name, num, old + k)
    return total, kept


def aggregate_document(
    con: sqlite3.Connection, year: int, ministry: str | None = None, top: int = 10
) -> FlowDocument:
    """One document drawing a whole year (or one ministry) of the store with top-N per column."""
    projects = find_projects(con, None, ministry, year)
    if not projects:
        from flowviz.exceptions import StoreError

        raise StoreError(
            f"no projects for {ministry or 'any ministry'} in {year}; check the name with flowviz projects"
        )
    docs = [document_from_store(con, year, p["project_id"]) for p in projects]
    return aggregate_documents(docs, year, ministry, top)


def aggregate_documents(
    docs: list[FlowDocument], year: int, ministry: str | None = None, top: int = 10
) -> FlowDocument:
    """government (or one ministry) → ministries → projects → payees over ``docs``, top-N per column.

    Pure: any list of documents works, which is how the reconciliation is property-tested.
    """
    top = max(top, 1)
    projects = docs
    per_project: list[tuple[dict, int, dict[str, tuple[str, str | None, int]]]] = []
    for doc in docs:
        p = {
            "key": doc.project.id,
            "project_id": doc.project.number or doc.project.id,
            "name": doc.project.name,
            "ministry": doc.project.ministry or "（府省庁不明）",
        }
        total, kept = project_outcomes(doc)
        per_project.append((p, total, kept))

    entities: list[Entity] = []
    flows: list[Flow] = []
    n = 0

    def flow(src: str, dst: str, amount: int, link: str = "") -> None:
        nonlocal n
        if amount == 0:
            return
        n += 1
        flows.append(Flow(f"a{n}", src, dst, amount, year - 1, link_type=link))

    # column: ministries
    by_ministry: dict[str, int] = defaultdict(int)
    for p, total, _ in per_project:
        by_ministry[p["ministry"]] += total
    single = ministry is not None and len(by_ministry) == 1
    root = f"min:{next(iter(by_ministry))}" if single else "gov"
    if single:
        entities.append(Entity(root, next(iter(by_ministry)), "ministry"))
        ministry_node = {m: root for m in by_ministry}
    else:
        entities.append(Entity("gov", "日本政府（各府省庁）", "government"))
        ranked = sorted(by_ministry, key=lambda m: (-by_ministry[m], m))
        shown = ranked[:top]
        ministry_node = {m: (f"min:{m}" if m in shown else "others:ministries") for m in ranked}
        for m in shown:
            entities.append(Entity(f"min:{m}", m, "ministry"))
        rest = ranked[top:]
        if rest:
            entities.append(Entity("others:ministries", f"その他の府省庁（{len(rest)}）", "other"))
        for m in shown:
            flow("gov", ministry_node[m], by_ministry[m])
        rest_total = sum(by_ministry[m] for m in rest)
        flow("gov", "others:ministries", rest_total)

    # column: projects
    ranked_p = sorted(per_project, key=lambda x: (-x[1], x[0]["key"]))
    shown_p = {x[0]["key"] for x in ranked_p[:top]}
    other_project_by_node: dict[str, int] = defaultdict(int)
    for p, total, _ in ranked_p:
        if p["key"] in shown_p:
            pid = f"prj:{p['key']}"
            entities.append(
                Entity(pid, f"{p['project_id']} {p['name']}", "other", role=p["ministry"])
            )
            flow(ministry_node[p["ministry"]], pid, total)
        else:
            other_project_by_node[ministry_node[p["ministry"]]] += total
    hidden = len(ranked_p) - len(shown_p)
    if hidden:
        entities.append(Entity("others:projects", f"その他の事業（{hidden}件）", "other"))
        for src, amt in sorted(other_project_by_node.items()):
            flow(src, "others:projects", amt)

    # column: payees (what each finally kept), top N overall
    overall: dict[str, list] = {}
    for _, _, kept in per_project:
        for key, (name, num, amt) in kept.items():
            row = overall.setdefault(key, [name, num, 0])
            row[2] += amt
    ranked_k = sorted(overall, key=lambda k: (-overall[k][2], k))[:top]
    for key in ranked_k:
        name, num, _ = overall[key]
        entities.append(Entity(f"pay:{key}", name, "company" if num else "other", num))
    entities.append(Entity("others:payees", "その他の支出先", "other"))
    bucket_to: dict[tuple[str, str], int] = defaultdict(int)
    for p, total, kept in per_project:
        src = f"prj:{p['key']}" if p["key"] in shown_p else "others:projects"
        shown_sum = 0
        for key in ranked_k:
            if key in kept:
                amt = kept[key][2]
                shown_sum += amt
                bucket_to[(src, key)] += amt
        bucket_to[(src, "others")] += total - shown_sum
    for (src, key), amt in sorted(bucket_to.items()):
        flow(src, "others:payees" if key == "others" else f"pay:{key}", amt)

    used = {f.source for f in flows} | {f.target for f in flows}
    scope = ministry or "全府省庁"
    return FlowDocument(
        project=Project(
            id=f"rs{year}-{'ministry-' + ministry if ministry else 'all'}",
            name=f"{scope}の資金の流れ（上位{top}件、残りはその他）",
            ministry=scope,
            sheet_year=year,
            flow_year=year - 1,
            source=Source(
                document=f"{wareki(year)}行政事業レビュー（RSシステム オープンデータ）{len(projects)}事業の集計",
                license="公共データ利用規約 第1.0版 (PDL1.0)",
            ),
        ),
        entities=tuple(e for e in entities if e.id in used or e.id == root),
        flows=tuple(flows),
        unit="円",
        file=f"store:{year}",
        partial=True,
        partial_reason="各事業の金額は5-3（費目・使途）の記載分（5-1がない場合）。支出先はそれぞれが手元に残した額",
    )
