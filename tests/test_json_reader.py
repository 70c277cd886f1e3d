"""The example transcribes the seed faithfully, and bad inputs fail with a placed message."""

import json
from pathlib import Path

import pytest

from flowviz.exceptions import FlowDataError
from flowviz.sources import read
from flowviz.sources.flow_json import validate_file

from .conftest import DATA, EXAMPLE

BAD = DATA / "bad"
EXPECTED = json.loads((BAD / "expected.json").read_text("utf-8"))


def test_example_flows_match_seed(example_doc):
    flows = {(f.source, f.target): f for f in example_doc.flows}
    assert flows[("mic", "lg")].amount_yen == 26_818_000_000
    assert flows[("mic", "jlis")].amount_yen == 15_000_000
    assert flows[("jlis", "netone")].amount_yen == 15_000_000
    assert flows[("jlis", "netone")].contract.method == "随意契約（その他）"
    assert flows[("jlis", "netone")].contract.is_non_competitive
    assert "現行システムの開発事業者" in flows[("jlis", "netone")].contract.non_competitive_reason
    assert flows[("mic", "lg")].expense_item == "補助金"
    ents = example_doc.entity_map
    assert ents["jlis"].corporate_number == "3010005022218"
    assert ents["netone"].corporate_number == "7010701007922"
    assert [ents[i].block for i in ("lg", "jlis", "netone")] == ["A", "B", "C"]


def test_example_budget_identities_hold(example_doc):
    years = {y.year: y for y in example_doc.budget.years}
    m = 1_000_000
    assert years[2016].total == 31_727 * m and years[2016].executed == 26_833 * m
    for y in example_doc.budget.years:
        if y.request:
            continue
        assert y.total == y.initial + y.supplementary + y.carried_in - y.carried_over + y.reserve
        if y.executed is not None:
            assert round(100 * y.executed / y.total) == y.execution_rate_pct
    for a, b in zip(example_doc.budget.years, example_doc.budget.years[1:]):
        if not b.request:
            assert a.carried_over == b.carried_in
    bd = {i.name: dict(i.amounts) for i in example_doc.budget.breakdown}
    assert sum(v[2018] for v in bd.values()) == years[2018].total
    assert sum(v[2017] for v in bd.values()) == years[2017].initial
    # the sheet's own "当初予算＋補正予算に対する執行額の割合" row: 138%, 75%, 147%
    ratios = [
        round(100 * years[y].executed / (years[y].initial + years[y].supplementary))
        for y in (2014, 2015, 2016)
    ]
    assert ratios == [138, 75, 147]


def test_example_has_no_problems():
    assert validate_file(EXAMPLE) == []


def test_example_matches_published_schema():
    jsonschema = pytest.importorskip("jsonschema")
    from flowviz.sources.schema import schema

    jsonschema.validate(json.loads(EXAMPLE.read_text("utf-8")), schema())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_message(name):
    exp = EXPECTED[name]
    with pytest.raises(FlowDataError) as info:
        read(BAD / name)
    errors = [p for p in info.value.problems if p.severity == "error"]
    assert any(exp["message"] in p.message and p.where.startswith(exp["where"]) for p in errors), [
        str(p) for p in errors
    ]
    assert all(p.file.endswith(name) for p in errors)
    line = str(info.value)
    assert "\n" not in line and name in line


def test_all_bad_files_have_expectations():
    files = {p.name for p in BAD.glob("*.json")} - {"expected.json"}
    assert files == set(EXPECTED)


def test_missing_file():
    with pytest.raises(FlowDataError, match="no such file"):
        read(Path("nope/missing.json"))


def test_bom_is_accepted():
    assert len(read(DATA / "bom.json").flows) == 2


def test_cycle_is_a_warning_not_an_error():
    problems = validate_file(DATA / "warn_cycle.json")
    assert [p.severity for p in problems] == ["warning"] * len(problems)
    assert any("cycle in the money flow" in p.message for p in problems)


def test_outflow_exceeding_inflow_warns_with_figures():
    problems = validate_file(DATA / "warn_outflow.json")
    (p,) = problems
    assert p.severity == "warning"
    assert "pays out 20百万円 but receives 15百万円 (excess 5百万円)" in p.message


def test_duplicate_flows_are_kept_and_warned(tmp_path):
    data = json.loads((DATA / "small_chain.json").read_text("utf-8"))
    data["flows"].append(dict(data["flows"][1]))
    f = tmp_path / "dup.json"
    f.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    (p,) = [p for p in validate_file(f) if "every field but the id" in p.message]
    assert p.severity == "warning" and p.where == "$.flows[2]"
    assert "same as $.flows[1]" in p.message
    assert sum(fl.amount_yen for fl in read(f).flows) == 45_000_000  # both counted, as published


def test_unknown_fields_are_warned_not_silently_dropped(tmp_path):
    data = json.loads((DATA / "small_chain.json").read_text("utf-8"))
    data["project"]["ministy"] = "総務省"
    data["flows"][1]["contract"] = {"metod": "随意契約（その他）"}
    f = tmp_path / "typo.json"
    f.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    found = {p.where: p for p in validate_file(f)}
    assert found["$.project.ministy"].severity == "warning"
    assert "unknown field 'ministy' ignored" in found["$.project.ministy"].message
    assert "ministry" in found["$.project.ministy"].message  # the field that was meant
    assert "'metod'" in found["$.flows[1].contract.metod"].message
