"""The README's console examples, run for real: the test compares them whole, and
``python -m tests.readme_examples --write`` rewrites them from the commands' output.

Every ``$ flowviz …`` line of a ```console block runs in bash from the repository root (with
``.venv/bin`` first on PATH and the store in ``$FLOWVIZ_DB``); the lines up to the next ``$`` are
its output. Timings (``in 4.4s``) and the store's temporary path are normalised.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"```console\n(.*?)```", re.S)
TIMING = re.compile(r"in [0-9]+(\.[0-9]+)?s\b")


def commands(readme: str) -> list[tuple[str, str]]:
    """(command line, the output the README shows) for every ``$`` line of every console block."""
    out = []
    for block in BLOCK.findall(readme):
        parts = re.split(r"^\$ ", block, flags=re.M)
        for part in parts[1:]:
            line, _, shown = part.partition("\n")
            if line.startswith("flowviz "):
                out.append((line, shown))
    return out


def run(line: str, db: Path) -> str:
    env = dict(os.environ, FLOWVIZ_DB=str(db), COLUMNS="200")
    env["PATH"] = f"{ROOT / '.venv' / 'bin'}:{env.get('PATH', '')}"
    proc = subprocess.run(
        ["bash", "-c", line], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    text = proc.stdout.replace(str(db), "flowviz.db")
    return normalise(text)


def normalise(text: str) -> str:
    return TIMING.sub("in <time>s", text)


def needs_store(line: str) -> bool:
    return any(
        w in line
        for w in (
            "--project",
            "-p ",
            "import",
            "projects",
            "payee",
            "--all",
            "--ministry",
            "contracts",
            "concentration",
            "indicators",
        )
    )


def rewrite(readme: str, db: Path) -> str:
    def block(m: re.Match) -> str:
        parts = re.split(r"^\$ ", m.group(1), flags=re.M)
        body = parts[0]
        for part in parts[1:]:
            line, _, shown = part.partition("\n")
            out = (
                run(line, db).replace("in <time>s", "in 4.2s")
                if line.startswith("flowviz ")
                else shown
            )
            body += f"$ {line}\n{out}"
        return f"```console\n{body}```"

    return BLOCK.sub(block, readme)


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = ROOT / "README.md"
        new = rewrite(path.read_text("utf-8"), Path(tmp) / "flowviz.db")
        if "--write" in sys.argv:
            path.write_text(new, "utf-8")
        else:
            sys.stdout.write(new)
