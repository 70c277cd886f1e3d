"""Read the flowviz JSON input format v1 into the model, with exact amounts.

Numbers are parsed as ``int``/``Decimal`` (never float). Every problem is
reported with the file and the JSON path of the offending value, and all of
them are collected before raising, so one run of ``flowviz validate`` lists
everything that needs fixing.
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from flowviz import corpnum
from flowviz.exceptions import FlowDataError, Problem
from flowviz.model import (
    ENTITY_KINDS,
    BreakdownLine,
    Budget,
    BudgetItem,
    BudgetYear,
    Contract,
    ContractRecord,
    Entity,
    Flow,
    FlowDocument,
    Project,
    Source,
)
from flowviz.money import UNITS, canonical_unit, to_yen

FORMAT_VERSION = 1


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows; write the amount as digits")


class _Reader:
    """Walks the parsed JSON, converting values and collecting problems."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def error(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, message))

    def warn(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, message, "warning"))

    # -- typed getters -------------------------------------------------
    def obj(self, value: Any, where: str, fields: tuple[str, ...] = ()) -> dict[str, Any]:
        """``value`` as an object; with ``fields`` (a path into the published schema),
        unknown keys are reported as warnings so typos do not pass silently."""
        if not isinstance(value, dict):
            self.error(where, f"expected an object, found {_kind(value)}")
            return {}
        if fields:
            known = _schema_keys(fields)
            for key in value:
                if key not in known:
                    self.warn(
                        f"{where}.{key}",
                        f"unknown field {key!r} ignored; expected one of {', '.join(sorted(known))}",
                    )
        return value

    def text(self, d: dict[str, Any], key: str, where: str, required: bool = False) -> str:
        v = d.get(key)
        if v is None:
            if required:
                self.error(f"{where}.{key}", "missing required text")
            return ""
        if isinstance(v, (int, Decimal)) and not isinstance(v, bool):
            return str(v)
        if not isinstance(v, str):
            self.error(f"{where}.{key}", f"expected text, found {_kind(v)}")
            return ""
        if required and not v.strip():
            self.error(f"{where}.{key}", "expected non-empty text, found an empty string")
        return v

    def texts(self, d: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        v = d.get(key)
        if v is None:
            return ()
        if isinstance(v, str):
            return (v,)
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            self.error(f"{where}.{key}", f"expected a list of texts, found {_kind(v)}")
            return ()
        return tuple(v)

    def integer(self, d: dict[str, Any], key: str, where: str) -> int | None:
        v = d.get(key)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int):
            if isinstance(v, Decimal) and v == v.to_integral_value():
                return int(v)
            self.error(f"{where}.{key}", f"expected a whole number, found {_kind(v)} {v!r}")
            return None
        return v

    def decimal(self, d: dict[str, Any], key: str, where: str) -> Decimal | None:
        v = d.get(key)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, Decimal)):
            self.error(f"{where}.{key}", f"expected a number, found {_kind(v)} {v!r}")
            return None
        return Decimal(v)

    def amount(
        self, d: dict[str, Any], key: str, where: str, unit: str, required: bool = False
    ) -> int | None:
        if key not in d or d[key] is None:
            if required:
                self.error(f"{where}.{key}", f"missing required amount (a number in {unit})")
            return None
        try:
            return to_yen(d[key], unit)
        except ValueError as exc:
            self.error(f"{where}.{key}", str(exc))
            return None


@functools.cache
def _schema_keys(path: tuple[str, ...]) -> frozenset[str]:
    """Property names at ``path`` in the published JSON Schema (one source of truth)."""
    from flowviz.sources.schema import schema

    node = schema()
    for step in path:
        if step != "$":  # "$" is the document root
            node = node["items"] if step == "[]" else node["properties"][step]
    return frozenset(node.get("properties", {}))


def _kind(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, (int, Decimal)):
        return "a number"
    if isinstance(v, str):
        return "text"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "an object"
    return type(v).__name__


def parse_json_text(text: str, file: str) -> Any:
    """Parse JSON exactly (Decimal for fractions), with a one-line error naming the place."""
    if not text.strip():
        raise FlowDataError(Problem(file, "$", "the file is empty; expected a JSON object"))
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise FlowDataError(
            Problem(file, f"line {exc.lineno} column {exc.colno}", f"invalid JSON: {exc.msg}")
        ) from None
    except ValueError as exc:
        raise FlowDataError(Problem(file, "$", f"invalid JSON: {exc}")) from None


def read_bytes(path: str | Path) -> tuple[str, str]:
    """Read a file as UTF-8 text (a BOM is accepted), naming it in any error."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise FlowDataError(Problem(str(p), "", "no such file")) from None
    except IsADirectoryError:
        raise FlowDataError(Problem(str(p), "", "is a directory, expected a JSON file")) from None
    except OSError as exc:
        raise FlowDataError(Problem(str(p), "", f"cannot read: {exc.strerror}")) from None
    try:
        return raw.decode("utf-8-sig"), str(p)
    except UnicodeDecodeError as exc:
        raise FlowDataError(
            Problem(
                str(p),
                f"byte {exc.start}",
                "not UTF-8 text (Shift_JIS/cp932?); convert it with"
                " `iconv -f cp932 -t utf-8` and try again",
            )
        ) from None


def read_json(path: str | Path) -> FlowDocument:
    """Read and validate a v1 JSON file; raise :class:`FlowDataError` listing every error."""
    text, name = read_bytes(path)
    return document_from_data(parse_json_text(text, name), name)


def document_from_data(data: Any, file: str = "<data>", *, strict: bool = True) -> FlowDocument:
    """Build a document from parsed JSON data.

    With ``strict`` (the default) any error raises :class:`FlowDataError`;
    warnings are kept in ``document.extra['warnings']``.
    """
    from flowviz.checks import semantic_problems  # the base: no circle

    r = _Reader(file)
    doc = _build(r, data)
    problems = r.problems
    if doc is not None:
        problems = problems + semantic_problems(doc)
    errors = [p for p in problems if p.severity == "error"]
    if errors and strict:
        raise FlowDataError(problems)
    if doc is None:
        raise FlowDataError(problems)
    doc.extra["problems"] = problems
    return doc


def _build(r: _Reader, data: Any) -> FlowDocument | None:
    root = r.obj(data, "$", ("$",))
    if not root:
        if isinstance(data, dict):
            r.error("$", "expected an object with project, unit, entities and flows; found {}")
        return None
    version = root.get("flowviz", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        r.error("$.flowviz", f"unknown format version {version!r}; this flowviz reads version 1")
    unit_raw = root.get("unit")
    if unit_raw is None:
        r.error("$.unit", f"missing unit; expected one of {', '.join(UNITS)}")
        unit = "円"
    elif not isinstance(unit_raw, str):
        r.error("$.unit", f"expected text, one of {', '.join(UNITS)}; found {_kind(unit_raw)}")
        unit = "円"
    else:
        try:
            unit = canonical_unit(unit_raw)
        except KeyError:
            r.error("$.unit", f"unknown unit {unit_raw!r}; expected one of {', '.join(UNITS)}")
            unit = "円"

    project = _project(r, root.get("project"), "$.project")
    budget = _budget(r, root.get("budget"), "$.budget", unit)
    entities = _entities(r, root.get("entities"), "$.entities", unit)
    flows = _flows(r, root.get("flows"), "$.flows", unit, project)
    contracts = _contracts(r, root.get("contracts"), "$.contracts", unit)
    if project is None:
        return None
    return FlowDocument(
        project=project,
        entities=tuple(entities),
        flows=tuple(flows),
        unit=unit,
        budget=budget,
        contracts=tuple(contracts),
        file=r.file,
        partial=bool(root.get("partial", False)),
        partial_reason=str(root.get("partial_reason", "") or ""),
        extra={"review": root.get("review")} if root.get("review") else {},
    )


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


_BUDGET_FIELDS = (
    "initial",
    "supplementary",
    "carried_in",
    "carried_over",
    "reserve",
    "total",
    "executed",
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
        amounts = {k: r.amount(y, k, w, unit) for k in _BUDGET_FIELDS}
        years.append(
            BudgetYear(
                year=year,
                label=r.text(y, "label", w),
                execution_rate_pct=r.decimal(y, "execution_rate_pct", w),
                request=bool(y.get("request", False)),
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


def _entities(r: _Reader, value: Any, where: str, unit: str) -> list[Entity]:
    if value is None:
        r.error(where, "missing entities; expected a list of organisations")
        return []
    if not isinstance(value, list):
        r.error(where, f"expected a list of entities, found {_kind(value)}")
        return []
    out: list[Entity] = []
    for i, item in enumerate(value):
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
                id=r.text(d, "id", w, required=True),
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
        lines: list[BreakdownLine] = []
        bd = d.get("breakdown", [])
        if not isinstance(bd, list):
            r.error(f"{w}.breakdown", f"expected a list, found {_kind(bd)}")
            bd = []
        for j, line in enumerate(bd):
            lw = f"{w}.breakdown[{j}]"
            ld = r.obj(line, lw, ("flows", "[]", "breakdown", "[]"))
            yen = r.amount(ld, "amount", lw, unit, required=True)
            lines.append(
                BreakdownLine(
                    expense_item=r.text(ld, "expense_item", lw),
                    purpose=r.text(ld, "purpose", lw),
                    amount_yen=yen or 0,
                )
            )
        year = r.integer(d, "year", w)
        out.append(
            Flow(
                id=r.text(d, "id", w) or f"f{i + 1}",
                source=r.text(d, "source", w, required=True),
                target=r.text(d, "target", w, required=True),
                amount_yen=amount,
                year=year if year is not None else default_year,
                expense_item=r.text(d, "expense_item", w),
                purpose=r.text(d, "purpose", w),
                link_type=r.text(d, "link_type", w),
                contract=contract,
                breakdown=tuple(lines),
                note=r.text(d, "note", w),
                route_published=d.get("route_published", True) is not False,
            )
        )
    return out


def _terms(r: _Reader, c: dict[str, Any], cw: str) -> Contract:
    contract = Contract(
        method=r.text(c, "method", cw),
        method_detail=r.text(c, "method_detail", cw),
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


def validate_file(path: str | Path) -> list[Problem]:
    """All problems of one input file (errors and warnings); never raises on bad data."""
    try:
        text, name = read_bytes(path)
        data = parse_json_text(text, name)
        doc = document_from_data(data, name, strict=False)
    except FlowDataError as exc:
        return exc.problems
    return list(doc.extra.get("problems", []))
