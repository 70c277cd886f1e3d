"""``flowviz export --format ocds``: the mapping of 契約方式等, 入札者数 and 落札率, 5-1 contract
rows under the payee named above them, the package valid against the vendored OCDS 1.1.5 schemas
(with the Subcontracting extension), on small stores here and on every FY2024 contract in
tests/test_ocds_real.py."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.cli import app
from flowviz.render.ocds import award_rate, number_of_tenderers, ocds_export, procurement_method
from flowviz.sources.rs_csv import read_files
from flowviz.store.db import import_files
from flowviz.store.ocds_rows import contracts_51

from .conftest import DATA
from .ocds_schema import errors

runner = CliRunner()
RS = DATA / "rs"


@pytest.mark.parametrize(
    ("method", "code"),
    [
        ("一般競争契約（最低価格）", "open"),
        ("一般競争契約（総合評価）", "open"),
        ("指名競争契約（最低価格）", "limited"),
        ("随意契約（企画競争）", "open"),
        ("随意契約（公募）", "open"),
        ("随意契約（少額）", "limited"),
        ("随意契約（その他）", "direct"),
        ("随意契約（不落・不調）", "direct"),
        ("補助金等交付", None),
        ("その他", None),
        ("", None),
    ],
)
def test_every_published_method_maps_as_documented(method: str, code: str | None):
    assert procurement_method(method) == code


def test_zero_bidders_and_zero_rate_of_a_sole_source_award_mean_not_applicable():
    assert number_of_tenderers("随意契約（その他）", 0) is None
    assert number_of_tenderers("一般競争契約（最低価格）", 0) == 0
    assert number_of_tenderers("随意契約（公募）", 1) == 1
    assert award_rate("随意契約（その他）", 0.0) is None
    assert award_rate("一般競争契約（最低価格）", 99.9) == Decimal("99.9")


def test_a_51_contract_row_belongs_to_the_payee_named_above_it():
    base = {"project_id": "1", "block_name": "", "contract_summary": "", "amount": None}
    rows = [
        {**base, "line": 2, "block_name": "A社ほか", "payee": ""},
        {**base, "line": 3, "payee": "A社", "corporate_number": "1", "location": "東京"},
        {**base, "line": 4, "payee": "", "contract_summary": "x", "method": "随意契約（その他）"},
        {**base, "line": 5, "project_id": "2", "payee": "", "contract_summary": "y", "method": ""},
    ]
    got = contracts_51([{"method": "", "corporate_number": None, "location": ""} | r for r in rows])
    assert [(r["line"], r["payee"], r["corporate_number"]) for r in got] == [(4, "A社", "1")]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Projects 1, 11 and 7259 of FY2024 (5-4 and 5-2 rows as published), plus three 5-1 rows."""
    db = tmp_path_factory.mktemp("ocds") / "flowviz.db"
    five_one = tmp_path_factory.mktemp("ocds51") / "5-1_RS_2024_支出先_支出情報.csv"
    five_one.write_text(_five_one(), "utf-8")
    files = sorted(RS.glob("sample_pid1_11_7259__*.csv")) + [five_one]
    import_files(db, read_files(files))
    return db


def _five_one() -> str:
    """A payee row and two contract rows below it (5-1 names the payee once), for project 11."""
    header = (RS / "rs_sample__5-1_2025_excerpt.csv").read_text("utf-8").splitlines()[0]
    cols = header.split(",")
    common = ["レビューシート", "2024", "11", "第一期政府共通プラットフォーム", "13", "デジタル庁"]
    common += ["デジタル庁", "", "", "", "", "", ""]

    def row(**cells: str) -> list[str]:
        return common + [cells.get(c, "") for c in cols[13:]]

    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(cols)
    w.writerow(row(支出先ブロック番号="A", 支出先ブロック名="日本電気株式会社ほか", 支出先の数="1"))
    w.writerow(row(支出先ブロック番号="A", 支出先名="日本電気株式会社", 法人番号="7010401022916"))
    one = {"契約方式等": "一般競争契約（最低価格）", "入札者数": "1", "落札率": "99.5"}
    w.writerow(row(支出先ブロック番号="A", 契約概要="運用保守", 金額="1000000", **one))
    sole = {"契約方式等": "随意契約（その他）", "入札者数": "0", "落札率": "0"}
    w.writerow(row(支出先ブロック番号="A", 契約概要="改修", 金額="2000000", **sole))
    return out.getvalue()


def test_sample_projects_export_as_a_valid_release_package(sample: Path):
    text, note = ocds_export(sample)
    package = json.loads(text, parse_float=Decimal)
    assert errors(package) == []
    assert note.startswith(f"{len(package['releases'])} releases (5-4: ")
    by_id = {r["id"]: r for r in package["releases"]}
    one = next(r for r in by_id.values() if r["id"].startswith("rs2024-5-1-"))
    assert one["awards"][0]["suppliers"][0] == {
        "id": "JP-JCN-7010401022916",
        "name": "日本電気株式会社",
    }
    assert one["tender"] == {
        "id": "1",
        "procurementMethod": "open",
        "procurementMethodDetails": "一般競争契約（最低価格）",
        "numberOfTenderers": 1,
    }
    assert one["awards"][0]["awardRatePercent"] == Decimal("99.5")
    assert one["awards"][0]["value"] == {"amount": 1000000, "currency": "JPY"}
    assert '"amount": 1000000,' in text  # an integer, never 1000000.0


def test_the_ocid_prefix_is_a_setting_and_marked_unofficial_by_default(sample: Path):
    package = json.loads(ocds_export(sample, projects=["11"])[0])
    assert {r["ocid"].split("-rs2024-")[0] for r in package["releases"]} == {"unofficial-flowviz"}
    r = runner.invoke(
        app,
        ["export", "-f", "ocds", "-p", "11", "--db", str(sample), "--ocid-prefix", "ocds-abc123"],
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["releases"][0]["ocid"].startswith("ocds-abc123-rs2024-11-5-4-")


def test_ocds_export_errors_are_one_line(sample: Path, tmp_path: Path):
    for args in (
        ["-f", "ocds", "-p", "99999"],
        ["-f", "v1", "--ministry", "デジタル庁"],
        ["-f", "ocds", "--ocid-prefix", " "],
    ):
        r = runner.invoke(app, ["export", *args, "--db", str(sample)])
        assert r.exit_code == 1 and len(r.output.strip().splitlines()) == 1, r.output
    out = tmp_path / "x.ocds.json"
    r = runner.invoke(
        app, ["export", "-f", "ocds", "-m", "デジタル", "-o", str(out), "--db", str(sample)]
    )
    assert r.exit_code == 0 and "releases (5-4:" in r.stdout
    assert errors(json.loads(out.read_text("utf-8"), parse_float=Decimal)) == []


def test_fv002_and_one_tenderer_name_the_same_contracts_5_1_included(sample: Path):
    from flowviz.analysis.flags import flags
    from flowviz.store.db import connect
    from flowviz.store.rs_document import document_from_store

    package = json.loads(ocds_export(sample)[0])
    one = {r["ocid"] for r in package["releases"] if r["tender"].get("numberOfTenderers") == 1}
    con = connect(sample)
    flagged = {
        f"unofficial-flowviz-rs2024-{pid}-{f['contract_id'].replace(':', '-')}"
        for pid in ("1", "11", "7259")
        for f in flags(document_from_store(con, 2024, pid))
        if f["rule_id"] == "FV002"
    }
    con.close()
    assert one == flagged and any("-5-1-" in o for o in one)
