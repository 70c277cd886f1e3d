"""Indicator arithmetic on small inputs: quartiles as pandas computes them, settings files,
graded procedures and name stems."""

from __future__ import annotations

import statistics
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flowviz.analysis.groups import name_stem
from flowviz.analysis.indicators import contract_indicators, load_settings
from flowviz.analysis.judging import quartiles
from flowviz.exceptions import OptionError
from flowviz.procedures import procedure_grade


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=2, max_size=60))
def test_quartiles_are_linear_interpolation(values: list[Decimal]):
    assert list(quartiles(values)) == statistics.quantiles(values, n=4, method="inclusive")


@pytest.mark.parametrize(
    "method, grade",
    [
        ("一般競争契約（最低価格）", 0),
        ("指名競争契約（総合評価）", 1),
        ("随意契約（公募）", 1),
        ("随意契約（企画競争）", 1),
        ("随意契約（その他）", 2),
        ("随意契約（少額）", 2),
        ("補助金等交付", 3),
        ("", 4),
    ],
)
def test_procedure_grades(method: str, grade: int):
    assert procedure_grade(method) == grade


def test_settings_file_changes_the_fence_and_refuses_unknown_keys(tmp_path: Path):
    rows = [
        {
            "ministry": f"m{i}",
            "method": "随意契約（その他）" if i == 0 else "一般競争契約",
            "bidders": 2,
            "award_rate": None,
            "contract_value_yen": 1,
            "reason": "",
            "payee": "x",
            "corporate_number": "",
        }
        for i in range(8)
        for _ in range(5)
    ]
    default = [r for r in contract_indicators(rows) if r["indicator"] == "non_competitive_pct"]
    assert [r["unit"] for r in default if r["flagged"]] == ["m0"]
    f = tmp_path / "ind.toml"
    f.write_text("min_sample = 6\n", "utf-8")
    strict = contract_indicators(rows, settings=load_settings(f))
    assert not any(r["judged"] for r in strict)
    f.write_text("fence = 3\n", "utf-8")
    with pytest.raises(OptionError, match="ind.toml: unknown key 'fence'"):
        load_settings(f)


def test_name_stems_drop_legal_forms_and_hoka():
    assert name_stem("株式会社博報堂プロダクツほか") == "博報堂プロダクツ"
    assert name_stem("（株）電通") == "電通"


def test_the_readme_settings_example_is_the_default(tmp_path: Path):
    from flowviz.analysis.indicators import Settings

    from ..conftest import ROOT

    readme = (ROOT / "README.md").read_text("utf-8")
    block = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "indicators.toml"
    path.write_text(block, "utf-8")
    assert load_settings(path) == Settings()
