"""The CLI: exit codes, one-line errors, real files written, help and README for every command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.cli import app

from .conftest import DATA, EXAMPLE, ROOT

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_validate_ok():
    r = run("validate", EXAMPLE)
    assert r.exit_code == 0
    assert r.output.strip().endswith("0048.json: valid")


def test_validate_reports_each_problem_on_one_line(tmp_path: Path):
    bad = json.loads((DATA / "small_chain.json").read_text("utf-8"))
    bad["entities"][1]["corporate_number"] = "4010005022218"
    bad["flows"][1]["target"] = "nobody"
    bad["flows"][0]["amount"] = -15
    f = tmp_path / "bad.json"
    f.write_text(json.dumps(bad, ensure_ascii=False), "utf-8")
    r = run("validate", f)
    assert r.exit_code == 1
    lines = [line for line in r.output.splitlines() if line]
    assert len(lines) == 3
    assert any("$.entities[1].corporate_number" in x and "check digit" in x for x in lines)
    assert any("$.flows[1].target" in x and "unknown entity 'nobody'" in x for x in lines)
    assert any("$.flows[0].amount" in x and "negative amount" in x for x in lines)
    assert all(x.startswith(str(f)) for x in lines)
    assert "Traceback" not in r.output


@pytest.mark.parametrize(
    "name", ["truncated.json", "shift_jis.json", "empty.json", "nan_amount.json"]
)
def test_bad_files_fail_with_one_line_and_no_traceback(name):
    for cmd in ("info", "flows", "render", "trace", "payees", "flags"):
        r = run(cmd, DATA / "bad" / name)
        assert r.exit_code == 1, (cmd, r.output)
        assert "Traceback" not in r.output
        assert len([x for x in r.output.splitlines() if x.strip()]) == 1, r.output
        assert name in r.output


def test_info():
    r = run("info", EXAMPLE)
    assert r.exit_code == 0
    assert "0048 社会保障・税に関わる番号制度" in r.output
    assert "26,833,000,000円" in r.output and "268億3,300万円" in r.output
    assert (
        "entities:  4" in r.output
        and "flows:     3" in r.output
        and "depth:     2 hops" in r.output
    )


def test_flows_json_lists_seed_flows_exactly():
    r = run("flows", EXAMPLE, "--format", "json")
    assert r.exit_code == 0
    rows = json.loads(r.output)
    assert [(x["source"], x["target"], x["amount_yen"]) for x in rows] == [
        ("総務省", "地方公共団体", 26_818_000_000),
        ("総務省", "地方公共団体情報システム機構", 15_000_000),
        ("地方公共団体情報システム機構", "ネットワンシステムズ株式会社", 15_000_000),
    ]
    required = {
        "source",
        "target",
        "amount_yen",
        "year",
        "expense_item",
        "purpose",
        "contract_method",
        "bidders",
        "award_rate",
        "source_corporate_number",
        "target_corporate_number",
    }
    assert required <= set(rows[0])
    assert rows[2]["source_corporate_number"] == "3010005022218"
    assert rows[2]["target_corporate_number"] == "7010701007922"


def test_flows_csv_round_trips_amounts():
    import csv
    import io

    r = run("flows", EXAMPLE, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert sum(int(x["amount_yen"]) for x in rows) == 26_848_000_000


def test_schema_is_json():
    r = run("schema")
    assert r.exit_code == 0
    assert json.loads(r.output)["title"] == "flowviz input format v1"


def test_render_writes_default_outputs(tmp_path: Path):
    r = run("render", EXAMPLE, "--sankey", "--dot", "--out", tmp_path)
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "mic-2017-0048.dot",
        "mic-2017-0048.dot.svg",
        "mic-2017-0048.sankey.html",
        "mic-2017-0048.sankey.svg",
    ]
    assert not list(tmp_path.glob(".*.tmp"))


def test_render_formats_and_pdf_png(tmp_path: Path):
    r = run("render", EXAMPLE, "--sankey", "--format", "png,pdf", "--out", tmp_path)
    assert r.exit_code == 0, r.output
    assert (tmp_path / "mic-2017-0048.sankey.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "mic-2017-0048.sankey.pdf").read_bytes()[:4] == b"%PDF"


def test_render_unknown_format(tmp_path: Path):
    r = run("render", EXAMPLE, "--format", "gif", "--out", tmp_path)
    assert r.exit_code == 1
    assert "unknown format 'gif'" in r.output
    assert list(tmp_path.iterdir()) == []


def test_render_focus_and_flags(tmp_path: Path):
    r = run(
        "render",
        EXAMPLE,
        "--sankey",
        "-f",
        "svg",
        "--focus",
        "ネットワン",
        "--flags",
        "--out",
        tmp_path,
    )
    assert r.exit_code == 0, r.output
    svg = (tmp_path / "mic-2017-0048.sankey.svg").read_text("utf-8")
    assert re.search(r'data-flow="f1"[^>]*class="fv-faded"', svg)
    assert not re.search(r'data-flow="f3"[^>]*class="fv-faded"', svg)
    assert 'data-flags="FV001 FV005"' in svg or 'data-flags="FV001"' in svg


def test_render_bad_file_keeps_existing_output(tmp_path: Path):
    assert run("render", EXAMPLE, "--sankey", "-f", "svg", "--out", tmp_path).exit_code == 0
    before = (tmp_path / "mic-2017-0048.sankey.svg").read_bytes()
    broken = tmp_path / "mic-2017-0048.json"
    broken.write_text(EXAMPLE.read_text("utf-8")[:-40], "utf-8")
    r = run("render", broken, "--sankey", "-f", "svg", "--out", tmp_path)
    assert r.exit_code == 1
    assert (tmp_path / "mic-2017-0048.sankey.svg").read_bytes() == before


def test_trace_to_netone():
    r = run("trace", EXAMPLE, "--to", "ネットワンシステムズ")
    assert r.exit_code == 0
    assert (
        "path 1: 総務省 → 地方公共団体情報システム機構 → ネットワンシステムズ株式会社" in r.output
    )
    assert r.output.count("15百万円") == 2 and r.output.count("随意契約（その他）") == 2


def test_trace_unknown_entity():
    r = run("trace", EXAMPLE, "--to", "博報堂")
    assert r.exit_code == 1 and "no entity matches '博報堂'" in r.output


def test_flags_json():
    r = run("flags", EXAMPLE, "--format", "json")
    assert r.exit_code == 0
    found = json.loads(r.output)
    rules = {(f["rule_id"], f["entity"]) for f in found}
    assert ("FV001", "ネットワンシステムズ株式会社") in rules
    assert ("FV005", "地方公共団体情報システム機構") in rules
    pt = next(f for f in found if f["rule_id"] == "FV005")
    assert pt["figures"]["kept_yen"] == 0 and pt["figures"]["received_yen"] == 15_000_000


def test_payees_same_file_twice_is_not_double_counted():
    r = run("payees", EXAMPLE, EXAMPLE, "--format", "json")
    assert r.exit_code == 0
    rows = json.loads(r.stdout)
    assert sum(x["kept_yen"] for x in rows) == 26_833_000_000
    assert "already read" in r.stderr


COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_example(command):
    r = run(command, "--help")
    assert r.exit_code == 0
    assert "Example: flowviz " in r.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command):
    readme = (ROOT / "README.md").read_text("utf-8")
    assert re.search(rf"flowviz {command}(?![\w-])", readme), (
        f"README.md does not document `flowviz {command}`"
    )


def test_version():
    from flowviz import __version__

    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and r.stdout.strip() == f"flowviz {__version__}"


def test_dash_reads_stdin_and_writes_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    text = EXAMPLE.read_text("utf-8")
    r = runner.invoke(app, ["info", "-", "--format", "json"], input=text)
    assert r.exit_code == 0 and json.loads(r.stdout)["flows"] == 3
    svg = runner.invoke(app, ["render", str(EXAMPLE), "--sankey", "--format", "svg", "--out", "-"])
    assert svg.exit_code == 0 and svg.stdout.startswith("<?xml")
    many = runner.invoke(app, ["render", str(EXAMPLE), "--out", "-"])
    assert many.exit_code == 1 and "--out - writes one file" in many.output
    page = runner.invoke(app, ["report", str(EXAMPLE), "--out", "-"])
    assert page.exit_code == 0 and page.stdout.startswith("<!DOCTYPE html>")
    assert list(tmp_path.iterdir()) == []  # no folder or file named "-"
    bad = runner.invoke(app, ["info", "-"], input="{")
    assert bad.exit_code == 1 and bad.output.count("error:") == 1 and "<stdin>" in bad.output


def test_gexf_is_byte_stable_and_typed(tmp_path: Path):
    import xml.etree.ElementTree as ET

    first = run("export", EXAMPLE, "-f", "gexf").stdout
    assert first == run("export", EXAMPLE, "-f", "gexf").stdout
    assert "lastmodifieddate" not in first and "NetworkX" not in first
    root = ET.fromstring(first)
    types = {
        a.get("title"): a.get("type") for a in root.iter("{http://www.gexf.net/1.2draft}attribute")
    }
    assert types["amount_yen"] == "long" and types["route_published"] == "boolean"
    graphml = ET.fromstring(run("export", EXAMPLE, "-f", "graphml").stdout)
    keys = {k.get("attr.name"): k.get("attr.type") for k in graphml.iter() if k.get("attr.name")}
    assert keys["weight"] == "long" and keys["received_yen"] == "long"


def test_default_store_is_in_the_users_data_folder(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("FLOWVIZ_DB", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    r = run("projects")
    assert r.exit_code == 1 and str(tmp_path / "data" / "flowviz" / "flowviz.db") in r.output
    r = run("import", DATA / "judgit" / "judgit_公正取引委員会_0001.json")
    assert r.exit_code == 0, r.output
    assert (tmp_path / "data" / "flowviz" / "flowviz.db").is_file()
    assert f"store: {tmp_path / 'data' / 'flowviz' / 'flowviz.db'}" in r.stdout
