"""The package's imports run one way: declared layers, no cycles, xlwings and pandas kept in their rooms.

The contracts live in pyproject.toml ([tool.importlinter]); import-linter checks them here and in CI.
The cycle test is independent of import-linter: strongly connected components of grimp's graph,
which records imports inside functions too (a lazy import does not excuse a cycle).
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "pyproject.toml"


def _contracts() -> list[dict]:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]


def _layers() -> list[list[str]]:
    (layers,) = [c["layers"] for c in _contracts() if c["type"] == "layers"]
    return [[m.strip() for m in layer.split("|")] for layer in layers]


def cycles(graph) -> list[set[str]]:
    """Every set of modules that import each other, directly or through others (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.find_modules_directly_imported_by(v):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(component)

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("xlreport")


def test_the_import_contracts_hold():
    # In a process of its own: import-linter reconfigures logging, which the ribbon's log tests use.
    run = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()",
                          "--config", str(CONFIG)],
                         capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 0, run.stdout + run.stderr


def test_no_module_is_part_of_an_import_cycle(graph):
    assert cycles(graph) == []


def test_a_lazy_import_back_up_the_layers_is_seen_as_a_cycle():
    # Cell references made through the checks (as the reader once made findings) close a loop.
    graph = grimp.build_graph("xlreport")
    graph.add_import(importer="xlreport.workbook.names", imported="xlreport.checks.report",
                     line_number=1, line_contents="    from ..checks.report import finding")
    assert any({"xlreport.workbook.names", "xlreport.checks.report"} <= c for c in cycles(graph))


def test_every_room_of_the_package_is_in_a_declared_layer(graph):
    declared = {m for layer in _layers() for m in layer}
    rooms = {m for m in graph.find_children("xlreport")}
    assert rooms - declared == set()


def test_the_layers_name_only_rooms_that_exist(graph):
    declared = {m for layer in _layers() for m in layer}
    assert declared - set(graph.find_children("xlreport")) == set()


@pytest.mark.parametrize("library, its_room", [("pandas", "xlreport.analysis"), ("xlwings", "xlreport.excel")])
def test_a_heavy_library_is_forbidden_to_every_room_but_its_own(graph, library, its_room):
    # A room added later is on the ribbon and check path until it is listed here, so it is forbidden too.
    (sources,) = [c["source_modules"] for c in _contracts() if c["type"] == "forbidden" and c["forbidden_modules"] == [library]]
    assert set(graph.find_children("xlreport")) - set(sources) == {its_room}
