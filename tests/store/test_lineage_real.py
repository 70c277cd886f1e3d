"""Lineages on the real decade: diff compares one project across its renumbered sheets, payees
are matched across years by 法人番号 and folded name, and key forms are read the same everywhere.
Expected sets are computed here from the JUDGIT! NDJSON with plain Python."""

from __future__ import annotations

import gzip
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.analysis.diff import load_diff
from flowviz.names import normalise_name
from flowviz.store.db import connect

from ..conftest import SHARED

pytestmark = pytest.mark.skipif(
    not (SHARED / "judgit").is_dir(), reason="../shared/data not present"
)


def sheets_of(year: int):
    with gzip.open(SHARED / "judgit" / f"judgit-{year}.ndjson.gz", "rt", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line, parse_float=Decimal)


def test_diff_of_the_0048_lineage_2015_to_2016_ends_and_starts_no_project(decade_db: Path):
    numbers = {
        y: d["事業番号"] for y in (2016, 2017) for d in sheets_of(y) if d.get("事業ID") == 4347
    }
    assert numbers == {2016: "0046", 2017: "0048"}  # one project, two numbers
    d = load_diff(connect(decade_db), 2015, 2016, "0048", None, "総務省", 2017)
    assert d.projects_new == [] and d.projects_ended == []
    assert {y: [m.number for m in ms] for y, ms in d.sheets.items()} == {
        2015: ["0046"],
        2016: ["0048"],
    }


def _rows(year: int, ministry: str, name: str) -> list[dict]:
    return [
        p
        for d in sheets_of(year)
        if d["府省庁"] == ministry and d["事業名"] == name
        for p in d["支出先"]
    ]


def _published_names():
    """(name, 法人番号) of every payee and contractor row the store is built from: the NDJSON
    支出先 of every year and the FY2024 5-3 and 5-4 files."""
    import csv
    import io
    import zipfile

    for y in range(2015, 2024):
        for d in sheets_of(y):
            for p in d["支出先"]:
                yield p["支出先名"] or "", p["法人番号"] or ""
    cols = {"5-3": ("支出先名", "法人番号"), "5-4": ("契約先名", "契約先の法人番号")}
    for path in sorted((SHARED / "rs2024").glob("5-[34]_*.zip")):
        name_col, num_col = cols[path.name[:3]]
        with zipfile.ZipFile(path) as z:
            text = io.TextIOWrapper(z.open(z.namelist()[0]), encoding="utf-8-sig")
            for row in csv.DictReader(text):
                name = next(v for k, v in row.items() if k.startswith(name_col))
                num = next(v for k, v in row.items() if k.startswith(num_col))
                yield name or "", (num or "").strip().removesuffix(".0")


def _link_keys(rows: list[dict]) -> dict[tuple[str, str], str]:
    """The identity rule restated (#22's name folding and the 法人番号 check digit are imported:
    they are the subject of that issue): a valid 法人番号 is the payee; a row without one is
    the payee of the one valid number published anywhere in the store with its folded name;
    else its folded name."""
    from flowviz.corpnum import INDIVIDUAL_PLACEHOLDER, is_valid

    def numbered(n: str) -> bool:
        return bool(n) and n != INDIVIDUAL_PLACEHOLDER and is_valid(n)

    owners: dict[str, set[str]] = {}
    for name, num in set(_published_names()):
        if name and numbered(num):
            owners.setdefault(normalise_name(name), set()).add(num)
    out = {}
    for p in rows:
        num, fold = p["法人番号"] or "", normalise_name(p["支出先名"])
        own = owners.get(fold, set())
        key = num if numbered(num) else next(iter(own)) if len(own) == 1 else "name:" + fold
        out[(p["支出先名"], num)] = key
    return out


def test_national_university_grant_reports_only_unlinked_payees_as_gone_or_new(decade_db: Path):
    grant = ("文部科学省", "国立大学法人運営費交付金に必要な経費")
    a, b = _rows(2015, *grant), _rows(2016, *grant)
    assert a and b
    keys = _link_keys(a + b)
    ka = {keys[(p["支出先名"], p["法人番号"] or "")] for p in a}
    kb = {keys[(p["支出先名"], p["法人番号"] or "")] for p in b}
    d = load_diff(connect(decade_db), 2014, 2015, "0137", None, "文部科学省", 2016)
    got = {r["status"]: set() for r in d.rows}
    for r in d.rows:
        got[r["status"]].add(keys[(r["payee"], r["corporate_number"] or "")])
    assert got.get("gone", set()) == ka - kb
    assert got.get("new", set()) == kb - ka
    assert d.projects_new == d.projects_ended == []
    tokyo = next(r for r in d.rows if r["corporate_number"] == "5010005007398")
    assert (
        tokyo["status"] == "changed" and tokyo["matched_by"] == "name"
    )  # 東京大学 → 国立大学法人東京大学


def test_a_number_of_several_ministries_is_an_error_naming_them(decade_db: Path):
    from flowviz.cli import app

    res = CliRunner().invoke(
        app, ["diff", "--from", "2015", "--to", "2016", "-p", "0048", "--db", str(decade_db)]
    )
    assert res.exit_code == 1
    assert "総務省" in res.output and "文部科学省" in res.output and "--ministry" in res.output
    assert "Traceback" not in res.output


def test_a_year_without_a_sheet_is_no_sheet_not_0_yen(decade_db: Path):
    from flowviz.cli import app

    res = CliRunner().invoke(
        app,
        [
            "diff",
            "--from",
            "2014",
            "--to",
            "2015",
            "-p",
            "2017:総務省:0048",
            "--db",
            str(decade_db),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "2014 4,707,000,000円" not in res.output  # listed in 2015's sheet 0050, not 0円
    res = CliRunner().invoke(
        app,
        [
            "diff",
            "--from",
            "2023",
            "--to",
            "2024",
            "-p",
            "2017:総務省:0048",
            "--db",
            str(decade_db),
        ],
    )
    assert "2023 no sheet" in res.output and "0円" not in res.output.split("\n")[2]


@pytest.mark.parametrize("key", ["2017:総務省:0048", "uid:4347", "rs:2024:7259", "2024:7259"])
def test_links_file_reads_every_key_form(decade_db: Path, tmp_path: Path, key: str):
    from flowviz.analysis.history import load_history

    links = tmp_path / "links.csv"
    links.write_text(f"from,to,evidence\n{key},2017:総務省:0048,manual\n", encoding="utf-8")
    h = load_history(connect(decade_db), "0048", "総務省", 2017, links)
    assert "2017:総務省:0048" in {m.key for m in h.members}
    if key.endswith("7259"):
        assert "rs:2024:7259" in {m.key for m in h.members}


def test_links_file_with_an_unknown_key_is_one_error_naming_the_forms(
    decade_db: Path, tmp_path: Path
):
    from flowviz.cli import app

    links = tmp_path / "links.csv"
    links.write_text("from,to,evidence\n総務省0048,rs:2024:7259,manual\n", encoding="utf-8")
    res = CliRunner().invoke(
        app, ["history", "2017:総務省:0048", "--links", str(links), "--db", str(decade_db)]
    )
    assert res.exit_code == 1
    assert (
        "line 2, column from: expected a sheet key" in res.output
        and "YEAR:府省庁:事業番号" in res.output
        and "rs:YEAR:ID" in res.output
    )
    assert "Traceback" not in res.output


_PARTS = ("当初予算", "補正予算", "前年度から繰越し", "予備費等")


def _statements(members) -> dict[int, list[tuple[int, dict]]]:
    """Budget year → (sheet year, that sheet's 予算 row in yen) for the lineage's old sheets."""
    wanted = {(m.year, m.ministry, m.number) for m in members if m.source == "old"}
    out: dict[int, list[tuple[int, dict]]] = {}
    for year in sorted({y for y, _, _ in wanted}):
        for d in sheets_of(year):
            if (year, d["府省庁"], d["事業番号"]) in wanted:
                for b in d["予算"]:
                    yen = {
                        k: int(v * 1_000_000) for k, v in b.items() if k != "年度" and v is not None
                    }
                    out.setdefault(b["年度"], []).append((year, yen))
    return out


def _normalised(sheet_year: int, year: int, b: dict) -> dict:
    """Gross from the parts; 翌年度へ繰越し positive, or gross − net 予算計 where printed as 0."""
    if "予算計" not in b or sheet_year <= year:  # a request row, or a year still running
        return {}
    gross = sum(b.get(k, 0) for k in _PARTS)
    carried = abs(b.get("翌年度へ繰越し", 0)) or gross - b["予算計"]
    return {
        "gross": gross,
        "carried_over": carried,
        "executed": b.get("執行額"),
        "initial": b["当初予算"],
    }


def test_no_budget_disagreement_of_the_0048_lineage_is_a_sign_or_definition_difference(
    decade_db: Path,
):
    from flowviz.analysis.history import load_history

    h = load_history(connect(decade_db), "2017:総務省:0048", None, None)
    raw_differences, expected = 0, set()
    for year, stated in _statements(h.members).items():
        for i, (ya, a) in enumerate(stated):
            for yb, b in stated[i + 1 :]:
                raw_differences += sum(
                    1 for k in ("予算計", "翌年度へ繰越し") if k in a and k in b and a[k] != b[k]
                )
                na, nb = _normalised(ya, year, a), _normalised(yb, year, b)
                for k in na.keys() & nb.keys():
                    if na[k] != nb[k]:
                        expected.add((year, k))
    assert raw_differences > 0  # the printed figures do differ, by sign and by definition
    reported = {(b.year, d.split(":")[0]) for b in h.budget for d in b.disagreements}
    assert reported == expected
    fy2022 = next(b for b in h.budget if b.year == 2022)
    assert fy2022.running and fy2022.execution_rate_pct is None
    fy2021 = next(b for b in h.budget if b.year == 2021)  # 87,333 of gross 279,303 (not of net)
    assert str(fy2021.execution_rate_pct) == "31.3"


def test_history_0048_names_the_successor_that_restates_its_budget(decade_db: Path, tmp_path: Path):
    from flowviz.analysis.history import load_history

    last = next(d for d in sheets_of(2022) if d["事業番号"] == "2022-総務-21-0038")
    assert last["事業名"].startswith("社会保障・税に関わる番号制度")
    initials = {(b["年度"], b["当初予算"]) for b in last["予算"] if b.get("当初予算")}
    restating = {
        f"2023:総務省:{d['事業番号']}"
        for d in sheets_of(2023)
        if d["府省庁"] == "総務省"
        and any((b["年度"], b.get("当初予算")) in initials for b in d["予算"])
    }
    assert restating  # the data has one: マイナンバーカードの発行・交付に要する経費
    h = load_history(connect(decade_db), "0048", "総務省", 2017)
    assert max(m.year for m in h.members) == 2022
    assert h.ending.last_year == 2022 and h.ending.newest_year == 2024
    keys = [c.key for c in h.ending.candidates]
    assert keys[0] in restating and restating <= set(keys)
    links = tmp_path / "links.csv"
    links.write_text(
        f"from,to,evidence\n2022:総務省:2022-総務-21-0038,{keys[0]},budget\n", encoding="utf-8"
    )
    h = load_history(connect(decade_db), "0048", "総務省", 2017, links)
    assert max(m.year for m in h.members) == 2024 and h.ending is None  # 2023, then RS by name


def test_the_decade_is_reachable_from_python_and_projects(decade_db: Path):
    import flowviz
    from flowviz.cli import app

    view = flowviz.load(project="2017:総務省:0048", db=decade_db)
    assert (view.doc.project.number, view.doc.project.ministry) == ("0048", "総務省")
    assert view.doc.project.sheet_year == 2017
    h = flowviz.history("uid:4347", db=decade_db)
    assert [m.number for m in h.members if m.evidence in ("project_uid", "query")][:3] == [
        "0050",
        "0046",
        "0048",
    ]
    expected = {
        f"{y}:{d['府省庁']}:{d['事業番号']}"
        for y in range(2015, 2024)
        for d in sheets_of(y)
        if "番号制度に関するシステム構築" in d["事業名"]
    }
    res = CliRunner().invoke(
        app,
        ["projects", "番号制度に関するシステム構築", "--format", "json", "--db", str(decade_db)],
    )
    assert res.exit_code == 0, res.output
    assert {r["key"] for r in json.loads(res.output)} == expected


def test_no_renumbered_project_of_any_ministry_is_new_or_ended(decade_db: Path):
    """The class over the whole government, FY2015→FY2016 (sheets 2016→2017): a project whose
    JUDGIT! 事業ID lists payees in both years is never "new" or "ended", whatever its numbers."""
    listed = {
        y: {(d["府省庁"], d["事業番号"]): d["事業ID"] for d in sheets_of(y) if d["支出先"]}
        for y in (2016, 2017)
    }
    uids = {y: set(v.values()) for y, v in listed.items()}
    d = load_diff(connect(decade_db), 2015, 2016)

    def key(label: str) -> tuple[str, str]:
        ministry, number = label.rsplit(" ", 1)
        return ministry, number

    assert all(listed[2017][key(p)] not in uids[2016] for p in d.projects_new)
    assert all(listed[2016][key(p)] not in uids[2017] for p in d.projects_ended)
    renumbered = {
        k for k, uid in listed[2017].items() if uid in uids[2016] and k not in listed[2016]
    }
    assert len(renumbered) > 100  # sheets renumbered between the years, 0048 among them
    assert not renumbered & {key(p) for p in d.projects_new}
    # and a project is new only where no id links it: every uid-less match is by name or link
    assert len(d.projects_new) <= len({k for k, u in listed[2017].items() if u not in uids[2016]})


def test_a_not_line_removes_a_sheet_and_diff_reads_the_same_links(decade_db: Path, tmp_path: Path):
    from flowviz.analysis.history import load_history

    links = tmp_path / "links.csv"
    links.write_text(
        "from,to,evidence\n2017:総務省:0048,2018:総務省:0044,not\n"
        "2022:総務省:2022-総務-21-0038,2023:総務省:2023-総務-22-0037,budget\n",
        encoding="utf-8",
    )
    h = load_history(connect(decade_db), "2017:総務省:0048", None, None, links)
    keys = {m.key for m in h.members}
    assert (
        "2018:総務省:0044" not in keys and {"2023:総務省:2023-総務-22-0037", "rs:2024:706"} <= keys
    )
    d = load_diff(connect(decade_db), 2022, 2023, "2017:総務省:0048", links=links)
    assert [m.key for m in d.sheets[2022]] == ["2023:総務省:2023-総務-22-0037"]
    assert [m.key for m in d.sheets[2023]] == ["rs:2024:706"]
    assert d.projects_new == d.projects_ended == [] and d.total_a and d.total_b


def test_a_number_reused_over_the_years_needs_a_year(decade_db: Path):
    """総務省 0048 is five projects between 2015 and 2020 (six 事業ID, two with one name): without
    --year history names them instead of taking the newest one silently."""
    import unicodedata

    from flowviz.cli import app

    groups: list[set] = []  # sheets of one 事業ID or of one name (spaces, width folded) are one
    for y in range(2015, 2021):
        for d in sheets_of(y):
            if d["府省庁"] == "総務省" and d["事業番号"] == "0048":
                ids = {d["事業ID"], "".join(unicodedata.normalize("NFKC", d["事業名"]).split())}
                joined = [g for g in groups if g & ids]
                groups = [g for g in groups if not g & ids] + [ids.union(*joined)]
    uids = groups
    assert len(uids) > 1
    res = CliRunner().invoke(
        app, ["history", "0048", "--ministry", "総務省", "--db", str(decade_db)]
    )
    assert res.exit_code == 1 and "--year" in res.output
    assert f"names {len(uids)} different projects" in res.output
    assert "2017:総務省:0048" in res.output
