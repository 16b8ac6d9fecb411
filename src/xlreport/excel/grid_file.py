"""The grid on an .xlsx file: values through python-calamine, changes through openpyxl.

The command line's path to the ribbon's behaviour (WPS and Mac users). Values
come from the cached results the spreadsheet saved (calamine, one read per
sheet); openpyxl is loaded only when something is written, keeping formulas
and styles. save() writes atomically to the path the caller chooses.
Limitation of any openpyxl save: formulas lose their cached results until the
file is opened and saved again in Excel or WPS; pictures are kept only with Pillow
installed (save() refuses rather than drop them).
"""

from __future__ import annotations

from copy import copy
from pathlib import Path

from ..workbook.cells import set_cell
from ..workbook.reader import CalamineSource, sniff
from ..workbook.safezip import ReadError, xml_chars
from ..workbook.writer import atomic_write, backup
from .grid import MARKS_SHEET, RESULTS_SHEET, Link, MarkingGrid, RecordedDialogs, put

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


class FileGrid(RecordedDialogs, MarkingGrid):
    def __init__(self, path: str | Path):
        self.path = Path(path)
        sniff(self.path)
        self._source = CalamineSource(self.path)
        self.names = self._source.names
        self.sheet_names = set(self._source.sheet_names)
        self._values: dict[str, list[list]] = {}
        self._wb = None
        self._start_dialogs()
        self.backup: Path | None = None  # the copy save() made before replacing the workbook

    @property
    def wb(self):
        if self._wb is None:
            self._wb = _load(self.path)
        return self._wb

    def grid(self, sheet: str) -> list[list]:
        if sheet not in self._values:
            self._values[sheet] = [list(r) for r in self._source.grid(sheet)]
        return self._values[sheet]

    def write_block(self, sheet: str, row: int, col: int, rows: list[list]) -> None:
        ws = self.wb[sheet]
        for i, line in enumerate(rows):
            for j, value in enumerate(line):
                set_cell(ws, row + i, col + j, value)  # drafted text is never taken for a formula
        self.grid(sheet)  # the file on disk does not see this write: keep the values here
        put(self._values, sheet, row, col, rows)

    # --- marks -------------------------------------------------------------------

    def _cell_format(self, sheet, row, col):
        cell = self.wb[sheet].cell(row, col)
        return _fill_text(copy(cell.fill)), cell.comment.text if cell.comment else ""  # copy: unwrap openpyxl's proxy

    def _set_cell_format(self, sheet, row, col, fill, note):
        from openpyxl.comments import Comment
        from openpyxl.styles.fills import Fill, PatternFill

        from ..workbook.safezip import parse_xml

        cell = self.wb[sheet].cell(row, col)
        if fill == "":
            cell.fill = PatternFill(fill_type=None)
        elif fill and fill.startswith("#"):
            cell.fill = _solid(fill[1:])
        elif fill:
            # recorded in the workbook's hidden sheet, so as untrusted as the file: no DTD, no entities
            cell.fill = Fill.from_tree(parse_xml(fill[4:].encode(), f"{MARKS_SHEET} 工作表中记录的填充格式"))
        if note == "":
            cell.comment = None
        elif note:
            lines = sum(len(line) // 24 + 1 for line in note.splitlines())
            cell.comment = Comment(xml_chars(note), "xlreport", height=min(40 + 16 * lines, 600), width=320)

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
        for i, r in enumerate(rows, start=1):
            for j, value in enumerate(r, start=1):
                set_cell(ws, i, j, value)  # a user's note may start with "=": kept as text
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
                    set_cell(ws, r, c, value.text)
                    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=value.location, display=value.text)
                    cell.style = "Hyperlink"
                else:
                    set_cell(ws, r, c, value)  # messages quote what users typed: never a formula
                if r == 1:
                    cell.font = Font(bold=True)
                elif c == 3:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for c in range(1, ws.max_column + 1):
            ws.column_dimensions[get_column_letter(c)].width = _WIDTHS.get(c, _CELL_WIDTH)
        ws.freeze_panes = "A2"
        self.sheet_names.add(RESULTS_SHEET)

    def save(self, dst: str | Path) -> Path:
        """Write atomically; saving over the workbook itself first keeps a backup (self.backup)."""
        import importlib.util
        import zipfile

        dst = Path(dst)
        wb = self.wb  # loaded before anything is written
        if importlib.util.find_spec("PIL") is None:  # without Pillow openpyxl drops every picture on save
            with zipfile.ZipFile(self.path) as zf:
                if any(n.startswith("xl/media/") for n in zf.namelist()):
                    raise ReadError(f"{self.path.name} 含有图片，当前环境缺少 Pillow，保存会丢失图片，未保存。"
                                    "请运行 pip install pillow 后重试，或使用命令行 xlreport fill / draft（不改动图片）")
        if dst.exists() and dst.resolve() == self.path.resolve():
            self.backup = backup(self.path)
        atomic_write(dst, wb.save)
        return dst

    def close(self) -> None:
        self._source.close()
        if self._wb is not None:
            self._wb.close()


def _load(path: Path):
    """openpyxl's full load, after the size check; what it refuses becomes a message for staff."""
    import zipfile

    import openpyxl

    from ..workbook.safezip import check_package

    try:
        with zipfile.ZipFile(path) as zf:
            check_package(zf, main_part="xl/workbook.xml")  # openpyxl does not refuse DTDs in every part it parses
        return openpyxl.load_workbook(path, keep_vba=path.suffix.lower() in (".xlsm", ".xlam"))
    except ReadError:
        raise
    except Exception as exc:  # defusedxml's EntitiesForbidden, damaged parts, ...
        if type(exc).__module__.startswith("defusedxml"):
            raise ReadError(f"{path.name} 含有 DTD 或实体声明，拒绝打开（正常的 Excel 工作簿不含这些内容）") from None
        raise ReadError(f"{path.name} 无法打开以写入标记（{type(exc).__name__}：{str(exc)[:200]}）；"
                        "请在 Excel 中打开后另存，再运行") from None
