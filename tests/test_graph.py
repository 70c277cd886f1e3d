"""The networkx graph carries every attribute; depths and cycles are found without recursion."""

from __future__ import annotations

from flowviz.graph import build_graph, chain_depth, depths, find_cycles, roots
from flowviz.model import Contract, Entity, Flow, FlowDocument, Project


def test_graph_has_every_attribute(example_doc):
    g = build_graph(example_doc)
    assert g.graph["project_id"] == "mic-2017-0048" and g.graph["unit"] == "百万円"
    assert g.nodes["netone"]["corporate_number"] == "7010701007922"
    assert g.nodes["netone"]["block"] == "C" and g.nodes["netone"]["kind"] == "company"
    ((key, data),) = g["jlis"]["netone"].items()
    assert key == "f3"
    assert data["amount_yen"] == 15_000_000 and data["year"] == 2016
    assert data["expense_item"] == "委託費" and data["link_type"] == "再委託"
    assert data["contract_method"] == "随意契約（その他）" and data["non_competitive"] is True
    assert "現行システムの開発事業者" in data["contract_non_competitive_reason"]


def test_parallel_flows_stay_separate():
    doc = FlowDocument(
        Project("p", "p"),
        (Entity("m", "省", "ministry"), Entity("a", "機構", "agency")),
        (
            Flow("f1", "m", "a", 10, link_type="委託"),
            Flow("f2", "m", "a", 20, link_type="補助金", contract=Contract()),
        ),
    )
    g = build_graph(doc)
    assert g.number_of_edges("m", "a") == 2
    assert sum(d["amount_yen"] for _, _, d in g.edges(data=True)) == 30


def test_depths_roots_and_cycles(example_doc):
    assert depths(example_doc) == {"mic": 0, "lg": 1, "jlis": 1, "netone": 2}
    assert roots(example_doc) == ["mic"] and chain_depth(example_doc) == 2
    assert find_cycles(example_doc) == []
    cyc = FlowDocument(
        Project("c", "c"),
        tuple(Entity(x, x) for x in "mabc"),
        (
            Flow("1", "m", "a", 1),
            Flow("2", "a", "b", 1),
            Flow("3", "b", "c", 1),
            Flow("4", "c", "a", 1),
        ),
    )
    assert [sorted(c) for c in find_cycles(cyc)] == [["a", "b", "c"]]
    assert depths(cyc)["c"] == 3


def test_deep_chain_without_recursion():
    n = 20_000
    ents = tuple(Entity(f"e{i}", f"e{i}") for i in range(n + 1))
    flows = tuple(Flow(f"f{i}", f"e{i}", f"e{i + 1}", 1) for i in range(n))
    doc = FlowDocument(Project("d", "d"), ents, flows)
    assert chain_depth(doc) == n and find_cycles(doc) == []
