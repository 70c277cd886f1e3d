"""Every ``$ flowviz …`` example of the README is the command's real output, compared whole.

Examples on the stored FY2024 year need ``../shared/data/rs2024`` (the README imports it first);
without it only the examples on files run. Regenerate with ``python -m tests.readme_examples --write``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .readme_examples import ROOT, commands, needs_store, normalise, run

README = (ROOT / "README.md").read_text("utf-8")
HAVE_DATA = (ROOT.parent / "shared" / "data" / "rs2024").is_dir()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("readme") / "flowviz.db"


def test_readme_examples_are_real_output(store: Path):
    checked = 0
    for line, shown in commands(README):
        if needs_store(line) and not HAVE_DATA:
            continue
        got = run(line, store)
        assert got == normalise(shown), f"README example differs: $ {line}"
        checked += 1
    assert checked >= 15
