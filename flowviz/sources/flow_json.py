"""Read the flowviz JSON input format v1 into the model, with exact amounts.

Numbers are parsed as ``int``/``Decimal`` (never float). Every problem is
reported with the file and the JSON path of the offending value, and all of
them are collected before raising, so one run of ``flowviz validate`` lists
everything that needs fixing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flowviz.exceptions import FlowDataError, Problem
from flowviz.model import (
    FlowDocument,
)
from flowviz.money import UNITS, canonical_unit
from flowviz.sources.flow_json_sections import _budget, _contracts, _entities, _flows, _project
from flowviz.sources.json_walk import _kind, _Reader, _reject_constant
from flowviz.sources.numbers import AbsurdNumber, exact_number, line_of
from flowviz.sources.store_inputs import file_advice, sheet_advice

FORMAT_VERSION = 1


class DuplicateKey(ValueError):
    def __init__(self, key: str):
        self.key = key
        super().__init__(
            f"duplicate key {key!r} in one object; keep one (JSON keeps only the last)"
        )


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise DuplicateKey(k)
        out[k] = v
    return out


def _line_of_second(text: str, key: str) -> str:
    """Where the repeated key stands (its second occurrence), for the error message."""
    quoted = json.dumps(key, ensure_ascii=False)
    first = text.find(quoted)
    second = text.find(quoted, first + 1) if first >= 0 else -1
    return f"line {text.count(chr(10), 0, second) + 1}" if second >= 0 else "$"


def parse_json_text(text: str, file: str) -> Any:
    """Parse JSON exactly (Decimal for fractions), with a one-line error naming the place."""
    if not text.strip():
        raise FlowDataError(Problem(file, "$", "the file is empty; expected a JSON object"))
    try:
        return json.loads(
            text,
            parse_float=exact_number,
            parse_constant=_reject_constant,
            object_pairs_hook=_no_duplicates,
        )
    except DuplicateKey as exc:
        raise FlowDataError(Problem(file, _line_of_second(text, exc.key), str(exc))) from None
    except AbsurdNumber as exc:
        raise FlowDataError(Problem(file, line_of(text, exc.literal), str(exc))) from None
    except json.JSONDecodeError as exc:
        raise FlowDataError(
            Problem(file, f"line {exc.lineno} column {exc.colno}", f"invalid JSON: {exc.msg}")
        ) from None
    except ValueError as exc:
        raise FlowDataError(Problem(file, "$", f"invalid JSON: {exc}")) from None


#: a flow file's bound (a million flows take ~180 MB): beyond it the input is refused before it
#: exhausts memory, and endless standard input stops here
MAX_INPUT_BYTES = 1 << 30


def _stdin_bytes() -> bytes:
    import sys

    return sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)


def read_bytes(path: str | Path) -> tuple[str, str]:
    """Read a file as UTF-8 text (a BOM is accepted), naming it in any error."""
    p = Path(path)
    try:
        if str(p) == "-":
            raw = _stdin_bytes()
        else:
            with p.open("rb") as f:
                raw = f.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise FlowDataError(Problem(str(p), "", "no such file")) from None
    except IsADirectoryError:
        raise FlowDataError(Problem(str(p), "", "is a directory, expected a JSON file")) from None
    except OSError as exc:
        raise FlowDataError(Problem(str(p), "", f"cannot read: {exc.strerror}")) from None
    if len(raw) > MAX_INPUT_BYTES:
        raise FlowDataError(
            Problem(
                str(p),
                "",
                f"larger than {MAX_INPUT_BYTES >> 20:,} MiB; not read (split the data"
                " or import RS files into the store)",
            )
        )
    advice = file_advice(raw, str(p))
    if advice:
        raise FlowDataError(Problem(str(p), "", advice))
    try:
        return raw.decode("utf-8-sig"), "<stdin>" if str(p) == "-" else str(p)
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
    data = parse_json_text(text, name)
    del text  # the parsed data and the model are enough; the text would double the peak
    advice = sheet_advice(data, name)
    if advice:
        raise FlowDataError(Problem(name, "", advice))
    return document_from_data(data, name, consume=True)


def document_from_data(
    data: Any, file: str = "<data>", *, strict: bool = True, consume: bool = False
) -> FlowDocument:
    """Build a document from parsed JSON data.

    With ``strict`` (the default) any error raises :class:`FlowDataError`;
    warnings are kept in ``document.extra['warnings']``.
    """
    from flowviz.checks import semantic_problems  # the base: no circle

    r = _Reader(file, consume)  # consume: entities and flows are emptied from ``data`` as read
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
        findings=tuple(str(x) for x in root.get("findings") or () if isinstance(x, str)),
        file=r.file,
        partial=bool(root.get("partial", False)),
        partial_reason=str(root.get("partial_reason", "") or ""),
        extra={"review": root.get("review")} if root.get("review") else {},
    )


def validate_file(path: str | Path) -> list[Problem]:
    """All problems of one input file (errors and warnings); never raises on bad data."""
    try:
        text, name = read_bytes(path)
        data = parse_json_text(text, name)
        del text
        if sheet_advice(data, name):
            return [Problem(name, "", sheet_advice(data, name))]
        doc = document_from_data(data, name, strict=False, consume=True)
    except FlowDataError as exc:
        return exc.problems
    return list(doc.extra.get("problems", []))
