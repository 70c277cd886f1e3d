"""The hand-kept identities file and the 法人番号 registry's published layout, read at the edge."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowviz.exceptions import FlowDataError
from flowviz.sources.identities_file import read_identities
from flowviz.sources.nta_registry import read_registry
from flowviz.store.identity_links import bundled_links

DATA = Path(__file__).parents[1] / "data" / "identity"
HEADER = "corporate_number,same_as,sheet_years,note\n"


def test_the_bundled_links_carry_their_evidence():
    (dentsu,) = [link for link in bundled_links() if link.corporate_number == "4010401048922"]
    assert dentsu.same_as == "5010401143788" and dentsu.last_year == 2020
    assert dentsu.first_year is None and "有価証券報告書" in dentsu.note
    assert dentsu.covers(2020) and not dentsu.covers(2021)


@pytest.mark.parametrize(
    "years, first, last",
    [
        ("2016-2020", 2016, 2020),
        ("-2020", None, 2020),
        ("2021-", 2021, None),
        ("2019", 2019, 2019),
        ("", None, None),
    ],
)
def test_sheet_years_forms(tmp_path: Path, years: str, first: int | None, last: int | None):
    p = _file(tmp_path, HEADER + f"4010401048922,5010401143788,{years},x\n")
    (link,) = read_identities(p, "f.csv")
    assert (link.first_year, link.last_year) == (first, last)
    assert link.source == "f.csv line 2"


def _file(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "f.csv"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "line, where",
    [
        ("4010401048923,5010401143788,,x", "line 2, column corporate_number"),  # check digit
        ("4010401048922,12345,,x", "line 2, column same_as"),
        ("4010401048922,9999999999999,,x", "line 2, column same_as"),
        ("4010401048922,5010401143788,2020-2016,x", "line 2, column sheet_years"),
        ("4010401048922,5010401143788,twenty,x", "line 2, column sheet_years"),
        ("4010401048922,4010401048922,,x", "line 2"),
        ("4010401048922,5010401143788,," + "x" * 3000, "line 2, column note"),
    ],
)
def test_a_bad_cell_is_named_with_its_line_and_column(tmp_path: Path, line: str, where: str):
    p = _file(tmp_path, HEADER + line + "\n")
    with pytest.raises(FlowDataError) as e:
        read_identities(p)
    assert str(e.value).startswith(f"{p}: {where}: ")
    assert "\n" not in str(e.value)


def test_a_file_without_the_header_or_not_utf8_is_refused(tmp_path: Path):
    with pytest.raises(FlowDataError, match="line 1: expected the header"):
        read_identities(_file(tmp_path, "a,b\n"))
    p = tmp_path / "x.csv"
    p.write_bytes(HEADER.encode() + "4010401048922,5010401143788,,電通\n".encode("cp932"))
    with pytest.raises(FlowDataError, match="not UTF-8"):
        read_identities(p)


def test_the_registry_layout_is_read_with_closures_and_successors():
    regs = {r.corporate_number: r for r in read_registry(DATA / "registry.csv")}
    assert set(regs) == {
        "5010401143788",
        "4010401048922",
        "7010701007922",
        "6010601062093",
        "9010601021385",
    }
    assert regs["4010401048922"].name == "株式会社電通グループ"
    assert regs["4010401048922"].en_name == "DENTSU GROUP INC."
    closed = regs["9010601021385"]
    assert closed.closed and closed.close_cause == "合併による解散等"
    assert closed.successor == "6010601062093"
    assert not regs["6010601062093"].closed
    wanted = {"7010701007922"}
    assert [r.corporate_number for r in read_registry(DATA / "registry.csv", wanted)] == [
        "7010701007922"
    ]


def test_the_registry_in_a_zip_and_in_shift_jis(tmp_path: Path):
    import zipfile

    text = (DATA / "registry.csv").read_text(encoding="utf-8")
    z = tmp_path / "00_zenkoku_all_20231031.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("00_zenkoku_all_20231031.csv", text.encode("cp932"))
    assert len(list(read_registry(z))) == 5


def test_another_layout_is_refused_with_its_line(tmp_path: Path):
    p = tmp_path / "r.csv"
    p.write_text("1,2,3\n", encoding="utf-8")
    with pytest.raises(FlowDataError, match=r"r.csv: line 1: expected the registry's layout"):
        list(read_registry(p))
