"""Every FY2024 contract as OCDS: the package validates against the vendored OCDS 1.1.5 schemas
with the Subcontracting extension; Open Contracting's Cardinal (``ocdscardinal``) reads it; and
its single-bid flag R018 agrees with flowviz's FV002 contract by contract, every difference being
one of definition (docs/ocds.md). Skipped without ``../shared/data/rs2024``."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from flowviz.analysis.flags import flags
from flowviz.render.ocds import DEFAULT_OCID_PREFIX, ocds_export
from flowviz.store.db import connect
from flowviz.store.rs_document import document_from_store

from .ocds_schema import errors
from .rs.test_fy2024_truth import RS2024, P, published
from .store.test_questions_real import store  # noqa: F401  (the FY2024 store fixture)

pytestmark = pytest.mark.skipif(not RS2024.is_dir(), reason="../shared/data/rs2024 not present")
#: R018's default competitive methods (cardinal-rs src/indicators/r018.rs, 0.0.8)
CARDINAL_DEFAULT = "open|selective"
#: FV002 contracts that R018 leaves out, by OCDS method and 契約方式等: all non-competitive or
#: without a procurement method, where one tenderer is no sign of suppressed competition
NOT_COMPETITIVE_IN_OCDS = {
    ("direct", "随意契約（その他）"): 90,
    ("direct", "随意契約（不落・不調）"): 7,
    ("limited", "指名競争契約（最低価格）"): 6,
    ("limited", "指名競争契約（総合評価）"): 3,
    ("limited", "随意契約（少額）"): 2,
    (None, "その他"): 8,  # the 9th, 米海軍省 at 169兆円, is a suspect figure (FV011)
    (None, ""): 4,
    (None, "補助金等交付"): 2,
}


@pytest.fixture(scope="module")
def text(store: Path) -> str:  # noqa: F811
    return ocds_export(store)[0]


@pytest.fixture(scope="module")
def package(text: str) -> dict[str, Any]:
    return json.loads(text, parse_float=Decimal)


@pytest.fixture(scope="module")
def lines(text: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The releases one per line, as Cardinal reads them (each one the whole contracting
    process, so each is its own compiled release); numbers written back as the package has them."""
    path = tmp_path_factory.mktemp("cardinal") / "releases.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for r in json.loads(text)["releases"]:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def test_every_fy2024_contract_is_a_release_and_the_package_validates(package: dict[str, Any]):
    contracts = [r for r in published("5-4") if r[f"契約先名{P}"] or r[f"契約額{P}"].strip()]
    assert len(package["releases"]) == len(contracts) > 4000
    assert errors(package) == []
    amounts = [
        a["value"]["amount"] for r in package["releases"] for a in r["awards"] if "value" in a
    ]
    assert all(type(a) is int for a in amounts)
    with_sub = [r for r in package["releases"] if "subcontracting" in r["awards"][0]]
    assert len(with_sub) > 200
    assert package["extensions"] == [
        "https://raw.githubusercontent.com/open-contracting-extensions/"
        "ocds_subcontracting_extension/master/extension.json"
    ]


def test_cardinal_reads_every_release(package: dict[str, Any], lines: Path):
    ocdscardinal = pytest.importorskip("ocdscardinal")
    seen = ocdscardinal.coverage(str(lines))
    n = len(package["releases"])
    assert seen[""] == seen["/ocid"] == seen["/tender/"] == n
    tenderers = sum("numberOfTenderers" in r["tender"] for r in package["releases"])
    methods = sum("procurementMethod" in r["tender"] for r in package["releases"])
    assert seen["/tender/numberOfTenderers"] == tenderers
    assert seen["/tender/procurementMethod"] == methods


def fv002(store: Path, package: dict[str, Any]) -> tuple[set[str], set[str]]:  # noqa: F811
    """The ocids of the contracts flowviz's own rules flag FV002, and of those whose figures are
    suspect (FV011: judged by no other rule), from each project's document."""
    out: set[str] = set()
    suspect: set[str] = set()
    con = connect(store)
    try:
        ids = sorted({r["planning"]["budget"]["projectID"] for r in package["releases"]})
        for pid in ids:
            doc = document_from_store(con, 2024, pid)
            for cid in doc.suspects:
                if cid.startswith(("5-4:", "5-1:")):
                    kind, line = cid.split(":")
                    suspect.add(f"{DEFAULT_OCID_PREFIX}-rs2024-{pid}-{kind}-{line}")
            for f in flags(doc):
                if f["rule_id"] == "FV002":
                    kind, line = f["contract_id"].split(":")
                    out.add(f"{DEFAULT_OCID_PREFIX}-rs2024-{pid}-{kind}-{line}")
    finally:
        con.close()
    return out, suspect


def r018(lines: Path, methods: str, tmp: Path) -> set[str]:
    """R018's flagged ocids: Cardinal's own ``indicators`` command where its binary is on PATH;
    else its rule as cardinal-rs 0.0.8 states it (r018.rs, and lib.rs's filters), because the
    ``ocdscardinal`` wheel on PyPI exposes only ``coverage`` to Python."""
    exe = shutil.which("ocdscardinal")
    if exe:
        settings = tmp / "settings.ini"
        settings.write_text(f"[R018]\nprocurement_methods = {methods}\n", "utf-8")
        cmd = [exe, "indicators", "--settings", str(settings), "--no-meta", str(lines)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=300)
        results = json.loads(done.stdout).get("OCID", {})
        return {ocid for ocid, flagged in results.items() if "R018" in flagged}
    wanted = set(methods.split("|"))
    out = set()
    with lines.open(encoding="utf-8") as f:
        for line in f:
            release = json.loads(line)
            tender = release.get("tender") or {}
            n = tender.get("numberOfTenderers")
            if (
                tender.get("status") != "cancelled"
                and tender.get("procurementMethod") in wanted
                and type(n) is int
                and n == 1
            ):
                out.add(release["ocid"])
    return out


def test_r018_agrees_with_fv002_contract_by_contract(
    store: Path,  # noqa: F811
    package: dict[str, Any],
    lines: Path,
    tmp_path: Path,
):
    (ours, suspect), theirs = fv002(store, package), r018(lines, CARDINAL_DEFAULT, tmp_path)
    # a suspect figure (FV011) is judged by no other flowviz rule; Cardinal reads it as published
    theirs -= suspect
    assert theirs and theirs <= ours  # R018 flags nothing FV002 does not
    tender = {r["ocid"]: r["tender"] for r in package["releases"]}

    def why(ocid: str) -> tuple[str | None, str]:
        t = tender[ocid]
        return t.get("procurementMethod"), t.get("procurementMethodDetails", "").split("／")[0]

    assert Counter(why(o) for o in ours - theirs) == NOT_COMPETITIVE_IN_OCDS
    # with every OCDS method counted as competitive, only contracts without one still differ
    every = r018(lines, "open|selective|limited|direct", tmp_path) - suspect
    assert {why(o) for o in ours - every} == {k for k in NOT_COMPETITIVE_IN_OCDS if k[0] is None}
    assert (len(ours), len(theirs)) == (1079, 957)
