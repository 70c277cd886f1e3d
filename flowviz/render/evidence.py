"""An evidence pack: for every finding the rule and its method, the figures, the published rows
it rests on (file, line, cells as published) and the command that reproduces it; one Markdown
summary a newsroom can attach to a story. Pure text: the caller writes the files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flowviz.analysis.methods import METHODS, method_markdown
from flowviz.render.tables import to_json

TITLE = "# flowviz evidence pack"
SOURCES = (
    "RS system open data (行政事業レビュー見える化サイト), 公共データ利用規約 第1.0版 (PDL1.0);"
    " old-format sheets: JUDGIT! / 構想日本, CC BY 4.0"
)


def _md(text: Any) -> str:
    """A table cell or line of Markdown that cannot break the layout or run as HTML."""
    s = " ".join(str("" if text is None else text).split())
    for ch in "\\|`*_[]<>#":
        s = s.replace(ch, "\\" + ch)
    return s


def _code(text: Any) -> str:
    """A code span: Markdown escapes do not work inside one, so backticks and breaks go."""
    return "`" + " ".join(str(text).split()).replace("`", "'") + "`"


def _fenced(text: Any, info: str) -> list[str]:
    """A fenced code block no line of ``text`` can close: its fence is longer than any run of
    backticks inside (CommonMark 4.5), so a name holding a line break and a fence stays code."""
    body = str(text or "")
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + info, body, fence]


def finding_markdown(n: int, f: dict[str, Any]) -> str:
    key = f.get("rule_id") or f.get("indicator")
    lines = [f"# F{n:04d} {_md(key)} {_md(METHODS[key].title if key in METHODS else '')}", ""]
    lines += [f"**Finding.** {_md(f.get('message'))}", ""]
    # a backtick from the data could close the fence: written as the JSON escape \u0060
    figures = to_json(f.get("figures", {})).strip().replace("`", "\\u0060")
    lines += ["## Figures", "", "```json", figures, "```", ""]
    lines += ["## Published rows", ""]
    rows = f.get("rows") or []
    if not rows:
        lines.append("No stored rows: the input was a file; see its JSON path in the figures.")
    for r in rows:
        cells = "; ".join(
            f"{_md(k)}: {_md(v)}" for k, v in r["cells"].items() if v not in (None, "")
        )
        lines.append(f"- {_code(r['file'])} line {r['line']}: {cells}")
    lines += ["", "## Method", ""]
    lines.append(method_markdown(key) if key in METHODS else "(no method note)")
    lines += [
        "## Reproduce",
        "",
        *_fenced(f.get("reproduce", ""), "sh"),
        "",
        f"Sources: {SOURCES}",
        "",
    ]
    return "\n".join(lines)


def evidence_pack(findings: list[dict[str, Any]], command: str) -> dict[str, str]:
    """File name → text: README.md (the summary), findings.json and F0001.md … per finding."""
    files = {f"F{n:04d}.md": finding_markdown(n, f) for n, f in enumerate(findings, 1)}
    summary = [
        TITLE,
        "",
        f"Made by {_code(command)}. {len(findings)} findings; each file names the published rows,",
        "the figures, the rule's method and the command that reproduces it.",
        "",
        "| # | rule | project | organisation | finding |",
        "| --- | --- | --- | --- | --- |",
    ]
    for n, f in enumerate(findings, 1):
        key = f.get("rule_id") or f.get("indicator")
        summary.append(
            f"| [F{n:04d}](F{n:04d}.md) | {_md(key)} | {_md(f.get('project_id'))} |"
            f" {_md(f.get('entity'))} | {_md(f.get('message'))} |"
        )
    summary += ["", f"Sources: {SOURCES}", ""]
    files["README.md"] = "\n".join(summary)
    files["findings.json"] = to_json(findings)
    return files


def is_pack(folder: Path) -> bool:
    """An earlier evidence pack: its README.md begins with the pack's title."""
    try:
        with (folder / "README.md").open("rb") as f:
            return f.read(len(TITLE)) == TITLE.encode()
    except OSError:
        return False
