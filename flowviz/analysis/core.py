"""Trace the money: paths to final recipients, totals per payee, and red flags.

Everything here is plain Python over the model, returning records the CLI
prints as tables, CSV or JSON. Amounts stay integer yen; shares are
``Decimal`` percentages rounded only for display.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flowviz import corpnum
from flowviz.exceptions import EntityNotFound
from flowviz.graph import roots, totals
from flowviz.model import Entity, Flow, FlowDocument
from flowviz.money import format_in_unit, format_yen, format_yen_ja
from flowviz.names import is_generic, looks_like_corporate_number, normalise_name

MAX_PATHS = 10_000


def pct(part: int, whole: int) -> Decimal | None:
    """``part / whole`` in percent, exactly rounded; ``None`` if whole is 0."""
    if whole == 0:
        return None
    value = Decimal(part) * 100 / Decimal(whole)
    # one decimal is enough for large shares; small ones keep three so they never read 0.0
    step = Decimal("0.1") if abs(value) >= 1 or value == 0 else Decimal("0.001")
    return value.quantize(step, ROUND_HALF_UP)


# -- finding entities ---------------------------------------------------------


def resolve(doc: FlowDocument, query: str) -> list[str]:
    """Entity ids matching ``query``: an id, a 法人番号, or a (normalised) name.

    Exact matches win over substring matches. Raises :class:`EntityNotFound`
    naming close candidates when nothing matches.
    """
    q = query.strip()
    ids = [e.id for e in doc.entities if e.id == q]
    if ids:
        return ids
    if looks_like_corporate_number(q):
        n = corpnum.normalise(q)
        ids = [e.id for e in doc.entities if e.corporate_number == n]
        if ids:
            return ids
    key = normalise_name(q)
    if key:
        exact = [e.id for e in doc.entities if normalise_name(e.name) == key]
        if exact:
            return exact
        part = [e.id for e in doc.entities if key in normalise_name(e.name)]
        if part:
            return part
    names = ", ".join(e.name for e in doc.entities[:8])
    raise EntityNotFound(
        f"{doc.file or doc.project.id}: no entity matches {query!r}; give an id, a 法人番号"
        f" or part of a name (entities: {names})"
    )


# -- paths --------------------------------------------------------------------


@dataclass
class Hop:
    flow: Flow
    source: Entity
    target: Entity
    share_of_first_pct: Decimal | None
    share_of_source_total_pct: Decimal | None


@dataclass
class Path:
    hops: list[Hop] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [self.hops[0].source.name] + [h.target.name for h in self.hops] if self.hops else []


def _paths_from(doc: FlowDocument, start: str, limit: int) -> Iterable[list[Flow]]:
    """Simple paths (no repeated entity) from ``start`` to every entity that pays nothing on.

    Iterative with one shared path and backtracking, so a 10,000-hop chain costs O(n).
    """
    out: dict[str, list[Flow]] = defaultdict(list)
    for fl in doc.flows:
        out[fl.source].append(fl)
    count = 0
    path: list[Flow] = []
    on_path = {start}
    stack = [iter(out.get(start, []))]
    while stack:
        f = next(stack[-1], None)
        if f is None:
            stack.pop()
            if path:
                on_path.discard(path.pop().target)
            continue
        if f.target in on_path:
            continue
        path.append(f)
        on_path.add(f.target)
        if any(g.target not in on_path for g in out.get(f.target, [])):
            stack.append(iter(out[f.target]))
            continue
        yield list(path)
        count += 1
        if count >= limit:
            return
        on_path.discard(path.pop().target)


def trace(
    doc: FlowDocument,
    source: str | None = None,
    target: str | None = None,
    limit: int = MAX_PATHS,
) -> list[Path]:
    """Every path from the funding source(s) (or ``source``) to final payees (or ``target``)."""
    ents = doc.entity_map
    starts = resolve(doc, source) if source else roots(doc)
    targets = set(resolve(doc, target)) if target else None
    _, outflow = totals(doc)
    result: list[Path] = []
    for s in starts:
        for flows in _paths_from(doc, s, limit):
            if targets is not None:
                cut = next((i for i, f in enumerate(flows) if f.target in targets), None)
                if cut is None:
                    continue
                flows = flows[: cut + 1]
            first = flows[0].amount_yen
            total = outflow.get(flows[0].source, 0)
            p = Path(
                [
                    Hop(
                        f,
                        ents[f.source],
                        ents[f.target],
                        pct(f.amount_yen, first),
                        pct(f.amount_yen, total),
                    )
                    for f in flows
                ]
            )
            if all(p.hops != q.hops for q in result):
                result.append(p)
    return result


def trace_records(paths: list[Path], doc: FlowDocument) -> list[dict[str, Any]]:
    rows = []
    for i, p in enumerate(paths, 1):
        for j, h in enumerate(p.hops, 1):
            c = h.flow.contract
            rows.append(
                {
                    "path": i,
                    "hop": j,
                    "from": h.source.name,
                    "to": h.target.name,
                    "amount_yen": h.flow.amount_yen,
                    "amount": format_yen_ja(h.flow.amount_yen),
                    "as_published": format_in_unit(h.flow.amount_yen, doc.unit),
                    "share_of_first_hop_pct": h.share_of_first_pct,
                    "share_of_source_total_pct": h.share_of_source_total_pct,
                    "link_type": h.flow.link_type,
                    "contract_method": c.method,
                    "bidders": c.bidders,
                    "award_rate": c.award_rate_pct,
                    "from_corporate_number": h.source.corporate_number,
                    "to_corporate_number": h.target.corporate_number,
                    "flow_id": h.flow.id,
                    "project_id": doc.project.id,
                }
            )
    return rows


# -- payees -------------------------------------------------------------------


def payee_key(e: Entity) -> str:
    """Merge key across files: the 法人番号 when present (and not the individuals' placeholder)."""
    if e.corporate_number and e.corporate_number != corpnum.INDIVIDUAL_PLACEHOLDER:
        return e.corporate_number
    return "name:" + normalise_name(e.name)


def payees(docs: Iterable[FlowDocument]) -> list[dict[str, Any]]:
    """Every recipient with what it received (direct from a funding source, or indirect),
    passed on and kept, merged across documents by 法人番号 or normalised name.

    ``partial`` is true when a source document lists only part of the payees (RS data without
    5-1): then ``kept_yen`` is received minus what is *known* to be passed on.

    Invariant (tested): the ``kept_yen`` column sums to the money leaving the funding sources.
    """
    acc: dict[str, dict[str, Any]] = {}
    for doc in docs:
        rs = set(roots(doc))
        inflow, outflow = totals(doc)
        direct: dict[str, int] = defaultdict(int)
        for fl in doc.flows:
            if fl.source in rs:
                direct[fl.target] += fl.amount_yen
        for e in doc.entities:
            if e.id in rs or (e.id not in inflow and e.id not in outflow):
                continue
            k = payee_key(e)
            row = acc.setdefault(
                k,
                {
                    "name": e.name,
                    "corporate_number": e.corporate_number,
                    "kind": e.kind,
                    "role": "final",
                    "received_direct_yen": 0,
                    "received_indirect_yen": 0,
                    "received_yen": 0,
                    "passed_on_yen": 0,
                    "kept_yen": 0,
                    "kept_pct": None,
                    "projects": [],
                    "blocks": [],
                    "partial": False,
                },
            )
            row["partial"] = row["partial"] or doc.partial
            got = inflow.get(e.id, 0)
            row["received_direct_yen"] += direct.get(e.id, 0)
            row["received_indirect_yen"] += got - direct.get(e.id, 0)
            row["received_yen"] += got
            row["passed_on_yen"] += outflow.get(e.id, 0)
            row["kept_yen"] += got - outflow.get(e.id, 0)
            if outflow.get(e.id, 0):
                row["role"] = "intermediary"
            if doc.project.id not in row["projects"]:
                row["projects"].append(doc.project.id)
            if e.block and f"{doc.project.id}:{e.block}" not in row["blocks"]:
                row["blocks"].append(f"{doc.project.id}:{e.block}")
    rows = list(acc.values())
    for r in rows:
        r["kept_pct"] = pct(r["kept_yen"], r["received_yen"])
        r["projects"] = ";".join(r["projects"])
        r["blocks"] = ";".join(r["blocks"])
    rows.sort(key=lambda r: (-r["received_yen"], r["name"]))
    return rows


def source_total(docs: Iterable[FlowDocument]) -> int:
    """Money leaving the funding sources of all documents."""
    t = 0
    for doc in docs:
        _, outflow = totals(doc)
        t += sum(outflow.get(r, 0) for r in roots(doc))
    return t


# -- flags --------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    award_rate_pct: Decimal = Decimal(95)
    pass_through_pct: Decimal = Decimal(90)
    chain_depth: int = 2


RULES = {
    "FV001": "non_competitive_award",
    "FV002": "one_bidder",
    "FV003": "high_award_rate",
    "FV004": "deep_redelegation",
    "FV005": "pass_through",
    "FV006": "no_named_final_recipient",
    "FV007": "missing_corporate_number",
    "FV008": "outflow_exceeds_inflow",
    "FV009": "unexecuted_amount_in_total",
}


def flags(doc: FlowDocument, th: Thresholds | None = None) -> list[dict[str, Any]]:
    """Rule-based findings, each with a stable rule id and the figures that triggered it."""
    th = th or Thresholds()
    ents = doc.entity_map
    inflow, outflow = totals(doc)
    rs = set(roots(doc))
    out: list[dict[str, Any]] = []

    def add(
        rule: str,
        message: str,
        *,
        flow: Flow | None = None,
        entity: Entity | None = None,
        **figures: Any,
    ) -> None:
        e = entity or (ents.get(flow.target) if flow else None)
        out.append(
            {
                "rule_id": rule,
                "rule": RULES[rule],
                "project_id": doc.project.id,
                "flow_id": flow.id if flow else None,
                "entity_id": e.id if e else None,
                "entity": e.name if e else None,
                "corporate_number": e.corporate_number if e else None,
                "message": message,
                "figures": figures,
            }
        )

    for fl in doc.flows:
        c = fl.contract
        s, t = ents[fl.source].name, ents[fl.target].name
        if c.is_non_competitive:
            add(
                "FV001",
                f"{s} → {t}: 競争性のない随意契約 ({c.method}), {format_yen(fl.amount_yen)}",
                flow=fl,
                amount_yen=fl.amount_yen,
                contract_method=c.method,
                reason=c.non_competitive_reason or None,
            )
        if c.bidders == 1:
            add(
                "FV002",
                f"{s} → {t}: 一者応札・一者応募 (入札者数 1), {format_yen(fl.amount_yen)}",
                flow=fl,
                amount_yen=fl.amount_yen,
                bidders=1,
                contract_method=c.method,
            )
        if c.award_rate_pct is not None and c.award_rate_pct >= th.award_rate_pct:
            add(
                "FV003",
                f"{s} → {t}: 落札率 {c.award_rate_pct}% ≥ {th.award_rate_pct}%",
                flow=fl,
                amount_yen=fl.amount_yen,
                award_rate_pct=c.award_rate_pct,
                threshold_pct=th.award_rate_pct,
            )

        unexecuted = [
            b for b in fl.breakdown if "未執行" in b.expense_item or "未執行" in b.purpose
        ]
        if unexecuted:
            amount = sum(b.amount_yen for b in unexecuted)
            add(
                "FV009",
                f"{s} → {t}: {format_yen(amount)} of the {format_yen(fl.amount_yen)} is published as"
                " 未執行 (not yet paid out) but counted in the total, as the sheet sums it",
                flow=fl,
                amount_yen=fl.amount_yen,
                unexecuted_yen=amount,
                lines=[f"{b.expense_item} / {b.purpose}" for b in unexecuted],
            )

    # re-delegation depth: hops after the first, along paths from the funding sources
    hop_depth: dict[str, int] = {}
    queue = deque((r, 0) for r in rs)
    by_source: dict[str, list[Flow]] = defaultdict(list)
    for fl in doc.flows:
        by_source[fl.source].append(fl)
    seen_flow: set[str] = set()
    while queue:
        node, d = queue.popleft()
        for fl in by_source.get(node, []):
            if fl.id in seen_flow:
                continue
            seen_flow.add(fl.id)
            hop_depth[fl.id] = d
            queue.append((fl.target, d + 1))
    # one finding per chain: at the flow that ends it (its target pays nothing on)
    for fl in doc.flows:
        d = hop_depth.get(fl.id, 0)
        if d >= th.chain_depth and not by_source.get(fl.target):
            chain = _chain_names(doc, fl, hop_depth)
            add(
                "FV004",
                f"re-delegation depth {d} (≥ {th.chain_depth}): {' → '.join(chain)},"
                f" {format_yen(fl.amount_yen)} at the last hop",
                flow=fl,
                depth=d,
                chain=chain,
                amount_yen=fl.amount_yen,
                link_type=fl.link_type or None,
            )

    for e in doc.entities:
        got, paid = inflow.get(e.id, 0), outflow.get(e.id, 0)
        if e.id in rs or got == 0:
            continue
        if paid > 0:
            passed = pct(paid, got)
            if passed is not None and passed >= th.pass_through_pct and paid <= got:
                add(
                    "FV005",
                    f"{e.name} passed on {format_yen(paid)} of {format_yen(got)} ({passed}%),"
                    f" kept {format_yen(got - paid)} ({pct(got - paid, got)}%)"
                    + (
                        f" [{format_in_unit(got - paid, doc.unit)} of {format_in_unit(got, doc.unit)}]"
                        if doc.unit != "円"
                        else ""
                    ),
                    entity=e,
                    received_yen=got,
                    passed_on_yen=paid,
                    kept_yen=got - paid,
                    kept_pct=pct(got - paid, got),
                    passed_on_pct=passed,
                )
            if paid > got:
                add(
                    "FV008",
                    f"{e.name} pays out {format_yen(paid)} but receives {format_yen(got)}"
                    f" (excess {format_yen(paid - got)})",
                    entity=e,
                    received_yen=got,
                    paid_yen=paid,
                    excess_yen=paid - got,
                )
        if paid == 0 and (e.kind == "block" or is_generic(e.name)):
            add(
                "FV006",
                f"{format_yen(got)} ({format_yen_ja(got)}) ends at {e.name!r}, a group, not a named"
                " recipient: the sheet does not say who finally got it",
                entity=e,
                amount_yen=got,
            )
        elif e.kind in ("company", "agency", "other") and not is_generic(e.name):
            why = None
            if not e.corporate_number:
                why = "no 法人番号"
            elif corpnum.problem(e.corporate_number):
                why = f"invalid 法人番号 ({corpnum.problem(e.corporate_number)})"
            if why:
                add(
                    "FV007",
                    f"{e.name}: {why}; it cannot be matched across data sets",
                    entity=e,
                    amount_yen=got,
                )
    return out


def _chain_names(doc: FlowDocument, fl: Flow, hop_depth: dict[str, int]) -> list[str]:
    """Names along one upstream path to ``fl``'s target (first predecessor at each step)."""
    ents = doc.entity_map
    into: dict[str, Flow] = {}
    for f in doc.flows:
        if f.target not in into and f.id in hop_depth:
            into[f.target] = f
    names = [ents[fl.target].name, ents[fl.source].name]
    visited = {fl.target, fl.source}
    node = fl.source
    while node in into:
        node = into[node].source
        if node in visited:  # a cycle: stop where it closes
            break
        visited.add(node)
        names.append(ents[node].name)
    return names[::-1]


def flags_by_flow(doc: FlowDocument, th: Thresholds | None = None) -> dict[str, list[str]]:
    """Flow id → rule ids, for marking pictures; entity findings mark the entity's outgoing flows."""
    marks: dict[str, list[str]] = defaultdict(list)
    for f in flags(doc, th):
        ids = (
            [f["flow_id"]]
            if f["flow_id"]
            else [fl.id for fl in doc.flows if fl.source == f["entity_id"]]
        )
        if not ids:
            ids = [fl.id for fl in doc.flows if fl.target == f["entity_id"]]
        for i in ids:
            if f["rule_id"] not in marks[i]:
                marks[i].append(f["rule_id"])
    return dict(marks)


def focus_set(doc: FlowDocument, query: str) -> set[str]:
    """Ids of the entities and flows on paths that reach (or leave) the entity ``query``."""
    targets = resolve(doc, query)
    into: dict[str, list[Flow]] = defaultdict(list)
    outof: dict[str, list[Flow]] = defaultdict(list)
    for fl in doc.flows:
        into[fl.target].append(fl)
        outof[fl.source].append(fl)
    keep: set[str] = set(targets)
    for edges, end in ((into, "source"), (outof, "target")):
        queue = deque(targets)
        seen = set(targets)
        while queue:
            n = queue.popleft()
            for fl in edges.get(n, []):
                keep.add(fl.id)
                nxt = getattr(fl, end)
                keep.add(nxt)
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
    return keep
