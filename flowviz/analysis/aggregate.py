"""Aggregate views over a year of the store: government → ministries → projects → payees.

Each column keeps its largest N nodes; everything else goes to an その他 bucket that carries
the exact remainder, so the totals of every column reconcile to the yen with the projects'
own documents.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field

from flowviz.analysis import payee_key
from flowviz.graph import roots
from flowviz.model import Entity, Flow, FlowDocument, Project, Source
from flowviz.store.queries import find_projects
from flowviz.store.rs_document import document_from_store
from flowviz.text import wareki


@dataclass
class Outcome:
    """What one project's published rows say leaves its funding source.

    ``direct``: payee key → (name, 法人番号, yen) for the first recipients with a positive
    published amount; ``negative``: the sum of negative amounts (deductions, returns), drawn
    apart; ``unknown``: links from the source without a published amount (not summed as 0円).
    """

    total: int = 0
    direct: dict[str, tuple[str, str | None, int]] = field(default_factory=dict)
    negative: int = 0
    unknown: int = 0


def project_outcomes(doc: FlowDocument) -> Outcome:
    """The first recipients of one project's money, as published."""
    rs = set(roots(doc))
    ents = doc.entity_map
    out = Outcome()
    sus = doc.suspects
    for fl in doc.flows:
        if fl.source not in rs:
            continue
        if fl.amount_yen is None or fl.id in sus:  # a suspect figure is summed nowhere
            out.unknown += 1
        elif fl.amount_yen < 0:
            out.negative += fl.amount_yen
        elif fl.amount_yen > 0:
            e = ents[fl.target]
            key = payee_key(e)
            name, num, old = out.direct.get(key, (e.name, e.corporate_number, 0))
            out.direct[key] = (name, num, old + fl.amount_yen)
            out.total += fl.amount_yen
    return out


def aggregate_document(
    con: sqlite3.Connection, year: int, ministry: str | None = None, top: int = 10
) -> FlowDocument:
    """One document drawing a whole year (or one ministry) of the store with top-N per column."""
    projects = find_projects(con, None, ministry, year)
    if not projects:
        from flowviz.exceptions import StoreError
        from flowviz.store.suggest import check_ministry

        if ministry:
            check_ministry(con, ministry)
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
    per_project = [(_project_key(doc), project_outcomes(doc)) for doc in docs]
    entities: list[Entity] = []
    flows: list[Flow] = []

    def flow(src: str, dst: str, amount: int, link: str = "") -> None:
        if amount:
            flows.append(Flow(f"a{len(flows) + 1}", src, dst, amount, year - 1, link_type=link))

    root, ministry_node = _ministry_column(per_project, ministry, top, entities, flow)
    shown_p = _project_column(per_project, ministry_node, top, entities, flow)
    _payee_column(per_project, shown_p, top, entities, flow)
    used = {f.source for f in flows} | {f.target for f in flows}
    scope = ministry or "全府省庁"
    return FlowDocument(
        project=Project(
            id=f"rs{year}-{'ministry-' + ministry if ministry else 'all'}",
            name=f"{scope}の資金の流れ（上位{top}件、残りはその他）",
            notes=_notes(per_project),
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
        partial_reason="右端の列は各事業の最初の支出先（府省庁から直接）への公表額で、手元に残った額ではない。"
        "再委託先は含まない。金額不明のつながりと疑わしい数値は合計に含めない",
        # sums of published figures, not figures of a sheet: judged as suspect in their projects
        extra={"derived": "aggregate"},
    )


def _project_key(doc: FlowDocument) -> dict[str, str]:
    return {
        "key": doc.project.id,
        "project_id": doc.project.number or doc.project.id,
        "name": doc.project.name,
        "ministry": doc.project.ministry or "（府省庁不明）",
    }


def _ministry_column(per_project, ministry, top, entities, flow):  # noqa: ANN001, ANN202
    """Government → ministries (or one ministry as the root); returns the root and the
    ministry → node map (small ministries share その他)."""
    by_ministry: dict[str, int] = defaultdict(int)
    for p, o in per_project:
        by_ministry[p["ministry"]] += o.total
    if ministry is not None and len(by_ministry) == 1:
        root = f"min:{next(iter(by_ministry))}"
        entities.append(Entity(root, next(iter(by_ministry)), "ministry"))
        return root, {m: root for m in by_ministry}
    entities.append(Entity("gov", "日本政府（各府省庁）", "government"))
    ranked = sorted(by_ministry, key=lambda m: (-by_ministry[m], m))
    shown, rest = ranked[:top], ranked[top:]
    node = {m: (f"min:{m}" if m in shown else "others:ministries") for m in ranked}
    for m in shown:
        entities.append(Entity(f"min:{m}", m, "ministry"))
        flow("gov", node[m], by_ministry[m])
    if rest:
        entities.append(Entity("others:ministries", f"その他の府省庁（{len(rest)}）", "other"))
        flow("gov", "others:ministries", sum(by_ministry[m] for m in rest))
    return "gov", node


def _project_column(per_project, ministry_node, top, entities, flow) -> set[str]:  # noqa: ANN001
    """Ministries → projects, top N by published money, the rest in その他の事業."""
    ranked = sorted(per_project, key=lambda x: (-x[1].total, x[0]["key"]))
    shown = {x[0]["key"] for x in ranked[:top]}
    others: dict[str, int] = defaultdict(int)
    for p, o in ranked:
        if p["key"] in shown:
            pid = f"prj:{p['key']}"
            entities.append(
                Entity(pid, f"{p['project_id']} {p['name']}", "other", role=p["ministry"])
            )
            flow(ministry_node[p["ministry"]], pid, o.total)
        else:
            others[ministry_node[p["ministry"]]] += o.total
    if len(ranked) > len(shown):
        entities.append(
            Entity("others:projects", f"その他の事業（{len(ranked) - len(shown)}件）", "other")
        )
        for src, amt in sorted(others.items()):
            flow(src, "others:projects", amt)
    return shown


def _payee_column(per_project, shown_p, top, entities, flow) -> None:  # noqa: ANN001
    """Projects → first recipients (top N overall, the rest in その他), and negative amounts
    (deductions, returns) to their own node, drawn as negative lines, never as bands."""
    overall: dict[str, list] = {}
    for _, o in per_project:
        for key, (name, num, amt) in o.direct.items():
            overall.setdefault(key, [name, num, 0])[2] += amt
    ranked = sorted(overall, key=lambda k: (-overall[k][2], k))[:top]
    for key in ranked:
        name, num, _ = overall[key]
        entities.append(Entity(f"pay:{key}", name, "company" if num else "other", num))
    entities.append(Entity("others:payees", "その他の支出先", "other"))
    entities.append(Entity("deductions", "控除・返納（負の額）", "other"))
    bucket: dict[tuple[str, str], int] = defaultdict(int)
    for p, o in per_project:
        src = f"prj:{p['key']}" if p["key"] in shown_p else "others:projects"
        shown_sum = sum(o.direct[k][2] for k in ranked if k in o.direct)
        for k in ranked:
            if k in o.direct:
                bucket[(src, f"pay:{k}")] += o.direct[k][2]
        bucket[(src, "others:payees")] += o.total - shown_sum
        bucket[(src, "deductions")] += o.negative
    for (src, dst), amt in sorted(bucket.items()):
        flow(src, dst, amt)


def _notes(per_project) -> tuple[str, ...]:  # noqa: ANN001
    unknown = sum(o.unknown for _, o in per_project)
    negative = sum(o.negative for _, o in per_project)
    notes = []
    if unknown:
        notes.append(f"府省庁からの支出のうち金額不明 {unknown}件は集計に含まれない（0円ではない）")
    if negative:
        notes.append(f"負の額（控除・返納）計 {negative:,}円 は支払とは別の線で表示")
    return tuple(notes)
