"""The message catalogue (flowviz/messages.py): every ``msg("…")`` and ``N_("…")`` in the code has
an English entry with the same placeholders, the catalogue holds nothing unused, and no English
entry holds Japanese — what ``msgfmt --check`` would check for a .po file."""

from __future__ import annotations

import ast
from pathlib import Path

from flowviz.i18n import JAPANESE, language
from flowviz.messages import catalogue, fields, msg

ROOT = Path(__file__).resolve().parent.parent / "flowviz"


def keys_in_code() -> dict[str, str]:
    """Every literal message key → where it is used."""
    found: dict[str, str] = {}
    for path in sorted(ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("msg", "N_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.setdefault(node.args[0].value, f"{path.name}:{node.lineno}")
    return found


def test_every_message_has_english_with_the_same_placeholders():
    en = catalogue()
    missing = {k: where for k, where in keys_in_code().items() if k not in en}
    assert missing == {}
    wrong = {k: v for k, v in en.items() if fields(k) != fields(v)}
    assert wrong == {}


def test_the_catalogue_holds_no_unused_entry_and_no_japanese():
    used = keys_in_code()
    assert sorted(k for k in catalogue() if k not in used) == []
    assert {k: v for k, v in catalogue().items() if JAPANESE.search(v)} == {}


def test_msg_picks_the_documents_language():
    key = "金額不明のつながり: {n}件（金額が公表されていない。0円ではない）"
    assert msg(key, n=2) == "金額不明のつながり: 2件（金額が公表されていない。0円ではない）"
    with language("en"):
        assert msg(key, n=2) == catalogue()[key].format(n=2)
        assert "2" in msg(key, n=2) and not JAPANESE.search(msg(key, n=2))
