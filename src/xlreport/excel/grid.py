"""The grid interface: how the ribbon actions reach a workbook.

Implementations: in memory (grid_memory, for tests), an .xlsx file through
openpyxl (grid_file, the command line's path, for WPS and Mac users), and an
open Excel workbook through xlwings (excel.xlgrid). A grid is also a reader
source (`names`, `sheet_names`, `grid(sheet)`), so workbook.reader builds the
Report from it; values are read once per sheet, never cell by cell.

Marks are a fill colour plus a note whose text starts with MARK_PREFIX. The
cell's previous fill and note are recorded in a hidden sheet (MARKS_SHEET), so
clearing restores the user's formatting; MarkingGrid holds that logic once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from ..workbook.reader import Area, a1_coord, parse_ref

MARK_PREFIX = "【xlreport】"
MARKS_SHEET = "xlreport_marks"  # hidden: sheet, cell, mark fill, original fill, original note
RESULTS_SHEET = "校验结果"
ERROR_FILL = "#FFC7CE"  # Excel's own "bad" red
WARNING_FILL = "#FFEB9C"  # Excel's own "neutral" yellow


@dataclass(frozen=True)
class Mark:
    sheet: str
    row: int
    col: int
    fill: str  # "#RRGGBB"
    text: str  # the note, without MARK_PREFIX


@dataclass(frozen=True)
class Link:
    """A result-sheet cell that jumps to a workbook cell."""

    sheet: str
    coord: str
    text: str

    @property
    def location(self) -> str:
        return "'" + self.sheet.replace("'", "''") + "'!" + self.coord


class Grid(Protocol):
    names: Mapping[str, Area | None]  # workbook-scoped defined names
    sheet_names: set[str]
    path: Path | None  # where the workbook is saved; None if never saved

    def grid(self, sheet: str) -> list[list]:
        """The sheet's values from A1, read in one call and cached; writes update the cache."""

    def write_block(self, sheet: str, row: int, col: int, rows: list[list]) -> None:
        """Write a rectangle of values whose top-left cell is (row, col)."""

    def mark(self, marks: Iterable[Mark]) -> None:
        """Colour each cell and give it a note, remembering what it had before."""

    def clear_marks(self) -> int:
        """Remove every mark, restoring the fill and note it replaced; returns the number of cells."""

    def write_results(self, rows: list[list]) -> None:
        """(Re)write the RESULTS_SHEET with these rows; Link values become hyperlinks."""

    def alert(self, title: str, message: str) -> None: ...

    def ask(self, title: str, message: str) -> bool:
        """A yes/no question; True for yes."""


def to_excel(value):
    """Decimal → int or float, which every backend stores as a number."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    return value


def split_coord(coord: str) -> tuple[int, int]:
    return parse_ref("_!" + coord).first


def cell_value(grid: Grid, sheet: str, row: int, col: int):
    values = grid.grid(sheet)
    if row - 1 < len(values) and col - 1 < len(values[row - 1]):
        return values[row - 1][col - 1]
    return None


def read_named(grid: Grid, names: Iterable[str]) -> dict[str, object]:
    """Values of single-cell defined names (None where missing), one bulk read per sheet."""
    out = {}
    for name in names:
        area = grid.names.get(name)
        ok = area is not None and area.sheet in grid.sheet_names
        out[name] = cell_value(grid, area.sheet, *area.first) if ok else None
    return out


def write_cells(grid: Grid, cells: Mapping[tuple[str, int, int], object]) -> int:
    """Write scattered cells as few contiguous blocks (columns first, then rows); returns the block count."""
    left = dict(cells)
    blocks = []
    for sheet, row, col in sorted(cells, key=lambda k: (k[0], k[2], k[1])):
        if (sheet, row, col) not in left or (sheet, row - 1, col) in left:
            continue
        run = []
        while (sheet, row + len(run), col) in left:
            run.append(left.pop((sheet, row + len(run), col)))
        if len(run) > 1:
            blocks.append((sheet, row, col, [[v] for v in run]))
        else:
            left[(sheet, row, col)] = run[0]
    for sheet, row, col in sorted(left, key=lambda k: (k[0], k[1], k[2])):
        if (sheet, row, col) not in left or (sheet, row, col - 1) in left:
            continue
        run = []
        while (sheet, row, col + len(run)) in left:
            run.append(left.pop((sheet, row, col + len(run))))
        blocks.append((sheet, row, col, [run]))
    for sheet, row, col, rows in blocks:
        grid.write_block(sheet, row, col, [[to_excel(v) for v in r] for r in rows])
    return len(blocks)


def put(cache: dict[str, list[list]], sheet: str, row: int, col: int, rows: list[list]) -> None:
    """Keep a sheet's cached values in step with a block just written (an uncached sheet is read fresh later)."""
    values = cache.get(sheet)
    if values is None:
        return
    for i, line in enumerate(rows):
        while len(values) < row + i:
            values.append([])
        target = values[row + i - 1]
        if len(target) < col - 1 + len(line):
            target.extend([None] * (col - 1 + len(line) - len(target)))
        target[col - 1 : col - 1 + len(line)] = line


class RecordedDialogs:
    """alert / ask outside Excel: kept in lists that the command line and the tests read afterwards."""

    def _start_dialogs(self, answer: bool = False) -> None:
        self.alerts: list[tuple[str, str]] = []
        self.questions: list[tuple[str, str]] = []
        self.answer = answer  # what ask() replies: the caller decides up front

    def alert(self, title: str, message: str) -> None:
        self.alerts.append((title, message))

    def ask(self, title: str, message: str) -> bool:
        self.questions.append((title, message))
        return self.answer


class MarkingGrid:
    """mark / clear_marks over a few per-cell primitives and a registry of the marks made."""

    sheet_names: set[str]

    def _cell_format(self, sheet: str, row: int, col: int) -> tuple[str, str]:
        """(fill, note text): fill "" for none, "#RRGGBB" for a solid colour, else backend-specific."""
        raise NotImplementedError

    def _set_cell_format(self, sheet: str, row: int, col: int, fill: str | None, note: str | None) -> None:
        """None leaves that part alone; "" removes the fill / the note."""
        raise NotImplementedError

    def _registry(self) -> list[list[str]]:
        raise NotImplementedError

    def _set_registry(self, rows: list[list[str]]) -> None:
        raise NotImplementedError

    _recorded: list[list[str]] | None = None  # the registry, read once per grid

    def _records(self) -> list[list[str]]:
        if self._recorded is None:
            self._recorded = self._registry()
        return self._recorded

    def _record(self, rows: list[list[str]]) -> None:
        self._recorded = rows
        self._set_registry(rows)

    def mark(self, marks: Iterable[Mark]) -> None:
        rows = [list(r) for r in self._records()]
        index = {(r[0], r[1]): r for r in rows}
        for m in marks:
            coord = a1_coord(m.row, m.col)
            entry = index.get((m.sheet, coord))
            if entry is None:  # first mark on this cell: remember what the user had
                fill, note = self._cell_format(m.sheet, m.row, m.col)
                if note.startswith(MARK_PREFIX):  # a stale mark whose record was lost
                    note = ""
                entry = index[(m.sheet, coord)] = [m.sheet, coord, m.fill, fill, note]
                rows.append(entry)
            entry[2] = m.fill
            self._set_cell_format(m.sheet, m.row, m.col, m.fill, MARK_PREFIX + m.text)
        self._record(rows)

    def clear_marks(self) -> int:
        rows = self._records()
        cleared = 0
        for sheet, coord, mark_fill, fill, note in rows:
            if sheet not in self.sheet_names:
                continue
            row, col = split_coord(coord)
            now_fill, now_note = self._cell_format(sheet, row, col)
            # What the user changed since the mark is theirs: restore only what is still ours.
            ours_fill, ours_note = now_fill.upper() == mark_fill.upper(), now_note.startswith(MARK_PREFIX)
            if ours_fill or ours_note:
                self._set_cell_format(sheet, row, col, fill if ours_fill else None, note if ours_note else None)
                cleared += 1
        if rows:
            self._record([])
        return cleared
