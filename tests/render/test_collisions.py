"""No text collisions, proved from the SVG: no two lines of text overlap, and no label (or its
white halo) covers the start of a band — on the seed, on 250 real FY2024 projects and on both
aggregate views. Text is measured with the installed Noto Sans CJK, as the layout measures it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from flowviz.analysis.aggregate import aggregate_document
from flowviz.render.layout import sankey_layout
from flowviz.render.sankey_svg import sankey_svg
from flowviz.sources import read
from flowviz.store.rs_document import document_from_store

from ..conftest import EXAMPLE
from ..rs.test_fy2024_truth import RS2024
from ..store.test_questions_real import store  # noqa: F401  (the FY2024 store fixture)
from .svg_boxes import collisions

real = pytest.mark.skipif(not RS2024.is_dir(), reason="../shared/data/rs2024 not present")


def test_the_seed_has_no_collisions():
    assert collisions(sankey_svg(sankey_layout(read(EXAMPLE)))) == []


def test_the_checker_finds_a_label_over_a_band():
    svg = sankey_svg(sankey_layout(read(EXAMPLE)))
    bad = svg.replace("</svg>", '<text x="60" y="120" font-size="12">ここに重なる文字</text></svg>')
    assert collisions(bad) != collisions(svg)


@real
def test_250_real_projects_have_no_collisions(store: Path):  # noqa: F811
    con = sqlite3.connect(store)
    con.row_factory = sqlite3.Row
    ids = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT project_id FROM block_links WHERE year = 2024"
            " ORDER BY CAST(project_id AS INTEGER)"
        )
    ]
    step = max(len(ids) // 250, 1)
    found = {}
    drawn = 0
    for pid in ids[::step][:250]:
        doc = document_from_store(con, 2024, pid)
        if doc.flows:
            drawn += 1
            c = collisions(sankey_svg(sankey_layout(doc)))
            if c:
                found[pid] = c[:3]
    con.close()
    assert drawn >= 200 and found == {}


@real
@pytest.mark.parametrize("ministry", [None, "経済産業省"])
def test_aggregate_views_have_no_collisions(store: Path, ministry):  # noqa: F811
    con = sqlite3.connect(store)
    con.row_factory = sqlite3.Row
    doc = aggregate_document(con, 2024, ministry, 10)
    con.close()
    assert collisions(sankey_svg(sankey_layout(doc))) == []


@real
@pytest.mark.parametrize("pid", ["142", "3936", "5543", "5943"])
def test_crossing_projects_certificates_are_recounted_and_never_worse(store: Path, pid):  # noqa: F811
    """The FY2024 projects whose one-pass order crossed bands: the certificate in each SVG
    matches a recount from its geometry, and the new order crosses no more weight than before."""
    from dataclasses import replace

    from flowviz.render.figure import LayoutOptions
    from flowviz.render.measures import measure

    from .certificate import mismatches

    con = sqlite3.connect(store)
    con.row_factory = sqlite3.Row
    doc = document_from_store(con, 2024, pid)
    con.close()
    before = measure(sankey_layout(doc, replace(LayoutOptions(), ordering="one-pass")))
    fig = sankey_layout(doc)
    svg = sankey_svg(fig)
    assert mismatches(svg) == [] and collisions(svg) == []
    after = measure(fig)
    assert before.crossings > 0
    assert after.weighted_crossings <= before.weighted_crossings + 1e-6
    assert after.ordering == "exact" and after.gap == 0
