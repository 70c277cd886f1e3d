"""Pictures for where they go: --width fits the Sankey with text ≥ 11 px by condensing, and
says what was condensed; the money of merged organisations is kept exactly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowviz.analysis.aggregate import aggregate_document
from flowviz.cli import app
from flowviz.money import format_yen_short
from flowviz.render.fit import condense, fit_to_width
from flowviz.render.sankey_svg import sankey_svg
from flowviz.sources import read
from flowviz.store.rs_document import document_from_store

from ..conftest import EXAMPLE
from ..rs.test_fy2024_truth import RS2024
from ..store.test_questions_real import store  # noqa: F401  (the FY2024 store fixture)
from .svg_boxes import collisions, smallest_text_px

real = pytest.mark.skipif(not RS2024.is_dir(), reason="../shared/data/rs2024 not present")
runner = CliRunner()


def test_short_amounts_are_marked_when_rounded():
    assert format_yen_short(2_939_361_285_000) == "約2.94兆円"
    assert format_yen_short(10**12) == "1兆円"
    assert format_yen_short(402_145_128_000) == "約4,021億円"
    assert format_yen_short(26_818_000_000) == "約268億円"
    assert format_yen_short(5_000) == "5,000円"


def test_seed_at_article_width():
    svg = sankey_svg(fit_to_width(read(EXAMPLE), 800))
    assert smallest_text_px(svg) >= 11 and collisions(svg) == []
    assert 'width="800"' in svg and "概数" in svg


def test_condensing_keeps_every_flow_and_its_amount():
    doc = read(EXAMPLE)
    small = condense(doc, 1)
    assert [f.amount_yen for f in small.flows] == [f.amount_yen for f in doc.flows]
    assert len(small.entities) <= len(doc.entities)


def test_too_narrow_is_refused_with_advice(tmp_path: Path):
    r = runner.invoke(app, ["render", str(EXAMPLE), "--width", "200", "--out", str(tmp_path)])
    assert r.exit_code == 1 and "320 px" in r.output and not list(tmp_path.iterdir())
    r = runner.invoke(app, ["render", str(EXAMPLE), "--width", "800", "--style", "poster"])
    assert r.exit_code == 1 and "cannot be used together" in r.output


@real
def test_7259_and_an_aggregate_at_800_px(store: Path, tmp_path: Path):  # noqa: F811
    r = runner.invoke(
        app,
        [
            "render",
            "-p",
            "7259",
            "--sankey",
            "--width",
            "800",
            "-f",
            "svg,png",
            "--out",
            str(tmp_path),
            "--db",
            str(store),
        ],
    )
    assert r.exit_code == 0, r.output
    svg = (tmp_path / "rs2024-7259.sankey.svg").read_text("utf-8")
    assert smallest_text_px(svg) >= 11 and collisions(svg) == []
    assert (tmp_path / "rs2024-7259.sankey.png").stat().st_size > 50_000
    con = sqlite3.connect(store)
    con.row_factory = sqlite3.Row
    agg = aggregate_document(con, 2024, "経済産業省", 10)
    big = document_from_store(con, 2024, "860")
    con.close()
    for doc in (agg, big):
        svg = sankey_svg(fit_to_width(doc, 800))
        assert smallest_text_px(svg) >= 11 and collisions(svg) == []
