"""The grid on an .xlsx file: values through python-calamine, changes through openpyxl.

The command line's path to the ribbon's behaviour (WPS and Mac users). Values
come from the cached results the spreadsheet saved (calamine, one read per
sheet); openpyxl is loaded only when something is written, keeping formulas
and styles. save() writes atomically to the path the caller chooses.
Limitation of any openpyxl save: formulas lose their cached results until the
file is opened and saved again in Excel or WPS.
"""

from __future__ import annotations

from copy import copy
from pathlib import Path

from .grid import MARKS_SHEET, RESULTS_SHEET, Link, MarkingGrid, put
from .workbook.reader import CalamineSource, sniff
from .workbook.writer import atomic_write

_WIDTHS = {1: 16, 2: 6, 3: 90}  # 规则, 级别, 说明; cell columns get _CELL_WIDTH
_CELL_WIDTH = 12


def _solid(rgb: str):
    from openpyxl.styles.fills import PatternFill

    return PatternFill("solid", fgColor="FF" + rgb.upper())


def _fill_text(fill) -> str:
    """"" for none, "#RRGGBB" for a fill exactly as mark() sets it, else the fill's XML (kept exactly)."""
    from openpyxl.styles.fills import PatternFill
    from openpyxl.xml.functions import tostring

    if isinstance(fill, PatternFill):
        if fill.fill_type is None:
            return ""
        rgb = fill.fgColor.rgb if fill.fgColor.type == "rgb" else ""
        if rgb and fill == _solid(rgb[-6:]):
            return "#" + rgb[-6:]
    return "xml:" + tostring(fill.to_tree()).decode()


class FileGrid(MarkingGrid):
    def __init__(self, path: str | Path):
        self.path = Path(path)
        sniff(self.path)
        self._source = CalamineSource(self.path)
        self.names = self._source.names
        self.sheet_names = set(self._source.sheet_names)
        self._values: dict[str, list[list]] = {}
        self._wb = None
        self.alerts: list[tuple[str, str]] = []
        self.questions: list[tuple[str, str]] = []
        self.answer = False  # what ask() replies: the command line decides up front

    @property
    def wb(self):
        if self._wb is None:
            import openpyxl

            self._wb = openpyxl.load_workbook(self.path, keep_vba=self.path.suffix.lower() in (".xlsm", ".xlam"))
        return self._wb

    def grid(self, sheet: str) -> list[list]:
        if sheet not in self._values:
            self._values[sheet] = [list(r) for r in self._source.grid(sheet)]
        return self._values[sheet]

    def write_block(self, sheet: str, row: int, col: int, rows: list[list]) -> None:
        ws = self.wb[sheet]
        for i, line in enumerate(rows):
            for j, value in enumerate(line):
                ws.cell(row + i, col + j).value = value
        self.grid(sheet)  # the file on disk does not see this write: keep the values here
        put(self._values, sheet, row, col, rows)

    # --- marks -------------------------------------------------------------------

    def _cell_format(self, sheet, row, col):
        cell = self.wb[sheet].cell(row, col)
        return _fill_text(copy(cell.fill)), cell.comment.text if cell.comment else ""  # copy: unwrap openpyxl's proxy

    def _set_cell_format(self, sheet, row, col, fill, note):
        from openpyxl.comments import Comment
        from openpyxl.styles.fills import Fill, PatternFill
        from openpyxl.xml.functions import fromstring

        cell = self.wb[sheet].cell(row, col)
        if fill == "":
            cell.fill = PatternFill(fill_type=None)
        elif fill and fill.startswith("#"):
            cell.fill = _solid(fill[1:])
        elif fill:
            cell.fill = Fill.from_tree(fromstring(fill[4:].encode()))
        if note == "":
            cell.comment = None
        elif note:
            lines = sum(len(line) // 24 + 1 for line in note.splitlines())
            cell.comment = Comment(note, "xlreport", height=min(40 + 16 * lines, 600), width=320)

    def _registry(self):
        if MARKS_SHEET not in self.wb.sheetnames:
            return []
        rows = self.wb[MARKS_SHEET].iter_rows(values_only=True)
        return [["" if v is None else str(v) for v in r[:5]] for r in rows if r and r[0]]

    def _set_registry(self, rows):
        if MARKS_SHEET in self.wb.sheetnames:
            self.wb.remove(self.wb[MARKS_SHEET])
            self.sheet_names.discard(MARKS_SHEET)
        if not rows:
            return
        ws = self.wb.create_sheet(MARKS_SHEET)
        ws.sheet_state = "hidden"
        for r in rows:
            ws.append(r)
        self.sheet_names.add(MARKS_SHEET)

    # --- results, messages, saving -------------------------------------------------

    def write_results(self, rows: list[list]) -> None:
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.hyperlink import Hyperlink

        wb = self.wb
        index = None
        if RESULTS_SHEET in wb.sheetnames:
            index = wb.sheetnames.index(RESULTS_SHEET)
            wb.remove(wb[RESULTS_SHEET])
        ws = wb.create_sheet(RESULTS_SHEET, index)
        for r, line in enumerate(rows, start=1):
            for c, value in enumerate(line, start=1):
                cell = ws.cell(r, c)
                if isinstance(value, Link):
                    cell.value = value.text
                    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=value.location, display=value.text)
                    cell.style = "Hyperlink"
                else:
                    cell.value = value
                if r == 1:
                    cell.font = Font(bold=True)
                elif c == 3:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for c in range(1, ws.max_column + 1):
            ws.column_dimensions[get_column_letter(c)].width = _WIDTHS.get(c, _CELL_WIDTH)
        ws.freeze_panes = "A2"
        self.sheet_names.add(RESULTS_SHEET)

    def alert(self, title: str, message: str) -> None:
        self.alerts.append((title, message))

    def ask(self, title: str, message: str) -> bool:
        self.questions.append((title, message))
        return self.answer

    def save(self, dst: str | Path) -> Path:
        dst = Path(dst)
        atomic_write(dst, self.wb.save)
        return dst

    def close(self) -> None:
        self._source.close()
        if self._wb is not None:
            self._wb.close()
