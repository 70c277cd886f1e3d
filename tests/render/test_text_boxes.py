"""Nothing outside the picture: every line of text of the Sankey (seed, 250 FY2024 projects,
the aggregate views), and the budget chart lie inside the SVG's viewBox, in
Japanese and in English, measured with the real font as the layout measures it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from flowviz.analysis.aggregate import aggregate_document
from flowviz.i18n import language
from flowviz.render.budget_chart import budget_chart
from flowviz.render.fit import fit_to_width
from flowviz.render.layout import sankey_layout
from flowviz.render.sankey_svg import sankey_svg
from flowviz.sources import read
from flowviz.store.rs_document import document_from_store

from ..conftest import EXAMPLE
from ..rs.test_fy2024_truth import RS2024
from ..store.test_questions_real import store  # noqa: F401  (the FY2024 store fixture)
from .svg_boxes import outside

real = pytest.mark.skipif(not RS2024.is_dir(), reason="../shared/data/rs2024 not present")
LANGS = ["ja", "en"]


@pytest.mark.parametrize("lang", LANGS)
def test_seed_pictures_and_budget_chart_stay_inside(lang: str):
    doc = read(EXAMPLE)
    with language(lang):
        for svg in (sankey_svg(sankey_layout(doc)), sankey_svg(fit_to_width(doc, 800))):
            assert outside(svg) == []
        chart = budget_chart(doc)
        assert (
            outside(chart) == [] and "（億円）" in chart if lang == "ja" else "(¥ billion)" in chart
        )


def test_the_checker_finds_text_past_the_edge():
    svg = sankey_svg(sankey_layout(read(EXAMPLE)))
    assert outside(svg.replace("</svg>", '<text x="5" y="-3">はみ出す</text></svg>')) != []


@real
@pytest.mark.parametrize("lang", LANGS)
def test_250_projects_and_the_aggregate_views_stay_inside(store: Path, lang: str):  # noqa: F811
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
    found, drawn = {}, 0
    with language(lang):
        docs = [document_from_store(con, 2024, pid) for pid in ids[::step][:250]]
        docs += [aggregate_document(con, 2024, m, 10) for m in (None, "経済産業省")]
        for doc in docs:
            if not doc.flows:
                continue
            drawn += 1
            bad = outside(sankey_svg(sankey_layout(doc))) + outside(
                budget_chart(doc)
                or "<svg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/>"
            )
            if bad:
                found[doc.project.id] = bad[:3]
    con.close()
    assert drawn >= 200 and found == {}
