"""Tracing, payees and flags on the seed and on generated graphs; money reconciles to the yen."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flowviz.analysis import Thresholds, flags, focus_set, payees, resolve, source_total, trace
from flowviz.exceptions import EntityNotFound
from flowviz.model import Contract, Entity, Flow, FlowDocument, Project

from .conftest import EXAMPLE


def test_trace_to_netone(example_doc):
    (path,) = trace(example_doc, target="ネットワンシステムズ")
    assert path.names == ["総務省", "地方公共団体情報システム機構", "ネットワンシステムズ株式会社"]
    assert [h.flow.amount_yen for h in path.hops] == [15_000_000, 15_000_000]
    assert [h.flow.contract.method for h in path.hops] == ["随意契約（その他）"] * 2
    assert [h.flow.link_type for h in path.hops] == ["委託", "再委託"]
    assert [h.share_of_first_pct for h in path.hops] == [Decimal("100.0")] * 2


def test_trace_all_paths(example_doc):
    paths = trace(example_doc)
    assert sorted(p.names[-1] for p in paths) == ["ネットワンシステムズ株式会社", "地方公共団体"]


@pytest.mark.parametrize(
    "query",
    [
        "netone",
        "7010701007922",
        "ネットワンシステムズ",
        "ﾈｯﾄﾜﾝｼｽﾃﾑｽﾞ(株)",
        "株式会社 ネットワンシステムズ",
    ],
)
def test_resolve_accepts_ids_numbers_and_name_variants(example_doc, query):
    assert resolve(example_doc, query) == ["netone"]


def test_resolve_unknown_names_candidates(example_doc):
    with pytest.raises(EntityNotFound, match="no entity matches '博報堂'"):
        resolve(example_doc, "博報堂")


def test_flags_on_seed(example_doc):
    found = flags(example_doc)
    by_rule = {}
    for f in found:
        by_rule.setdefault(f["rule_id"], []).append(f)
    assert {f["entity"] for f in by_rule["FV001"]} == {
        "地方公共団体情報システム機構",
        "ネットワンシステムズ株式会社",
    }
    (pt,) = by_rule["FV005"]
    assert pt["entity"] == "地方公共団体情報システム機構"
    assert pt["figures"]["kept_yen"] == 0 and pt["figures"]["received_yen"] == 15_000_000
    assert pt["figures"]["kept_pct"] == Decimal("0.0")
    assert "[15百万円のうち残り 0百万円]" in pt["message"]
    (grp,) = by_rule["FV006"]
    assert grp["figures"]["amount_yen"] == 26_818_000_000
    assert "FV004" not in by_rule  # one re-delegation is below the default depth of 2
    assert "FV004" in {f["rule_id"] for f in flags(example_doc, Thresholds(chain_depth=1))}


def test_focus_keeps_only_paths_through_entity(example_doc):
    keep = focus_set(example_doc, "ネットワン")
    assert keep == {"mic", "jlis", "netone", "f2", "f3"}


def test_payees_on_seed(example_doc):
    rows = {r["name"]: r for r in payees([example_doc])}
    assert rows["地方公共団体情報システム機構"]["role"] == "intermediary"
    assert rows["地方公共団体情報システム機構"]["kept_yen"] == 0
    assert rows["ネットワンシステムズ株式会社"]["received_indirect_yen"] == 15_000_000
    assert sum(r["kept_yen"] for r in rows.values()) == 26_833_000_000


def _doc(
    pid: str, n: int, edges: list[tuple[int, int, int]], numbers: list[str | None]
) -> FlowDocument:
    ents = [Entity("root", "府省", "ministry")] + [
        Entity(f"e{i}", f"会社{i}", "company", numbers[i % len(numbers)]) for i in range(n)
    ]
    flows = []
    for k, (a, b, amt) in enumerate(edges):
        src = "root" if a < 0 else f"e{a}"
        flows.append(Flow(f"f{k}", src, f"e{b}", amt, contract=Contract(method="一般競争契約")))
    return FlowDocument(Project(pid, pid), tuple(ents), tuple(flows))


@st.composite
def dags(draw, pid: str = "p"):
    n = draw(st.integers(1, 12))
    edges = [(-1, 0, draw(st.integers(0, 10**13)))]
    for b in range(1, n):
        for a in draw(st.sets(st.integers(-1, b - 1), min_size=1, max_size=3)):
            edges.append((a, b, draw(st.integers(0, 10**13))))
    numbers = draw(
        st.lists(st.sampled_from([None, "3010005022218", "7010701007922"]), min_size=1, max_size=3)
    )
    return _doc(pid, n, edges, numbers)


@settings(max_examples=150, deadline=None)
@given(st.lists(dags(), min_size=1, max_size=3))
def test_payees_reconcile_to_the_yen(docs):
    docs = [FlowDocument(Project(f"p{i}", "x"), d.entities, d.flows) for i, d in enumerate(docs)]
    rows = payees(docs)
    assert sum(r["kept_yen"] for r in rows) == source_total(docs)
    assert all(
        r["received_yen"] == r["received_direct_yen"] + r["received_indirect_yen"] for r in rows
    )
    assert all(isinstance(r["kept_yen"], int) for r in rows)


@settings(max_examples=100, deadline=None)
@given(dags())
def test_trace_hops_are_real_flows(doc):
    flows = {f.id: f for f in doc.flows}
    for p in trace(doc):
        assert p.hops[0].source.id == "root"
        for a, b in zip(p.hops, p.hops[1:]):
            assert a.target.id == b.source.id
        for h in p.hops:
            assert flows[h.flow.id].amount_yen == h.flow.amount_yen


def test_payees_merge_by_corporate_number_across_files(example_doc):
    other = FlowDocument(
        Project("other", "別事業"),
        (
            Entity("m", "総務省", "ministry"),
            Entity("x", "ネットワンシステムズ（株）", "company", "7010701007922"),
        ),
        (Flow("g1", "m", "x", 1_234_567),),
    )
    rows = {r["corporate_number"]: r for r in payees([example_doc, other])}
    net = rows["7010701007922"]
    assert net["received_yen"] == 15_000_000 + 1_234_567
    assert net["projects"] == "mic-2017-0048;other"
    assert sum(r["kept_yen"] for r in rows.values()) == source_total([example_doc, other])


def test_ten_thousand_level_chain_traces_without_recursion():
    n = 10_000
    edges = [(-1, 0, 5)] + [(i - 1, i, 5) for i in range(1, n)]
    doc = _doc("deep", n, edges, [None])
    (p,) = trace(doc)
    assert len(p.hops) == n
    deep = [f for f in flags(doc) if f["rule_id"] == "FV004"]
    (deep,) = deep
    assert deep["figures"]["depth"] == n - 1 and len(deep["figures"]["chain"]) == n + 1


def test_notebook_frames_keep_yen_exact_and_unknown_as_na():
    """DataFrames: integer yen in nullable Int64 (never float), <NA> where not published."""
    import pandas as pd

    import flowviz
    from flowviz.notebook import FlowView
    from flowviz.sources.flow_json import document_from_data

    fv = flowviz.load(EXAMPLE)
    df = fv.flows_frame()
    assert str(df["amount_yen"].dtype) == "Int64"
    assert list(df["amount_yen"]) == [f.amount_yen for f in fv.doc.flows]
    doc = document_from_data(
        {
            "format": "flowviz/v1",
            "project": {"id": "p", "name": "n"},
            "unit": "円",
            "entities": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
            "flows": [{"source": "a", "target": "b", "amount": None}],
        }
    )
    unknown = FlowView(doc).flows_frame()["amount_yen"]
    assert str(unknown.dtype) == "Int64" and unknown.isna().all()
    assert pd.api.types.is_integer_dtype(fv.payees_frame()["received_yen"])
