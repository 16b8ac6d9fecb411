"""The grid on an open Excel workbook through xlwings: the only module that imports xlwings.

Every statutory value is read with one `used_range` read per sheet; defined
names come from book.names. Formatting calls (fill, note) are per marked cell,
which Excel offers no bulk form of.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from ..workbook.reader import parse_ref
from .grid import MARKS_SHEET, RESULTS_SHEET, Link, MarkingGrid, put

_WIDTHS = (16, 6, 90)  # 规则, 级别, 说明; cell columns get _CELL_WIDTH
_CELL_WIDTH = 12


def import_xlwings():
    """Import xlwings without letting it pull in pandas and numpy (0.3-0.5 s per click, bench/bench_ribbon.py).

    xlwings imports both if installed and falls back cleanly when they are not;
    xlreport never hands it DataFrames or arrays. No effect if xlwings is already
    imported, as it is when xlwings' VBA RunPython prefixes `import xlwings.utils`.
    """
    if "xlwings" in sys.modules:
        return sys.modules["xlwings"]
    blocked = [m for m in ("pandas", "numpy") if m not in sys.modules]
    for m in blocked:
        sys.modules[m] = None  # makes `import m` raise ImportError
    try:
        import xlwings
    finally:
        for m in blocked:
            if sys.modules.get(m, 0) is None:
                del sys.modules[m]
    return xlwings


def _hex(color) -> str:
    if color is None:
        return ""
    if isinstance(color, str):
        return color.upper()
    return "#{:02X}{:02X}{:02X}".format(*color)


def _fill_colour(fill: str) -> str | None:
    """A recorded fill as xlwings sets it; openpyxl records fills as XML (see grid_file)."""
    if fill.startswith("xml:"):
        m = re.search(r'<fgColor rgb="[0-9A-Fa-f]{2}([0-9A-Fa-f]{6})"', fill)
        return "#" + m.group(1) if m else None
    return fill or None


def _formula_text(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _as_text(value):
    """Excel takes a value set from code as typed: a leading apostrophe keeps "=…" text, as it does for staff."""
    from ..workbook.cells import FORMULA_START

    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


class XlGrid(MarkingGrid):
    windows = sys.platform == "win32"  # sheet protection is reached through the COM object model

    def __init__(self, book):
        self.book = book
        self.names = {}
        for name in book.names:
            if "!" not in name.name:  # sheet-scoped names are not the template's
                self.names[name.name] = parse_ref(name.refers_to or "")
        self._sheets = {s.name: s for s in book.sheets}
        self.sheet_names = set(self._sheets)
        full = book.fullname or ""
        self.path = Path(full) if os.path.isabs(full) else None  # unsaved books and cloud URLs have none
        self._values: dict[str, list[list]] = {}

    def grid(self, sheet: str) -> list[list]:
        if sheet not in self._values:
            used = self._sheets[sheet].used_range
            block = used.options(ndim=2, err_to_str=True).value
            r0, c0 = used.row, used.column
            self._values[sheet] = [[] for _ in range(r0 - 1)] + [[None] * (c0 - 1) + list(r) for r in block]
        return self._values[sheet]

    def write_block(self, sheet: str, row: int, col: int, rows: list[list]) -> None:
        sht = self._sheets[sheet]
        protected = self.windows and sht.api.ProtectContents
        if protected:  # the template protects total cells against typing, without a password
            sht.api.Unprotect()
        try:
            sht.range((row, col)).value = [[_as_text(v) for v in line] for line in rows]
        finally:
            if protected:
                sht.api.Protect(DrawingObjects=False, Contents=True, AllowFormattingCells=True,
                                AllowFormattingColumns=True, AllowFormattingRows=True)
        put(self._values, sheet, row, col, rows)

    # --- marks -------------------------------------------------------------------

    def _cell_format(self, sheet, row, col):
        rng = self._sheets[sheet].range((row, col))
        note = rng.note
        return _hex(rng.color), note.text if note is not None else ""

    def _set_cell_format(self, sheet, row, col, fill, note):
        rng = self._sheets[sheet].range((row, col))
        if fill is not None:
            rng.color = _fill_colour(fill)
        if note is not None:
            current = rng.note
            if note and current is not None:
                current.text = note
            elif note:
                rng.add_note(note)
            elif current is not None:
                current.delete()

    def _registry(self):
        if MARKS_SHEET not in self._sheets:
            return []
        rows = self._sheets[MARKS_SHEET].used_range.options(ndim=2).value
        return [["" if v is None else str(v) for v in (list(r) + [None] * 5)[:5]] for r in rows if r and r[0]]

    def _set_registry(self, rows):
        sht = self._sheets.get(MARKS_SHEET)
        if sht is None:
            if not rows:
                return
            sht = self._add_sheet(MARKS_SHEET)
            sht.visible = False
        sht.clear_contents()
        if rows:
            rng = sht.range((1, 1), (len(rows), 5))
            rng.number_format = "@"  # kept as typed: a note may start with "="
            rng.value = rows

    def _add_sheet(self, name: str):
        active = self.book.sheets.active
        sht = self.book.sheets.add(name, after=self.book.sheets[len(self.book.sheets) - 1])
        active.activate()  # adding a sheet activates it; keep the user where they were
        self._sheets[name] = sht
        self.sheet_names.add(name)
        return sht

    # --- results, messages -----------------------------------------------------------

    def write_results(self, rows: list[list]) -> None:
        sht = self._sheets.get(RESULTS_SHEET)
        if sht is None:
            sht = self._add_sheet(RESULTS_SHEET)
        else:
            sht.clear()
        values = [
            [f"=HYPERLINK({_formula_text('#' + v.location)},{_formula_text(v.text)})" if isinstance(v, Link) else _as_text(v)
             for v in line]
            for line in rows
        ]
        width = max(len(r) for r in rows)
        sht.range((1, 1)).value = values
        sht.range((1, 1), (1, width)).font.bold = True
        for c in range(1, width + 1):
            sht.range((1, c)).column_width = _WIDTHS[c - 1] if c <= len(_WIDTHS) else _CELL_WIDTH

    def alert(self, title: str, message: str) -> None:
        self.book.app.alert(message, title=title)

    def ask(self, title: str, message: str) -> bool:
        return self.book.app.alert(message, title=title, buttons="yes_no") == "yes"
