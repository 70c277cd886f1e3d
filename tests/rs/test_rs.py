"""RS-system open data: reading as published, the store, projects as flow documents."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import sqlite3
import zipfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.analysis import trace
from flowviz.analysis.aggregate import aggregate_document
from flowviz.checks import semantic_problems
from flowviz.cli import app
from flowviz.exceptions import FlowDataError, StoreError
from flowviz.graph import roots, totals
from flowviz.render.tables import to_json
from flowviz.render.v1_json import document_to_data
from flowviz.sources.flow_json import document_from_data
from flowviz.sources.rs_csv import read_files
from flowviz.store.db import connect, import_files
from flowviz.store.queries import payee_rows
from flowviz.store.rs_document import document_from_store

from ..conftest import DATA

RS = DATA / "rs"
FILES_2024 = sorted(RS.glob("sample_*.csv")) + sorted(RS.glob("pid1365__*.csv"))
FILES_2025 = sorted(RS.glob("rs_*.csv"))
runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "flowviz.db"
    import_files(path, read_files(FILES_2024 + FILES_2025))
    return path


def csv_sums(path: Path) -> dict[str, int]:
    """Sum of 5-3 金額 per project straight from the CSV text, independent of flowviz."""
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    out: dict[str, int] = defaultdict(int)
    for r in rows:
        out[r["予算事業ID"]] += int(r["金額"].strip() or 0)
    return dict(out)


def table_hash(path: Path) -> str:
    con = sqlite3.connect(path)
    h = hashlib.sha256()
    for table in ("projects", "expenses", "block_links", "contracts", "budgets", "payments"):
        for row in con.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3"):
            h.update(repr(tuple(row)).encode())
    con.close()
    return h.hexdigest()


def test_store_5_3_sums_equal_csv_to_the_yen(db: Path):
    expected: dict[str, int] = defaultdict(int)
    for f in RS.glob("*5-3*.csv"):
        for pid, s in csv_sums(f).items():
            expected[pid] += s
    con = connect(db)
    got = dict(
        con.execute(
            "SELECT project_id, SUM(amount) FROM expenses WHERE year = 2024 GROUP BY project_id"
        )
    )
    assert got == expected
    assert got["1365"] == 579_889_213  # includes the published deduction of −20,924,972円


def test_negative_lines_are_kept_and_summed(db: Path):
    doc = document_from_store(connect(db), 2024, "1365")
    (flow,) = [f for f in doc.flows if f.target.startswith("A/")]
    assert -20_924_972 in [b.amount_yen for b in flow.breakdown]
    assert flow.amount_yen == sum(b.amount_yen for b in flow.breakdown) == 579_889_213


def test_reimport_replaces_never_duplicates(db: Path):
    before = table_hash(db)
    import_files(db, read_files(FILES_2024 + FILES_2025))
    assert table_hash(db) == before


def test_failed_import_leaves_store_intact(db: Path, tmp_path: Path):
    before = table_hash(db)
    good = read_files(FILES_2024)
    bad = read_files([RS / "sample_pid1_11_7259__5-3_RS_2024_支出先_費目・使途.csv"])[0]
    bad.rows.append(list(bad.rows[0]))  # a row SQLite accepts, then one it cannot store
    bad.rows.append([object()] * len(bad.columns))
    with pytest.raises((sqlite3.Error, TypeError, ValueError)):
        import_files(db, [*good, bad])
    assert table_hash(db) == before


def test_zip_as_published_reads_like_csv(tmp_path: Path):
    src = RS / "sample_pid1_11_7259__5-3_RS_2024_支出先_費目・使途.csv"
    z = tmp_path / "5-3.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("5-3_RS_2024_支出先_費目・使途.csv", src.read_bytes())
    (a,), (b,) = read_files([z]), read_files([src])
    assert [r["amount"] for r in a.records()] == [r["amount"] for r in b.records()]


def test_no_bom_lf_trailing_space_and_dot_zero():
    (f51,) = read_files([RS / "rs_sample__5-1_2025_excerpt.csv"])
    assert f51.kind == "5-1"
    assert f51.records()[0]["block_total"] == 3_025_000  # published as "3025000 "
    assert f51.records()[1]["corporate_number"] == "3010001137944"


def _rewrite(tmp_path: Path, name: str, fn) -> Path:
    src = RS / "sample_pid1_11_7259__5-3_RS_2024_支出先_費目・使途.csv"
    text = src.read_bytes().decode("utf-8-sig")
    out = tmp_path / name
    data = fn(text)
    out.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return out


def test_shift_jis_is_refused_with_a_hint(tmp_path: Path):
    f = _rewrite(tmp_path, "sjis.csv", lambda t: t.encode("cp932"))
    with pytest.raises(FlowDataError, match=r"sjis.csv: line 1: not UTF-8 text .*Shift_JIS/cp932"):
        read_files([f])


def test_missing_column_is_named(tmp_path: Path):
    def drop_amount(t: str) -> str:
        rows = list(csv.reader(io.StringIO(t)))
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows([r[:-1] for r in rows])
        return buf.getvalue()

    f = _rewrite(tmp_path, "missing.csv", drop_amount)
    with pytest.raises(FlowDataError, match=r"missing.csv: line 1: missing column '金額'"):
        read_files([f])


def test_reordered_columns_read_the_same(tmp_path: Path):
    def reverse(t: str) -> str:
        rows = list(csv.reader(io.StringIO(t)))
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows([r[::-1] for r in rows])
        return buf.getvalue()

    (a,) = read_files([_rewrite(tmp_path, "rev.csv", reverse)])
    (b,) = read_files([RS / "sample_pid1_11_7259__5-3_RS_2024_支出先_費目・使途.csv"])
    strip = [{k: v for k, v in r.items() if k != "line"} for r in a.records()]
    assert strip == [{k: v for k, v in r.items() if k != "line"} for r in b.records()]


def test_bad_number_names_line_and_column(tmp_path: Path):
    f = _rewrite(
        tmp_path,
        "badnum.csv",
        lambda t: t.replace(",3295000", ",3,295,000", 1).replace("3,295,000", '"3,295,000"'),
    )
    with pytest.raises(
        FlowDataError,
        match=r"badnum.csv: line 2, column 金額: expected an amount in yen, found '3,295,000'",
    ):
        read_files([f])


def test_unknown_header(tmp_path: Path):
    f = tmp_path / "other.csv"
    f.write_text("a,b,c\n1,2,3\n", "utf-8")
    with pytest.raises(FlowDataError, match="other.csv: line 1: unknown header"):
        read_files([f])


def test_7259_chain(db: Path):
    doc = document_from_store(connect(db), 2024, "7259")
    (path,) = trace(doc, target="デジタルシティ")
    assert path.names == [
        "経済産業省",
        "株式会社博報堂",
        "株式会社博報堂プロダクツ",
        "株式会社ヴァリアス・ディメンションズ",
        "デジタルシティ株式会社",
    ]
    assert [h.flow.link_type for h in path.hops] == ["補助金", "委託", "再委託", "再々委託"]
    assert path.hops[-1].flow.amount_yen == 468_887_000
    assert doc.partial and "5-1" in doc.partial_reason
    assert not [p for p in semantic_problems(doc) if p.severity == "error"]
    # ministry pays only the direct blocks: indirect blocks are not counted twice
    _, out = totals(doc)
    assert out["ministry"] == 2_939_361_285_000 + 78_659_530_000 + 0


def test_7259_flags_unexecuted_lines_in_hakuhodo_total(db: Path):
    from flowviz.analysis import flags

    doc = document_from_store(connect(db), 2024, "7259")
    found = [f for f in flags(doc) if f["rule_id"] == "FV009"]
    (f,) = found
    assert f["entity"] == "株式会社博報堂" and f["figures"]["unexecuted_yen"] == 15_844_402_000
    deep = [f for f in flags(doc) if f["rule_id"] == "FV004"]
    assert any(f["entity"] == "デジタルシティ株式会社" and f["figures"]["depth"] == 3 for f in deep)


def test_5_1_blocks_payees_and_overheads(db: Path):
    doc = document_from_store(connect(db), 2025, "1")
    names = {e.name for e in doc.entities}
    assert "株式会社ウルフスタイル" in names
    flows = {(f.source, f.target): f for f in doc.flows}
    wolf = next(e for e in doc.entities if e.name == "株式会社ウルフスタイル")
    assert flows[("ministry", wolf.id)].amount_yen == 3_025_000
    overheads = [f for f in doc.flows if f.link_type == "間接経費"]
    assert sorted(f.amount_yen for f in overheads) == [9_000, 1_034_000]
    assert not doc.partial


def test_cycle_and_reference_links_do_not_double_count(db: Path):
    doc = document_from_store(connect(db), 2025, "1409")
    # A is paid by the ministry and by B (a reference link): its amount stays on the node once,
    # and neither link claims it, since the split is not published
    (a,) = [e for e in doc.entities if e.block == "A"]
    into_a = [f for f in doc.flows if f.target == a.id]
    assert len(into_a) == 2 and all(f.amount_yen is None for f in into_a)
    assert all(f.amount_yen != 0 for f in into_a)
    assert any("cycle" in p.message for p in semantic_problems(doc))
    trace(doc)  # terminates


def test_export_round_trips(db: Path):
    doc = document_from_store(connect(db), 2024, "7259")
    text = to_json(document_to_data(doc))
    back = document_from_data(json.loads(text, parse_float=Decimal), "export.json")
    assert back.flows == doc.flows
    assert back.entities == doc.entities
    assert back.budget == doc.budget


def test_payee_query_by_number_and_name(db: Path):
    con = connect(db)
    rows = payee_rows(con, "8010401024011")
    assert [(r["project_id"], r["block"], r["amount_yen"]) for r in rows] == [
        ("7259", "A", 2_939_361_285_000)
    ]
    assert payee_rows(con, "博報堂プロダクツ")[0]["amount_yen"] == 12_410_138_000


def test_aggregate_reconciles_and_buckets(db: Path):
    doc = aggregate_document(connect(db), 2024, None, top=2)
    inflow, outflow = totals(doc)
    (root,) = roots(doc)
    total = outflow[root]
    payee_nodes = [e.id for e in doc.entities if e.id.startswith("pay:") or e.id == "others:payees"]
    assert sum(inflow.get(p, 0) for p in payee_nodes) == total
    assert any(e.id == "others:projects" for e in doc.entities)
    expected = sum(
        totals(d)[1]["ministry"]
        for d in (document_from_store(connect(db), 2024, p) for p in ("1", "11", "7259", "1365"))
    )
    assert total == expected


def test_missing_store_is_a_clear_error(tmp_path: Path):
    with pytest.raises(StoreError, match="no store at .*flowviz import"):
        connect(tmp_path / "none.db")


# -- CLI ------------------------------------------------------------------------


def test_cli_import_payee_trace_render(tmp_path: Path):
    db = tmp_path / "s.db"
    r = runner.invoke(app, ["import", *map(str, FILES_2024), "--db", str(db)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["payee", "8010401024011", "--db", str(db)])
    assert (
        r.exit_code == 0
        and "電気・ガス価格激変緩和対策等事業" in r.stdout
        and "2,939,361,285,000" in r.stdout
    )
    r = runner.invoke(
        app, ["trace", "--project", "7259", "--to", "デジタルシティ", "--db", str(db)]
    )
    assert r.exit_code == 0
    assert (
        "経済産業省 → 株式会社博報堂 → 株式会社博報堂プロダクツ → 株式会社ヴァリアス・ディメンションズ → デジタルシティ株式会社"
        in r.stdout
    )
    for t in ("補助金", "委託", "再委託", "再々委託"):
        assert t in r.stdout
    out = tmp_path / "out"
    r = runner.invoke(
        app, ["render", "--project", "7259", "--db", str(db), "--out", str(out), "-f", "svg"]
    )
    assert r.exit_code == 0, r.output
    svg = (out / "rs2024-7259.sankey.svg").read_text("utf-8")
    assert "デジタルシティ株式会社" in svg and "金額は一部のみ" in svg


def test_cli_render_all_projects_lists_every_project(db: Path, tmp_path: Path):
    out = tmp_path / "all"
    r = runner.invoke(
        app, ["render", "--all-projects", "--year", "2024", "--db", str(db), "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert "rendered 4 of 4 projects (8 files)" in r.stdout
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"rs2024-{p}.{k}.svg" for p in ("1", "11", "1365", "7259") for k in ("sankey", "dot")
    )


def test_cli_import_bad_file_keeps_store(db: Path, tmp_path: Path):
    before = table_hash(db)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        (RS / "sample_pid1_11_7259__5-3_RS_2024_支出先_費目・使途.csv")
        .read_bytes()
        .decode("utf-8-sig")
        .encode("cp932")
    )
    r = runner.invoke(app, ["import", *map(str, FILES_2024), str(bad), "--db", str(db)])
    assert r.exit_code == 1
    assert "bad.csv: line 1: not UTF-8" in r.output and "Traceback" not in r.output
    assert table_hash(db) == before


def test_cli_projects_and_export(db: Path, tmp_path: Path):
    r = runner.invoke(app, ["projects", "激変緩和", "--db", str(db)])
    assert r.exit_code == 0 and "7259" in r.stdout
    out = tmp_path / "7259.json"
    r = runner.invoke(app, ["export", "--project", "7259", "--db", str(db), "--out", str(out)])
    assert r.exit_code == 0
    r = runner.invoke(app, ["validate", str(out)])
    assert r.exit_code == 0, r.output
    shutil.copy(out, tmp_path / "copy.json")


def test_batch_render_resumes(db: Path, tmp_path: Path):
    out = tmp_path / "all"
    args = [
        "render",
        "--all-projects",
        "--sankey",
        "-f",
        "svg,html",
        "--year",
        "2024",
        "--db",
        str(db),
        "--out",
        str(out),
    ]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    pages = sorted(out.glob("*.sankey.html"))
    assert pages and len(pages) == len(list(out.glob("*.sankey.svg")))
    second = runner.invoke(app, args)
    assert second.exit_code == 0 and f"{len(pages)} up to date" in second.output
