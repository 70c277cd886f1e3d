"""The English glossary: every entry says where its name comes from, and every ministry and
agency of the FY2024 sheets has its official English name (part by part for 省 + 庁 paths);
bureaus are covered for most projects, the rest read in Hepburn beside the original."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flowviz.i18n import JAPANESE, Translator, glossary, language

from ..store.test_questions_real import store  # noqa: F401  (the FY2024 store fixture)


def test_every_organisation_has_its_source():
    g = glossary()
    assert sorted(set(g["organisations"]) - set(g["organisation_sources"])) == []
    assert all(not JAPANESE.search(v) for v in g["organisations"].values())


def test_every_ministry_of_the_year_has_its_official_name(store: Path):  # noqa: F811
    with sqlite3.connect(store) as con:
        rows = con.execute("SELECT ministry, bureau FROM projects").fetchall()
    with language("en"):
        tx = Translator()
        ministries = {m for m, _ in rows}
        assert sorted(m for m in ministries if tx._official(m) is None) == []
        with_bureau = [b for _, b in rows if b]
        named = sum(tx._official(b) is not None for b in with_bureau)
    assert named / len(with_bureau) >= 0.85, (named, len(with_bureau))
