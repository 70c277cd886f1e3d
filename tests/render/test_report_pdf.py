"""The report prints: `report --pdf` gives A4 pages (wide diagrams on landscape pages), page
numbers and the source on every page, and the totals in the PDF's own text (read with pypdf)."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from typer.testing import CliRunner

from flowviz.cli import app

from ..conftest import EXAMPLE
from ..rs.test_fy2024_truth import RS2024
from ..store.test_questions_real import store  # noqa: F401  (the FY2024 store fixture)

runner = CliRunner()
A4 = {(595, 842), (842, 595)}


def pages(pdf: Path) -> list[tuple[tuple[int, int], str]]:
    reader = pypdf.PdfReader(pdf)
    return [
        ((round(float(p.mediabox.width)), round(float(p.mediabox.height))), p.extract_text())
        for p in reader.pages
    ]


def test_0048_report_prints_on_a4_with_numbers_and_source(tmp_path: Path):
    r = runner.invoke(app, ["report", str(EXAMPLE), "--pdf", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    got = pages(tmp_path / "mic-2017-0048.report.pdf")
    assert 2 <= len(got) <= 8 and {size for size, _ in got} <= A4
    for n, (_, text) in enumerate(got, 1):
        assert f"{n} / {len(got)}" in text and "0048" in text  # page number and the source
    whole = "".join(text for _, text in got)
    assert "26,818,000,000" in whole and "15,000,000" in whole
    assert len(got[0][1]) > 400  # the first page is not left mostly blank


@pytest.mark.skipif(not RS2024.is_dir(), reason="../shared/data/rs2024 not present")
def test_7259_report_pdf(store: Path, tmp_path: Path):  # noqa: F811
    r = runner.invoke(
        app, ["report", "-p", "7259", "--pdf", "--out", str(tmp_path), "--db", str(store)]
    )
    assert r.exit_code == 0, r.output
    got = pages(tmp_path / "rs2024-7259.report.pdf")
    assert {size for size, _ in got} <= A4 and (842, 595) in {size for size, _ in got}
    assert "2,939,361,285,000" in "".join(text for _, text in got)
