"""Report the architecture's size rules: modules over 400 lines, functions over 60 lines,
CLI commands whose body (after the signature and docstring) is over 30 lines, and imports that point the wrong way between rooms.

Run: python scripts/room_sizes.py (exit 1 when a rule is broken). tests/test_architecture.py
runs the same checks.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "flowviz"
#: the rooms in the order money moves through them; a room imports only rooms before it
ROOMS = ["base", "sources", "store", "analysis", "render", "cli"]
FACADES = {"flowviz/__init__.py", "flowviz/__main__.py", "flowviz/notebook.py"}
MAX_MODULE, MAX_FUNCTION, MAX_COMMAND = 400, 60, 30


def room_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ROOMS else "base"


def modules() -> dict[str, Path]:
    out = {}
    for p in sorted(PACKAGE.rglob("*.py")):
        rel = p.relative_to(ROOT).with_suffix("")
        name = ".".join(rel.parts)
        out[name.removesuffix(".__init__")] = p
    return out


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("flowviz"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("flowviz")}
    return found


def _body_lines(f: ast.FunctionDef) -> int:
    """A command's lines after its signature and docstring: what it does, not its options."""
    body = (
        f.body[1:]
        if isinstance(f.body[0], ast.Expr) and isinstance(f.body[0].value, ast.Constant)
        else f.body
    )
    return f.end_lineno - body[0].lineno + 1 if body else 0


def report() -> dict[str, list[str]]:
    big, long_functions, long_commands, wrong_way = [], [], [], []
    for name, path in modules().items():
        rel = str(path.relative_to(ROOT))
        src = path.read_text("utf-8")
        n = len(src.splitlines())
        if n > MAX_MODULE:
            big.append(f"{rel} ({n})")
        for f in ast.walk(ast.parse(src)):
            if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = f.end_lineno - f.lineno + 1
                is_command = any(
                    isinstance(d, ast.Call) and getattr(d.func, "attr", "") == "command"
                    for d in f.decorator_list
                )
                if is_command:
                    if _body_lines(f) > MAX_COMMAND:
                        long_commands.append(f"{rel}:{f.name} ({_body_lines(f)})")
                elif length > MAX_FUNCTION:
                    long_functions.append(f"{rel}:{f.name} ({length})")
        if rel in FACADES:
            continue
        mine = ROOMS.index(room_of(name))
        for imported in imports(path):
            theirs = ROOMS.index(room_of(imported))
            if theirs > mine:
                wrong_way.append(
                    f"{rel} imports {imported} ({room_of(imported)} is after {room_of(name)})"
                )
    return {
        f"modules over {MAX_MODULE} lines": big,
        f"functions over {MAX_FUNCTION} lines": long_functions,
        f"CLI commands over {MAX_COMMAND} lines": long_commands,
        "imports against the flow": wrong_way,
    }


if __name__ == "__main__":
    broken = False
    for rule, items in report().items():
        print(f"{rule}: {len(items)}")
        for item in items:
            print(f"  {item}")
        broken |= bool(items)
    print(f"modules: {len(modules())}")
    sys.exit(1 if broken else 0)
