"""The sections of a v1 document — project, budget, entities, flows, contracts — each read
into the model with every problem placed by its JSON path."""

from __future__ import annotations

from typing import Any

from flowviz import corpnum
from flowviz.model import (
    BUDGET_AMOUNTS,
    ENTITY_KINDS,
    BreakdownLine,
    Budget,
    BudgetItem,
    BudgetYear,
    Contract,
    ContractRecord,
    Entity,
    Flow,
    Project,
    Source,
)
from flowviz.sources.json_walk import _kind, _Reader


def _project(r: _Reader, value: Any, where: str) -> Project | None:
    if value is None:
        r.error(where, "missing project; expected an object with at least id and name")
        return None
    d = r.obj(value, where, ("project",))
    src = r.obj(d.get("source", {}), f"{where}.source", ("project", "source"))
    return Project(
        id=r.text(d, "id", where, required=True),
        name=r.text(d, "name", where, required=True),
        number=r.text(d, "number", where),
        ministry=r.text(d, "ministry", where),
        bureau=r.text(d, "bureau", where),
        division=r.text(d, "division", where),
        sheet_year=r.integer(d, "sheet_year", where),
        flow_year=r.integer(d, "flow_year", where),
        start_year=r.integer(d, "start_year", where),
        end_year=r.integer(d, "end_year", where),
        account=r.text(d, "account", where),
        implementation=r.text(d, "implementation", where),
        legal_basis=r.texts(d, "legal_basis", where),
        policy=r.text(d, "policy", where),
        measure=r.text(d, "measure", where),
        plans=r.texts(d, "plans", where),
        related_projects=r.texts(d, "related_projects", where),
        source=Source(
            document=r.text(src, "document", f"{where}.source"),
            section=r.text(src, "section", f"{where}.source"),
            url=r.text(src, "url", f"{where}.source"),
            license=r.text(src, "license", f"{where}.source"),
        ),
        notes=r.texts(d, "notes", where),
    )


def _budget(r: _Reader, value: Any, where: str, unit: str) -> Budget:
    if value is None:
        return Budget()
    d = r.obj(value, where, ("budget",))
    years: list[BudgetYear] = []
    rows = d.get("years", [])
    if not isinstance(rows, list):
        r.error(f"{where}.years", f"expected a list, found {_kind(rows)}")
        rows = []
    for i, row in enumerate(rows):
        w = f"{where}.years[{i}]"
        y = r.obj(row, w, ("budget", "years", "[]"))
        year = r.integer(y, "year", w)
        if year is None:
            r.error(f"{w}.year", "missing year (a fiscal year such as 2017)")
            continue
        amounts = {k: r.amount(y, k, w, unit) for k in BUDGET_AMOUNTS}
        years.append(
            BudgetYear(
                year=year,
                label=r.text(y, "label", w),
                execution_rate_pct=r.decimal(y, "execution_rate_pct", w),
                request=bool(y.get("request", False)),
                sources=_cell_sources(r, y.get("sources"), f"{w}.sources"),
                **amounts,
            )
        )
    items: list[BudgetItem] = []
    bd = d.get("breakdown", [])
    if not isinstance(bd, list):
        r.error(f"{where}.breakdown", f"expected a list, found {_kind(bd)}")
        bd = []
    for i, row in enumerate(bd):
        w = f"{where}.breakdown[{i}]"
        b = r.obj(row, w, ("budget", "breakdown", "[]"))
        amounts_raw = r.obj(b.get("amounts", {}), f"{w}.amounts")
        pairs: list[tuple[int, int]] = []
        for key in amounts_raw:
            if not str(key).isdigit():
                r.error(f"{w}.amounts", f"expected fiscal years as keys, found {key!r}")
                continue
            yen = r.amount(amounts_raw, key, f"{w}.amounts", unit, required=True)
            if yen is not None:
                pairs.append((int(key), yen))
        items.append(BudgetItem(name=r.text(b, "name", w, required=True), amounts=tuple(pairs)))
    return Budget(
        years=tuple(years),
        breakdown=tuple(items),
        breakdown_note=r.text(d, "breakdown_note", where),
        total_excludes_carry_over=bool(d.get("total_excludes_carry_over", False)),
    )


def _cell_sources(r: _Reader, value: Any, where: str) -> tuple[tuple[str, str], ...]:
    """``{"initial": "citation", …}``: where a figure came from when not from the sheet itself."""
    if value is None:
        return ()
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        r.error(where, "expected an object of field → citation text")
        return ()
    return tuple(sorted(value.items()))


def _entities(r: _Reader, value: Any, where: str, unit: str) -> list[Entity]:
    if value is None:
        r.error(where, "missing entities; expected a list of organisations")
        return []
    if not isinstance(value, list):
        r.error(where, f"expected a list of entities, found {_kind(value)}")
        return []
    out: list[Entity] = []
    for i, item in enumerate(value):
        if r.consume:
            value[i] = None
        w = f"{where}[{i}]"
        d = r.obj(item, w, ("entities", "[]"))
        if not d:
            continue
        kind = r.text(d, "kind", w) or "other"
        if kind not in ENTITY_KINDS:
            r.error(
                f"{w}.kind", f"unknown kind {kind!r}; expected one of {', '.join(ENTITY_KINDS)}"
            )
            kind = "other"
        number = d.get("corporate_number")
        if number is not None:
            if not isinstance(number, str):
                r.error(
                    f"{w}.corporate_number",
                    f"expected the 法人番号 as text of 13 digits, found {_kind(number)}",
                )
                number = None
            else:
                why = corpnum.problem(number)
                if why:
                    r.error(f"{w}.corporate_number", f"invalid 法人番号: {why}")
                else:
                    number = corpnum.normalise(number)
        out.append(
            Entity(
                id=r.same(r.text(d, "id", w, required=True)),
                name=r.text(d, "name", w, required=True),
                kind=kind,
                corporate_number=number or None,
                block=r.text(d, "block", w) or None,
                block_name=r.text(d, "block_name", w),
                role=r.text(d, "role", w),
                location=r.text(d, "location", w),
                payee_count=r.integer(d, "payee_count", w),
                stated_received_yen=r.amount(d, "stated_received", w, unit),
            )
        )
    return out


def _flows(r: _Reader, value: Any, where: str, unit: str, project: Project | None) -> list[Flow]:
    if value is None:
        r.error(where, "missing flows; expected a list (it may be empty)")
        return []
    if not isinstance(value, list):
        r.error(where, f"expected a list of flows, found {_kind(value)}")
        return []
    default_year = project.flow_year if project else None
    out: list[Flow] = []
    for i, item in enumerate(value):
        if r.consume:
            value[i] = None
        w = f"{where}[{i}]"
        d = r.obj(item, w, ("flows", "[]"))
        if not d:
            continue
        if "amount" not in d:
            r.error(
                f"{w}.amount",
                f"missing required amount (a number in {unit}, or null if not published)",
            )
        amount = r.amount(d, "amount", w, unit)
        if amount is not None and amount < 0:
            r.warn(
                f"{w}.amount",
                f"negative amount {d['amount']} {unit}: kept as a deduction or return, drawn"
                " apart from payments",
            )
        c = r.obj(d.get("contract", {}) or {}, f"{w}.contract", ("flows", "[]", "contract"))
        contract = _terms(r, c, f"{w}.contract")
        lines = _breakdown(r, d.get("breakdown", []), w, unit)
        year = r.integer(d, "year", w)
        out.append(
            Flow(
                id=r.text(d, "id", w) or f"f{i + 1}",
                source=r.same(r.text(d, "source", w, required=True)),
                target=r.same(r.text(d, "target", w, required=True)),
                amount_yen=amount,
                year=year if year is not None else default_year,
                expense_item=r.same(r.text(d, "expense_item", w)),
                purpose=r.text(d, "purpose", w),
                link_type=r.same(r.text(d, "link_type", w)),
                contract=contract,
                breakdown=tuple(lines),
                note=r.text(d, "note", w),
                route_published=d.get("route_published", True) is not False,
                amount_is_lower_bound=d.get("amount_is_lower_bound", False) is True,
            )
        )
    return out


def _breakdown(r: _Reader, bd: Any, w: str, unit: str) -> list[BreakdownLine]:
    """The 費目・使途 lines of a flow; amounts may be negative (deductions and returns)."""
    if not isinstance(bd, list):
        r.error(f"{w}.breakdown", f"expected a list, found {_kind(bd)}")
        return []
    lines = []
    for j, line in enumerate(bd):
        lw = f"{w}.breakdown[{j}]"
        ld = r.obj(line, lw, ("flows", "[]", "breakdown", "[]"))
        if "amount" not in ld:
            r.error(f"{lw}.amount", f"missing required amount (a number in {unit}, or null)")
        yen = r.amount(ld, "amount", lw, unit)
        lines.append(
            BreakdownLine(
                expense_item=r.text(ld, "expense_item", lw),
                purpose=r.text(ld, "purpose", lw),
                amount_yen=yen,
            )
        )
    return lines


NO_CONTRACT = Contract()  # frozen: one shared instance for the many flows without terms


def _terms(r: _Reader, c: dict[str, Any], cw: str) -> Contract:
    if not c:
        return NO_CONTRACT
    contract = Contract(
        method=r.same(r.text(c, "method", cw)),
        method_detail=r.same(r.text(c, "method_detail", cw)),
        bidders=r.integer(c, "bidders", cw),
        award_rate_pct=r.decimal(c, "award_rate_pct", cw),
        non_competitive_reason=r.text(c, "non_competitive_reason", cw),
        summary=r.text(c, "summary", cw),
    )
    if contract.bidders is not None and contract.bidders < 0:
        r.error(f"{cw}.bidders", f"expected 0 or more bidders, found {contract.bidders}")
    return contract


def _contracts(r: _Reader, value: Any, where: str, unit: str) -> list[ContractRecord]:
    """Contract records: terms plus a contract value that never enters flow totals."""
    if value is None:
        return []
    if not isinstance(value, list):
        r.error(where, f"expected a list of contracts, found {_kind(value)}")
        return []
    out = []
    for i, item in enumerate(value):
        w = f"{where}[{i}]"
        d = r.obj(item, w, ("contracts", "[]"))
        if not d:
            continue
        out.append(
            ContractRecord(
                id=r.text(d, "id", w, required=True),
                contractor=r.text(d, "contractor", w, required=True),
                terms=_terms(r, d, w),
                amount_yen=r.amount(d, "amount", w, unit),
                block=r.text(d, "block", w) or None,
                flow=r.text(d, "flow", w) or None,
                buyer=r.text(d, "buyer", w) or None,
                origin=r.text(d, "origin", w),
            )
        )
    return out
