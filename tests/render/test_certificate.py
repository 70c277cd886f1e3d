"""The certificate every Sankey SVG carries: recounted from the SVG's own geometry, proved
optimal where the integer programme ran, never worse than the one barycentre pass, and the
same bytes on every run."""

from __future__ import annotations

from dataclasses import replace

from typer.testing import CliRunner

from flowviz.cli import app
from flowviz.model import Entity, Flow, FlowDocument, Project
from flowviz.render.figure import LayoutOptions
from flowviz.render.layout import sankey_layout
from flowviz.render.measures import measure
from flowviz.render.sankey_svg import sankey_svg

from .certificate import certificate, mismatches


def tangled() -> FlowDocument:
    """Three ministries paying three companies each (crossings no order can avoid), a bucket,
    an unknown amount and a second level."""
    ents = [Entity(f"m{i}", f"府省{i}", "ministry") for i in range(3)]
    ents += [Entity(f"c{i}", f"株式会社{i}", "company") for i in range(3)]
    ents += [Entity("o", "その他（5団体）", "other"), Entity("u", "不明の団体", "company")]
    ents += [Entity("s", "再委託先株式会社", "company")]
    flows = [
        Flow(f"f{i}{j}", f"m{i}", f"c{j}", (3 + i * 7 + j * 5) % 11 * 10**8 + 10**8)
        for i in range(3)
        for j in range(3)
    ]
    flows += [Flow("fo", "m2", "o", 4 * 10**8), Flow("fu", "m0", "u", None)]
    flows += [Flow("fs", "c0", "s", 2 * 10**8), Flow("ft", "c2", "s", 10**8)]
    return FlowDocument(Project("t", "交差の多い事業"), tuple(ents), tuple(flows))


def test_the_certificate_matches_a_recount_from_the_svg():
    svg = sankey_svg(sankey_layout(tangled()))
    cert = certificate(svg)
    assert int(cert["crossings"]) > 0  # K3,3: some bands must cross
    assert cert["ordering"] == "exact" and cert["gap"] == "0"
    assert float(cert["bound"]) > 0
    assert mismatches(svg) == []


def test_the_seed_certificate(example_doc):
    svg = sankey_svg(sankey_layout(example_doc))
    cert = certificate(svg)
    assert cert["crossings"] == "0" and cert["gap"] == "0" and cert["label-overlaps"] == "0"
    assert mismatches(svg) == []


def test_never_worse_than_one_pass_and_reader_rule():
    doc = tangled()
    before = measure(sankey_layout(doc, replace(LayoutOptions(), ordering="one-pass")))
    fig = sankey_layout(doc)
    after = measure(fig)
    assert after.weighted_crossings < before.weighted_crossings
    assert before.ordering == "one-pass" and before.gap is None


def test_a_bucket_and_an_unknown_go_last_where_that_crosses_nothing():
    ents = [Entity("m", "府省", "ministry"), Entity("o", "その他（12団体）", "other")]
    ents += [Entity("a", "株式会社A", "company"), Entity("b", "株式会社B", "company")]
    ents += [Entity("u", "団体U", "company")]
    flows = [Flow("fo", "m", "o", 10**9), Flow("fa", "m", "a", 10**8)]
    flows += [Flow("fb", "m", "b", 2 * 10**8), Flow("fu", "m", "u", None)]
    doc = FlowDocument(Project("fan", "扇形"), tuple(ents), tuple(flows))
    before = sankey_layout(doc, replace(LayoutOptions(), ordering="one-pass"))
    assert [n.id for n in before.nodes if n.column == 1][0] == "o"  # the largest, on top
    assert [n.id for n in sankey_layout(doc).nodes if n.column == 1] == ["b", "a", "o", "u"]


def test_the_same_bytes_every_run():
    assert sankey_svg(sankey_layout(tangled())) == sankey_svg(sankey_layout(tangled()))


def test_fitted_pictures_state_their_final_text_size(example_doc):
    from flowviz.render.fit import fit_to_width

    svg = sankey_svg(fit_to_width(example_doc, 800))
    assert float(certificate(svg)["smallest-text-px"]) >= 10 * 0.99
    assert mismatches(svg) == []


def test_render_stats_prints_the_certificate(tmp_path, example_doc):
    from flowviz.render.v1_json import document_to_json

    src = tmp_path / "t.json"
    src.write_text(document_to_json(tangled()), encoding="utf-8")
    r = CliRunner().invoke(app, ["render", str(src), "--sankey", "--stats", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "ordering: exact" in r.output and "crossings:" in r.output
    assert "smallest text at final size:" in r.output
