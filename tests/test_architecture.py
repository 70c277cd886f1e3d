"""The architecture's rules, measured: rooms import only rooms before them, and modules,
functions and commands stay small (scripts/room_sizes.py prints the same report)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import jsonschema
import pytest

from flowviz.exceptions import FlowDataError
from flowviz.sources import read
from flowviz.sources.schema import schema

from .conftest import DATA, ROOT

spec = importlib.util.spec_from_file_location("room_sizes", ROOT / "scripts" / "room_sizes.py")
room_sizes = importlib.util.module_from_spec(spec)
spec.loader.exec_module(room_sizes)


@pytest.mark.parametrize("rule", list(room_sizes.report()))
def test_room_rule_holds(rule):
    assert room_sizes.report()[rule] == []


def test_no_import_circle_between_modules():
    graph = {name: room_sizes.imports(path) for name, path in room_sizes.modules().items()}
    graph = {k: {m for m in v if m in graph and m != k} for k, v in graph.items()}
    # top-level imports only would be stricter; any circle through module-level imports fails here
    state: dict[str, int] = {}

    def visit(n: str, stack: list[str]) -> None:
        state[n] = 1
        for m in graph[n]:
            if state.get(m) == 1 and m not in ("flowviz", "flowviz.analysis", "flowviz.cli"):
                raise AssertionError(" → ".join([*stack, n, m]))
            if m not in state:
                visit(m, [*stack, n])
        state[n] = 2

    for n in graph:
        if n not in state:
            visit(n, [])


GOOD = [ROOT / "examples" / "0048.json", ROOT / "examples" / "four-kinds.json"] + [
    p for p in DATA.glob("*.json") if p.name != "hostile.json"
]


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_what_the_reader_accepts_the_published_schema_accepts(path: Path):
    read(path)
    jsonschema.validate(json.loads(path.read_text("utf-8-sig")), schema())


@pytest.mark.parametrize("path", sorted((DATA / "bad").glob("*.json")), ids=lambda p: p.name)
def test_what_the_schema_rejects_the_reader_rejects(path: Path):
    if path.name == "expected.json":
        return
    try:
        schema_ok = jsonschema.Draft202012Validator(schema()).is_valid(
            json.loads(path.read_text("utf-8"))
        )
    except ValueError:
        schema_ok = False
    if schema_ok:  # the reader checks more than the schema can (check digits, references)
        pytest.skip("valid against the schema; the reader's own checks are tested elsewhere")
    with pytest.raises(FlowDataError):
        read(path)


def test_every_command_is_mapped_to_its_module_for_a_quick_start():
    """flowviz.cli.main registers only the module of the command asked for: the map must be whole."""
    import typer.main

    from flowviz.cli import COMMANDS, load

    app = load()
    group = typer.main.get_command(app)
    registered = {
        name: cmd.callback.__module__.rsplit(".", 1)[-1] for name, cmd in group.commands.items()
    }
    assert registered == COMMANDS
