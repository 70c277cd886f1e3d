"""Every picture carries generated alternative text in <title>/<desc> and aria attributes, in
the document's language, at most 250 characters, its figures computed here from the published
file (plain JSON arithmetic)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from flowviz.i18n import language
from flowviz.money import format_yen_short
from flowviz.render.layout import sankey_layout
from flowviz.render.sankey_svg import sankey_svg
from flowviz.sources import read

from ..conftest import EXAMPLE

NS = {"s": "http://www.w3.org/2000/svg"}


def _desc(svg: str) -> tuple[ET.Element, str]:
    root = ET.fromstring(svg)
    desc = root.find("s:desc", NS)
    assert root.get("role") == "img" and root.find("s:title", NS) is not None
    assert desc is not None and root.get("aria-describedby") == desc.get("id")
    return root, desc.text or ""


def test_0048_alt_text_in_both_languages():
    data = json.loads(EXAMPLE.read_text("utf-8"))
    million = 1_000_000  # the file's unit is 百万円
    assert data["unit"] == "百万円"
    paid = sum(f["amount"] for f in data["flows"] if f["source"] == "mic") * million
    received = {f["target"]: f["amount"] * million for f in data["flows"]}
    payees = len(received)
    top = max(received.values())
    doc = read(EXAMPLE)
    for lang, said in (("ja", f"{payees}団体"), ("en", f"{payees} organisations")):
        with language(lang):
            _, text = _desc(sankey_svg(sankey_layout(doc)))
            assert len(text) <= 250, text
            assert said in text
            assert format_yen_short(paid) in text and format_yen_short(top) in text
    with language("en"):
        _, text = _desc(sankey_svg(sankey_layout(doc)))
    assert "Ministry of Internal Affairs and Communications" in text
