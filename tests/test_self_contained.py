"""A fresh clone runs every test: nothing the tests, benchmarks or build scripts read lies outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Built from parts so that this file does not name the directory it forbids.
SIBLING = "sha" + "red"
OUTSIDE_PATH = re.compile(
    rf"""(?x)
    {SIBLING}/                      # a path through it: {SIBLING}/fixtures/…
    | ["']{SIBLING}["']              # a path component: parent / "{SIBLING}"
    | \.\./{SIBLING}\b
    """
)
CHECKED = ["tests", "bench", "examples", "tools", "docs", ".ci", "src"]


def _files():
    for top in CHECKED:
        for path in sorted((REPO / top).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".md", ".toml", ".cfg", ""} and "__pycache__" not in path.parts:
                yield path


@pytest.mark.parametrize("text, names_it", [
    ('SHARED = REPO.parent / "' + SIBLING + '"', True),
    ("copy('../" + SIBLING + "/seeds/x.txt')", True),
    ("/work/" + SIBLING + "/fixtures/real-reports/a.txt", True),
    ("interleaved rounds: the machine is " + SIBLING + " and noisy", False),
    ('REAL_REPORTS = REPO / "tests" / "fixtures" / "real-reports"', False),
])
def test_the_guard_recognises_a_path_outside_the_repository(text, names_it):
    assert bool(OUTSIDE_PATH.search(text)) is names_it


def test_no_test_benchmark_or_build_script_reads_outside_the_repository():
    offenders = [
        f"{path.relative_to(REPO)}:{n}: {line.strip()}"
        for path in _files()
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        if OUTSIDE_PATH.search(line)
    ]
    assert offenders == []


def test_the_fixtures_the_tests_use_are_in_the_repository():
    from conftest import REAL_REPORTS, SEED

    assert SEED.is_file()
    assert len(list(REAL_REPORTS.glob("*.txt"))) >= 4
    assert (REPO / "docs" / "statutory-format.md").is_file()
