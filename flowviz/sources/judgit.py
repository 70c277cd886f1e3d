"""Old-format review sheets (2015–2023) as JUDGIT! publishes them: NDJSON (plain or .gz), one
sheet JSON, or a folder laid out as ``data/YEAR/府省庁/NNNN.json``.

Amounts are 百万円 with fractions; they are read from the JSON text as ``Decimal`` (never float)
and converted to integer yen. Every row keeps where it came from (file, line, sheet id, URL).
The sheets list payees per group (A, B, C…) but never who paid whom: that stays unknown here.

JUDGIT! / 構想日本, CC BY 4.0 (from the Cabinet Secretariat's 行政事業レビューシート database).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

from flowviz import corpnum
from flowviz.exceptions import FlowDataError, Problem
from flowviz.money import to_yen
from flowviz.sources.numbers import AbsurdNumber, exact_number

LICENSE = "CC BY 4.0 (JUDGIT! / 構想日本)"
BUDGET_FIELDS = {
    "当初予算": "initial",
    "補正予算": "supplementary",
    "前年度から繰越し": "carried_in",
    "翌年度へ繰越し": "carried_over",
    "予備費等": "reserve",
    "予算計": "total",
    "執行額": "executed",
    "要求額": "request",
}


@dataclass
class Sheet:
    """One old-format sheet, flattened into rows for the store (amounts in integer yen)."""

    key: str
    year: int
    judgit_id: int | None
    project_uid: int | None
    number: str
    ministry: str
    bureau: str
    division: str
    name: str
    start_year: int | None
    end_year: int | None
    url: str
    file: str
    line: int
    budgets: list[dict[str, Any]] = field(default_factory=list)
    payees: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    adjustments: list[dict[str, Any]] = field(default_factory=list)


def sheet_key(year: int, ministry: str, number: str) -> str:
    """The store's key of a sheet: publication year, ministry and the year's sheet number."""
    return f"{year}:{ministry}:{number}"


def is_judgit_path(path: Path) -> bool:
    """NDJSON files, sheet JSON files and folders are old-format sheets; CSV/ZIP are RS files."""
    name = path.name.lower()
    return path.is_dir() or name.endswith((".ndjson", ".ndjson.gz", ".jsonl", ".json"))


def read_sheets(path: str | Path) -> Iterator[Sheet]:
    """Every sheet in an NDJSON file (plain or .gz), a sheet JSON file, or a folder of them."""
    p = Path(path)
    if not p.exists():
        raise FlowDataError(Problem(str(p), "", "no such file or folder"))
    if p.is_dir():
        files = sorted(f for f in p.rglob("*.json") if f.is_file())
        if not files:
            raise FlowDataError(
                Problem(str(p), "", "no sheet JSON files (NNNN.json) in this folder")
            )
        for f in files:
            yield _sheet(_load(f.read_bytes(), str(f), 1), str(f), 1)
        return
    if p.name.lower().endswith(".json"):
        yield _sheet(_load(p.read_bytes(), str(p), 1), str(p), 1)
        return
    opener = gzip.open if p.name.lower().endswith(".gz") else open
    try:
        with opener(p, "rb") as f:
            for n, raw in enumerate(f, 1):
                if raw.strip():
                    yield _sheet(_load(raw, str(p), n), str(p), n)
    except (OSError, EOFError) as exc:  # a truncated or corrupt gzip stream
        raise FlowDataError(Problem(str(p), "", f"cannot read: {exc}")) from None


def _load(raw: bytes, file: str, line: int) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_float=exact_number)
    except UnicodeDecodeError as exc:
        raise FlowDataError(
            Problem(file, f"line {line}", f"not UTF-8 text: {exc.reason}")
        ) from None
    except AbsurdNumber as exc:
        raise FlowDataError(Problem(file, f"line {line}", str(exc))) from None
    except json.JSONDecodeError as exc:
        raise FlowDataError(
            Problem(file, f"line {line}", f"not JSON: {exc.msg} at column {exc.colno}")
        ) from None
    if not isinstance(data, dict) or "公開年度" not in data or "事業番号" not in data:
        raise FlowDataError(
            Problem(
                file,
                f"line {line}",
                "expected a JUDGIT! sheet (an object with 公開年度 and 事業番号)",
            )
        )
    return data


#: how far from a whole yen a published figure may be and still be a float artifact of the
#: upstream database (4.300000000000001百万円, 4642.215999999999百万円: 1,460 such values)
ARTIFACT_YEN = Decimal("0.001")


def _yen(value: Any, file: str, where: str, adjustments: list[dict[str, Any]]) -> int | None:
    """百万円 as published (a JSON number read as Decimal) → exact integer yen.

    The store counts in whole yen. A published figure that is not a whole number of yen — a
    binary-float artifact of the upstream database (``4.300000000000001``) or a computed share
    (``8.666666666666666``) — is taken at the nearest yen, and recorded in ``adjustments`` with
    the published text and the reason, so no figure changes silently.
    """
    if value is None:
        return None
    try:
        return to_yen(value, "百万円")
    except ValueError as exc:
        if not (isinstance(value, Decimal) and value.is_finite()):
            raise FlowDataError(Problem(file, where, str(exc))) from None
        exact = value * 1_000_000
        nearest = int(exact.to_integral_value(ROUND_HALF_EVEN))
        artifact = abs(exact - nearest) < ARTIFACT_YEN
        adjustments.append(
            {
                "place": where,
                "published": format(value, "f"),
                "yen": nearest,
                "reason": "float artifact (under 0.001円 from a whole yen)"
                if artifact
                else "fraction of a yen as published",
            }
        )
        return nearest


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _sheet(d: dict[str, Any], file: str, line: int) -> Sheet:
    year, ministry, number = d["公開年度"], str(d.get("府省庁") or ""), str(d["事業番号"] or "")
    where = f"line {line}" if line > 1 or file.endswith(("ndjson", "gz", "jsonl")) else "$"
    s = Sheet(
        key=sheet_key(year, ministry, number),
        year=year,
        judgit_id=_int(d.get("ID")),
        project_uid=_int(d.get("事業ID")),
        number=number,
        ministry=ministry,
        bureau=str(d.get("担当部局庁") or ""),
        division=str(d.get("担当課室") or ""),
        name=str(d.get("事業名") or ""),
        start_year=_int(d.get("開始年度")),
        end_year=_int(d.get("終了年度")),
        url=str(d.get("url") or ""),
        file=file,
        line=line,
    )
    for i, b in enumerate(d.get("予算") or []):
        row = {"budget_year": _int(b.get("年度"))}
        for ja, col in BUDGET_FIELDS.items():
            row[col] = _yen(b.get(ja), file, f"{where}, 予算[{i}].{ja}", s.adjustments)
        s.budgets.append(row)
    for i, p in enumerate(d.get("支出先") or []):
        number_ = corpnum.normalise(p["法人番号"]) if p.get("法人番号") else None
        amount = p.get("支出額")
        s.payees.append(
            {
                "flow_year": _int(p.get("年度")),
                "grp": str(p.get("グループ") or ""),
                "rank": _int(p.get("番号")),
                "payee": str(p.get("支出先名") or ""),
                "corporate_number": number_,
                "summary": str(p.get("業務概要") or ""),
                "amount": _yen(amount, file, f"{where}, 支出先[{i}].支出額", s.adjustments),
                "amount_text": None if amount is None else format(amount, "f"),
            }
        )
    for link in d.get("関連する過去のレビューシート") or []:
        past = link.get("事業番号2") or link.get("事業番号1") or link.get("事業番号3")
        if link.get("年度") and past:
            s.links.append(
                {
                    "past_year": link["年度"],
                    "past_ministry": link.get("府省庁") or ministry,
                    "past_number": past,
                }
            )
    return s
