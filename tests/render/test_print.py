"""Print that reads at print size: on the A4 PDFs of 0048, 7259 and a history report the
smallest glyph, measured from the PDF's own text operators (pypdf: font size × text matrix ×
transformation), is 7 pt or more; a picture that cannot print that large is left out of print
and the page says where to find it."""

from __future__ import annotations

import math
from pathlib import Path

import pypdf
import pytest
from typer.testing import CliRunner

from flowviz.cli import app
from flowviz.render.print_fit import MIN_PT, print_fit

from ..browser import chromium
from ..conftest import EXAMPLE
from .test_english_documents import sample  # noqa: F401  (projects 1, 11 and 7259 of FY2024)

runner = CliRunner()


def smallest_glyph(pdf: Path) -> tuple[float, int, str]:
    """(size in pt, page, text) of the smallest run of text drawn in ``pdf``."""
    found: list[tuple[float, int, str]] = []
    for n, page in enumerate(pypdf.PdfReader(pdf).pages, 1):

        def seen(text, cm, tm, font, size, n=n):  # noqa: ANN001
            if text.strip():
                a = tm[0] * cm[0] + tm[1] * cm[2]
                b = tm[0] * cm[1] + tm[1] * cm[3]
                c = tm[2] * cm[0] + tm[3] * cm[2]
                d = tm[2] * cm[1] + tm[3] * cm[3]
                found.append((size * math.sqrt(abs(a * d - b * c)), n, text.strip()))

        page.extract_text(visitor_text=seen)
    return min(found)


def _pdf(args: list[str], out: Path) -> Path:
    r = runner.invoke(app, [*args, "--pdf", "--out", str(out)])
    assert r.exit_code == 0, r.output
    (pdf,) = out.glob("*.pdf")
    return pdf


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_reports_and_a_history_print_at_7pt_or_more(sample: Path, tmp_path: Path, lang: str):  # noqa: F811
    chromium()
    db = ["--db", str(sample), "--lang", lang]
    pdfs = [
        _pdf(["report", str(EXAMPLE), "--lang", lang], tmp_path / "0048"),
        _pdf(["report", "-p", "7259", *db], tmp_path / "7259"),
        _pdf(["report", "--history", "7259", *db], tmp_path / "history"),
    ]
    small = {p.name: smallest_glyph(p) for p in pdfs}
    assert {k: v for k, v in small.items() if v[0] < MIN_PT - 0.01} == {}


def test_a_picture_too_small_for_paper_is_left_out_and_said(sample: Path, tmp_path: Path):  # noqa: F811
    r = runner.invoke(app, ["report", "-p", "7259", "--db", str(sample), "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    page = next(tmp_path.glob("*.report.html")).read_text("utf-8")
    dot = page[page.find('<section id="dot"') :]
    dot = dot[: dot.find("</section>")]
    fit = print_fit(dot[dot.find("<svg") :])
    assert not fit.prints and "print-omit" in dot and f"{fit.smallest_pt:g}pt" in dot
