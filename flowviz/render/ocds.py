"""Contracts as an OCDS 1.1 release package (``flowviz export --format ocds``), so procurement
tools built for the Open Contracting Data Standard — Cardinal's red flags, the OCDS Data Review
Tool — read Japanese review sheets. One release per published contract; the mapping and what it
cannot say are in docs/ocds.md.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from flowviz import corpnum
from flowviz.exceptions import OptionError
from flowviz.money import parse_rate
from flowviz.names import is_generic
from flowviz.store.ocds_rows import OcdsRows, ocds_rows

#: an ocid prefix must be registered with Open Contracting; this one says that it is not
DEFAULT_OCID_PREFIX = "unofficial-flowviz"
SUBCONTRACTING = (
    "https://raw.githubusercontent.com/open-contracting-extensions/"
    "ocds_subcontracting_extension/master/extension.json"
)
PUBLISHER = "flowviz (from the RS system's open data, 行政事業レビュー見える化サイト)"
LICENSE = "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0"
#: 契約方式等 → tender.procurementMethod, first match wins (docs/ocds.md says why)
METHODS: tuple[tuple[str, str, str], ...] = (
    ("一般競争", "", "open"),
    ("指名競争", "", "limited"),
    ("随意契約", "企画競争", "open"),
    ("随意契約", "公募", "open"),
    ("随意契約", "少額", "limited"),
    ("随意契約", "", "direct"),
)
#: methods under which 入札者数 0 and 落札率 0 mean "not applicable", as flowviz reads them
_FREE = ("随意契約", "補助")


def procurement_method(method: str) -> str | None:
    """The OCDS method code for a published 契約方式等; None where it is not a procurement
    method (補助金等交付, その他) or not published."""
    m = unicodedata.normalize("NFKC", method).replace(" ", "")
    for prefix, word, code in METHODS:
        if m.startswith(prefix) and word in m:
            return code
    return None


def ocid_of(prefix: str, row: dict[str, Any]) -> str:
    """Stable: the sheet year, the project (予算事業ID), the file and its CSV line."""
    return f"{prefix}-rs{row['year']}-{row['project_id']}-{row['kind']}-{row['line']}"


def release_package(rows: OcdsRows, prefix: str = DEFAULT_OCID_PREFIX) -> dict[str, Any]:
    """A release package of every contract in ``rows``; amounts are integer yen."""
    date = _date(rows.imported_at)
    releases = [_release(r, rows, prefix, date) for r in rows.contracts]
    package: dict[str, Any] = {
        "uri": _package_uri(rows),
        "version": "1.1",
        "publisher": {"name": PUBLISHER},
        "license": LICENSE,
    }
    if any("subcontracting" in a for r in releases for a in r.get("awards", [])):
        package["extensions"] = [SUBCONTRACTING]
    package["releases"] = releases
    package["publishedDate"] = date  # last: the one line that changes with each import
    return package


def _date(imported_at: str) -> str:
    return imported_at or "1970-01-01T00:00:00+00:00"


def _package_uri(rows: OcdsRows) -> str:
    ids = sorted({r["project_id"] for r in rows.contracts})
    ministries = sorted({r["ministry"] or "" for r in rows.contracts})
    what = (
        f"project:{','.join(ids)}"
        if len(ids) <= 5
        else f"ministry:{ministries[0]}"
        if len(ministries) == 1
        else "year"
    )
    return f"urn:x-flowviz:rs{rows.year}:contracts:{quote(what, safe=':,')}"


def _release(row: dict[str, Any], rows: OcdsRows, prefix: str, date: str) -> dict[str, Any]:
    ocid = ocid_of(prefix, row)
    buyer = {"id": f"JP-MINISTRY-{row['ministry'] or '不明'}", "name": row["ministry"] or "不明"}
    supplier, supplier_party = _supplier(row)
    parties = [{**buyer, "roles": ["buyer"]}, supplier_party]
    award = _award(row, supplier)
    sub = _subcontracting(row, rows)
    if sub is not None:
        subcontracting, subcontractors = sub
        award["hasSubcontracting"] = True
        award["subcontracting"] = subcontracting
        parties = _merge_parties(parties + subcontractors)
    release: dict[str, Any] = {
        "ocid": ocid,
        "id": f"rs{row['year']}-{row['kind']}-{row['line']}",
        "tag": ["award", "contract"],
        "initiationType": "tender",
        "language": "ja",
        "parties": parties,
        "buyer": buyer,
        "planning": {"budget": _budget(row)},
        "tender": _tender(row),
        "awards": [award],
        "contracts": [_contract(row)],
    }
    release["date"] = date
    return release


def _budget(row: dict[str, Any]) -> dict[str, Any]:
    return _clean(
        {
            "projectID": str(row["project_id"]),
            "project": row["project"],
            "description": f"RS {row['kind']} line {row['line']}"
            + (f", block {row['block']}" if row["block"] else ""),
        }
    )


def _tender(row: dict[str, Any]) -> dict[str, Any]:
    method, detail = row["method"] or "", row["method_detail"] or ""
    tender: dict[str, Any] = {"id": "1"}
    code = procurement_method(method)
    if code:
        tender["procurementMethod"] = code
    details = "／".join(t for t in (method, detail) if t)
    if details:
        tender["procurementMethodDetails"] = details
    if row["reason"]:
        tender["procurementMethodRationale"] = row["reason"]
    bidders = number_of_tenderers(method, row["bidders"])
    if bidders is not None:
        tender["numberOfTenderers"] = bidders
    return tender


def number_of_tenderers(method: str, bidders: int | None) -> int | None:
    """入札者数 as published, except the 0 the sheet gives 随意契約 and grants (not applicable),
    exactly as flowviz's own contract terms read it (so FV002 and OCDS see one number)."""
    free = method.startswith(_FREE)
    return None if bidders in (None, 0) and free else bidders


def award_rate(method: str, rate: Any) -> Decimal | None:
    """落札率 as published; the 0 of 随意契約 and grants means none."""
    r = parse_rate(rate)
    return None if r is None or (r == 0 and method.startswith(_FREE)) else r


def _supplier(row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    ref, party = _organisation(row["payee"] or "（契約先名なし）", row["corporate_number"])
    if row.get("location"):
        party["address"] = {"streetAddress": row["location"], "countryName": "日本"}
    party["roles"] = ["supplier"]
    return ref, party


def _organisation(name: str, number: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """A reference and a party: the id and identifier from a valid 法人番号 (JP-JCN), else the
    name (9999999999999 stands for individuals and is no identifier)."""
    if number and corpnum.is_valid(number):
        ident = {"scheme": "JP-JCN", "id": number, "legalName": name}
        return {"id": f"JP-JCN-{number}", "name": name}, {
            "id": f"JP-JCN-{number}",
            "name": name,
            "identifier": ident,
        }
    return {"id": f"name:{name}", "name": name}, {"id": f"name:{name}", "name": name}


def _award(row: dict[str, Any], supplier: dict[str, Any]) -> dict[str, Any]:
    award: dict[str, Any] = {"id": "1"}
    if row["contract_summary"]:
        award["title"] = row["contract_summary"]
    award["status"], award["suppliers"] = "active", [supplier]
    if row["amount"] is not None:
        award["value"] = {"amount": int(row["amount"]), "currency": "JPY"}
    rate = award_rate(row["method"] or "", row["award_rate"])
    if rate is not None:
        award["awardRatePercent"] = rate
    return award


def _contract(row: dict[str, Any]) -> dict[str, Any]:
    contract: dict[str, Any] = {"id": "1", "awardID": "1"}
    if row["contract_summary"]:
        contract["title"] = row["contract_summary"]
    if row["amount"] is not None:
        contract["value"] = {"amount": int(row["amount"]), "currency": "JPY"}
    return contract


def _subcontracting(
    row: dict[str, Any], rows: OcdsRows
) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """Where 5-2 links the contractor's block onward (再委託 and the like): the blocks it reaches
    and the organisations named in them. 5-2 links blocks, not payees, so every contractor of
    a block with several is given its block's links."""
    key = (row["project_id"], row["block"] or "")
    links = rows.onward.get(key) if row["block"] else None
    if not links:
        return None
    subcontracts, parties = [], []
    for to_block, _, _ in links:
        named = [(n, c) for n, c in rows.payees.get((key[0], to_block), []) if not is_generic(n)]
        for i, (name, number) in enumerate(named, 1):
            ref, party = _organisation(name, number or None)
            subcontracts.append({"id": f"{to_block}-{i}", "subcontractor": ref})
            parties.append({**party, "roles": ["subcontractor"]})
    described = "; ".join(
        f"{row['block']} → {b}" + (f" {name}" if name else "") + (f"（{kind}）" if kind else "")
        for b, name, kind in links
    )
    out: dict[str, Any] = {"description": f"RS 5-2 block links: {described}"}
    if subcontracts:
        out["subcontracts"] = subcontracts
    return out, parties


def _merge_parties(parties: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One party per id, with every role it plays (a supplier may also be a subcontractor)."""
    out: dict[str, dict[str, Any]] = {}
    for p in parties:
        if p["id"] in out:
            have = out[p["id"]]["roles"]
            have += [r for r in p["roles"] if r not in have]
        else:
            out[p["id"]] = {**p, "roles": list(p["roles"])}
    return list(out.values())


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v not in (None, "")}


def summary(package: dict[str, Any], rows: OcdsRows) -> str:
    """One line on what was written: releases by file, procurement methods, subcontracting."""
    rel = package["releases"]
    kinds = {k: sum(r["id"].split("-", 1)[1].startswith(k) for r in rel) for k in ("5-4", "5-1")}
    methods: dict[str, int] = {}
    for r in rel:
        m = r["tender"].get("procurementMethod", "(none)")
        methods[m] = methods.get(m, 0) + 1
    sub = sum("subcontracting" in a for r in rel for a in r["awards"])
    files = f"5-4: {kinds['5-4']:,}; 5-1: " + (f"{kinds['5-1']:,}" if rows.has_51 else "not loaded")
    by_method = ", ".join(f"{m} {n:,}" for m, n in sorted(methods.items(), key=lambda x: -x[1]))
    return (
        f"{len(rel):,} releases ({files}); procurementMethod: {by_method};"
        f" {sub:,} awards with subcontracting (5-2)"
    )


def ocds_export(
    db: Any,
    year: int | None = None,
    projects: list[str] | None = None,
    ministry: str | None = None,
    prefix: str | None = None,
) -> tuple[str, str]:
    """The release package as JSON text from the store, and its one-line summary."""
    prefix = DEFAULT_OCID_PREFIX if prefix is None else prefix
    from flowviz.render.tables import to_json
    from flowviz.store.db import connect

    if not prefix.strip() or "#" in prefix:
        raise OptionError(f"--ocid-prefix {prefix!r}: give a non-empty prefix without '#'")
    con = connect(db)
    try:
        rows = ocds_rows(con, year, projects, ministry)
    finally:
        con.close()
    package = release_package(rows, prefix.strip())
    return to_json(package), summary(package, rows)
