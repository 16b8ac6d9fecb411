"""The grid in memory: sheets as lists of rows, fills and notes as dicts. For tests and tools."""

from __future__ import annotations

from pathlib import Path

from .grid import RESULTS_SHEET, MarkingGrid, RecordedDialogs, put
from ..workbook.reader import Area, CalamineSource, sniff


class MemoryGrid(RecordedDialogs, MarkingGrid):
    def __init__(self, sheets: dict[str, list[list]], names: dict[str, Area | None], path: Path | None = None):
        self.sheets = {name: [list(r) for r in rows] for name, rows in sheets.items()}
        self.names = dict(names)
        self.sheet_names = set(self.sheets)
        self.path = path
        self.fills: dict[tuple[str, int, int], str] = {}  # "#RRGGBB"; absent = no fill
        self.notes: dict[tuple[str, int, int], str] = {}
        self.registry: list[list[str]] = []
        self.results: list[list] | None = None
        self._start_dialogs()

    @classmethod
    def from_file(cls, path: str | Path) -> MemoryGrid:
        path = Path(path)
        sniff(path)
        src = CalamineSource(path)
        try:
            return cls({s: src.grid(s) for s in src.sheet_names}, src.names, path)
        finally:
            src.close()

    def grid(self, sheet: str) -> list[list]:
        return self.sheets[sheet]

    def write_block(self, sheet: str, row: int, col: int, rows: list[list]) -> None:
        put(self.sheets, sheet, row, col, rows)

    def _cell_format(self, sheet, row, col):
        return self.fills.get((sheet, row, col), ""), self.notes.get((sheet, row, col), "")

    def _set_cell_format(self, sheet, row, col, fill, note):
        for store, value in ((self.fills, fill), (self.notes, note)):
            if value:
                store[(sheet, row, col)] = value
            elif value == "":
                store.pop((sheet, row, col), None)

    def _registry(self):
        return [list(r) for r in self.registry]

    def _set_registry(self, rows):
        self.registry = [list(r) for r in rows]

    def write_results(self, rows: list[list]) -> None:
        self.results = [list(r) for r in rows]
        self.sheet_names.add(RESULTS_SHEET)

