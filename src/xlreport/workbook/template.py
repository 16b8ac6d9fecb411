"""The standard workbook: cover, narrative, the statutory tables 表二–表四, hidden meta and checks sheets.

The tables are laid out like the printed ones (statutory-format.md §3–§4), driven by the form
declaration: blocks, rows, columns and their groups. Code elsewhere finds cells through defined
names (`names`, `Cell.defined_name`), never through the coordinates below, which are fixed here:

- 表二: row 1 heading; per block a title row, a header row, then data rows. Labels in column A,
  value cells from column B (first value cell B4). 2019 grid A–E, 2021 grid A–D.
- 表三: row 1 heading, header rows 2–4, data rows from row 5; labels A–C, values D–J (first D5).
- 表四: row 1 heading, header rows 2–4, value row 5; label A, values B–P (first B5).
- 封面: title row 1, one field per row from row 2 (label A, input B, hint C).
- 正文: instruction row 1, then the narrative in report order (see `_narrative_sheet`).

Totals are left empty (no formulas): Python fills them. Row 1 of each table sheet holds the
heading and, over the right-hand value columns, the live-check status line; a legend follows the
table (`livecheck`: conditional formatting and status formulas, helper formulas on the hidden
checks sheet). Sheets are protected without a password, as a guard against typing over labels
and totals.

``python -m xlreport.workbook.template`` regenerates ``template/report_template.xlsx``.
"""

from __future__ import annotations

import datetime
import io
import math
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from .. import version
from ..forms import COVER_FIELDS, FORM_2021, FORMS, Cell, Domain, Form, Kind, Table
from ..forms.base import DOMAIN_TEXT
from ..forms.layout import column_paths, row_paths, tree_spans, value_spans
from ..forms.statutory import HEADINGS
from . import livecheck, names
from .cells import set_cell
from .writer import atomic_write

TEMPLATE_PATH = Path(__file__).resolve().parents[3] / "template" / "report_template.xlsx"


_FIXED_TIME = datetime.datetime(2019, 1, 1)  # workbook properties: deterministic output
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# --- styles -----------------------------------------------------------------

_FONT = "宋体"
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_STYLES = {
    "title": (Font(name=_FONT, size=14, bold=True), None, Alignment("center", "center", wrap_text=True), None),
    "head": (Font(name=_FONT, size=11, bold=True), None, Alignment("center", "center", wrap_text=True), _BORDER),
    "label": (Font(name=_FONT, size=11), None, Alignment("left", "center", wrap_text=True, indent=1), _BORDER),
    "clabel": (Font(name=_FONT, size=11), None, Alignment("center", "center", wrap_text=True), _BORDER),
    "note": (Font(name=_FONT, size=10), None, Alignment("left", "center", wrap_text=True), None),
    "corner": (Font(name=_FONT, size=10), None, Alignment("left", "center", wrap_text=True), _BORDER),
    "hint": (Font(name=_FONT, size=10, color="7F7F7F"), None, Alignment("left", "center", wrap_text=True), None),
    "input": (Font(name=_FONT, size=11), PatternFill("solid", fgColor="FFF2CC"), Alignment("center", "center"), _BORDER),
    "text": (Font(name=_FONT, size=11), PatternFill("solid", fgColor="FFF2CC"), Alignment("left", "top", wrap_text=True), _BORDER),
    "total": (Font(name=_FONT, size=11, bold=True), PatternFill("solid", fgColor="D9D9D9"), Alignment("center", "center"), _BORDER),
    "status": (Font(name=_FONT, size=10, bold=True), None, Alignment("left", "center", wrap_text=True), None),
    "swatch": (Font(name=_FONT, size=10), None, Alignment("center", "center"), _BORDER),
}
_TITLE_HEIGHT = 36  # the heading, or two lines of the status line beside it
_UNLOCKED = {"input", "text"}

_NUMBER_FORMAT = {Domain.COUNT: "0", Domain.DELTA: "0", Domain.AMOUNT: "0.00##"}
# (type, operator, formula1, formula2) per domain
_RULE = {
    Domain.COUNT: ("whole", "greaterThanOrEqual", "0", None),
    Domain.DELTA: ("whole", "between", "-1000000000", "1000000000"),
    Domain.AMOUNT: ("decimal", "greaterThanOrEqual", "0", None),
}
_FILL_ZERO = "没有请填 0，不要留空或填“无”"


def _put(ws: Worksheet, row: int, col: int, value, style: str, rows: int = 1, cols: int = 1):
    """Write a (possibly merged) styled cell; the value lives in the top-left cell."""
    cell = ws.cell(row, col)
    cell.value = value
    font, fill, alignment, border = _STYLES[style]
    cell.font, cell.alignment = font, alignment
    if fill is not None:
        cell.fill = fill
    if border is not None:
        cell.border = border
    cell.protection = Protection(locked=style not in _UNLOCKED)
    if rows > 1 or cols > 1:
        ws.merge_cells(start_row=row, start_column=col, end_row=row + rows - 1, end_column=col + cols - 1)
    return cell


def _ref(ws: Worksheet, row: int, col: int, last_row: int | None = None, last_col: int | None = None) -> str:
    ref = f"${get_column_letter(col)}${row}"
    if last_row is not None:
        ref += f":${get_column_letter(last_col)}${last_row}"
    return f"'{ws.title}'!{ref}"


def _name(ws: Worksheet, name: str, row: int, col: int, last_row: int | None = None, last_col: int | None = None):
    ws.parent.defined_names[name] = DefinedName(name, attr_text=_ref(ws, row, col, last_row, last_col))


class _Validations:
    """Collects per-cell validations; identical ones become one DataValidation with many ranges."""

    def __init__(self) -> None:
        self._specs: dict[tuple, list[str]] = {}

    def add(self, coord: str, rule=(None, None, None, None), title: str = "", prompt: str = "", error: str = ""):
        spec = (*rule, title[:32], prompt[:255], error[:225])
        self._specs.setdefault(spec, []).append(coord)

    def apply(self, ws: Worksheet) -> None:
        for (kind, op, f1, f2, title, prompt, error), coords in self._specs.items():
            dv = DataValidation(
                type=kind, operator=op, formula1=f1, formula2=f2, allow_blank=True,
                showInputMessage=True, promptTitle=title or None, prompt=prompt or None,
                showErrorMessage=kind is not None, errorStyle="stop" if kind else None,
                errorTitle="输入有误" if kind else None, error=error or None,
            )
            for coord in coords:
                dv.add(coord)
            ws.add_data_validation(dv)


def _text_width(text: str) -> float:
    """Approximate width in Excel character units (CJK characters are about two)."""
    return sum(1.1 if ord(ch) < 0x2E80 else 2.1 for ch in str(text))


def _fit_rows(ws: Worksheet, spans, min_height: float = 20.0) -> None:
    """Set row heights so that each label of a single-row span fits its (merged) width."""
    heights: dict[int, float] = {}
    for row, col, rows, cols, text in spans:
        heights.setdefault(row, min_height)
        if rows > 1 or not text:
            continue
        width = sum(ws.column_dimensions[get_column_letter(c)].width for c in range(col, col + cols)) - 1
        lines = max(1, math.ceil(_text_width(text) / max(width, 1)))
        heights[row] = max(heights[row], 15.0 * lines + 6)
    for row, height in heights.items():
        ws.row_dimensions[row].height = height


def _widths(ws: Worksheet, widths) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _protect(ws: Worksheet) -> None:
    """Sheet protection without password: a guard that still lets staff and tools mark cells."""
    p = ws.protection
    p.sheet = True
    p.formatCells = p.formatColumns = p.formatRows = False
    p.selectLockedCells = p.selectUnlockedCells = False
    p.objects = False  # notes on flagged cells


def _print_setup(ws: Worksheet, *, landscape: bool, title_rows: str | None = None, one_page: bool = False) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, int(one_page)
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_area = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"
    if title_rows:
        ws.print_title_rows = title_rows


# --- statutory tables ----------------------------------------------------------

def _layout_t2(ws: Worksheet, table: Table) -> tuple[dict[str, tuple[int, int]], list]:
    counts = {len(b.columns) for b in table.blocks}
    width = max(counts)
    if any(width % n for n in counts):  # 2019: 3- and 2-column blocks share a 4-column grid
        width += 1
    _widths(ws, [24] + [48 / width] * width)
    spans, pos = [], {}
    status = _title_row(ws, table.heading, 1, width)
    row = 2
    for block in table.blocks:
        _put(ws, row, 1, block.title, "head", cols=width + 1)
        spans.append((row, 1, 1, width + 1, block.title))
        _put(ws, row + 1, 1, block.stub, "head")
        col = 2
        for column, span in zip(block.columns, value_spans(len(block.columns), width)):
            _put(ws, row + 1, col, column.label, "head", cols=span)
            spans.append((row + 1, col, 1, span, column.label))
            for i, r in enumerate(block.rows):
                pos[(block.key, r.key, column.key)] = (row + 2 + i, col, span)
            col += span
        for i, r in enumerate(block.rows):
            _put(ws, row + 2 + i, 1, r.label, "label")
            spans.append((row + 2 + i, 1, 1, 1, r.label))
        row += 2 + len(block.rows)
    ws.freeze_panes = "B2"
    return pos, spans, status


def _layout_cross(ws: Worksheet, table: Table, label_widths, value_width: float):
    """表三/表四: a corner cell (the 勾稽 note), nested column headers, nested row labels."""
    (block,) = table.blocks
    col_paths, rows = column_paths(table, block), row_paths(table, block)
    head, stub = max(map(len, col_paths)), max(map(len, rows))
    assert stub == len(label_widths), (table.name, stub)
    _widths(ws, list(label_widths) + [value_width] * len(block.columns))
    spans = []
    status = _title_row(ws, table.heading, stub, len(block.columns))
    _put(ws, 2, 1, table.note or None, "corner", rows=head, cols=stub)
    top = 2 + head  # first data row
    for i, j, l0, l1, text in tree_spans(col_paths, head):
        _put(ws, 2 + l0, stub + 1 + i, text, "head", rows=l1 - l0 + 1, cols=j - i + 1)
        spans.append((2 + l0, stub + 1 + i, l1 - l0 + 1, j - i + 1, text))
    for i, j, l0, l1, text in tree_spans(rows, stub):
        style = "clabel" if j > i else "label"
        _put(ws, top + i, 1 + l0, text, style, rows=j - i + 1, cols=l1 - l0 + 1)
        spans.append((top + i, 1 + l0, j - i + 1, l1 - l0 + 1, text))
    pos = {
        (block.key, r.key, c.key): (top + ri, stub + 1 + ci, 1)
        for ri, r in enumerate(block.rows)
        for ci, c in enumerate(block.columns)
    }
    ws.freeze_panes = ws.cell(top, stub + 1).coordinate
    return pos, spans, top - 1, status


def _title_row(ws: Worksheet, heading: str, stub_cols: int, value_cols: int) -> tuple[Worksheet, int, int]:
    """The table heading on the left of row 1, the status line over the right-hand value columns."""
    status_cols = value_cols - value_cols // 3
    heading_cols = stub_cols + value_cols - status_cols
    _put(ws, 1, 1, heading, "title", cols=heading_cols)
    _put(ws, 1, heading_cols + 1, None, "status", cols=status_cols)
    return ws, 1, heading_cols + 1


def _legend(ws: Worksheet) -> None:
    """Below the table: the highlight colour and what it means."""
    row, cols = ws.max_row + 2, ws.max_column
    livecheck.swatch(_put(ws, row, 1, livecheck.LEGEND_MARK, "swatch"))
    _put(ws, row, 2, livecheck.LEGEND, "note", cols=cols - 1)
    _fit_rows(ws, [(row, 2, 1, cols - 1, livecheck.LEGEND)])


def _value_cells(ws: Worksheet, cells: list[Cell], pos) -> dict[str, tuple[int, int]]:
    """Style, name and validate the statutory value cells of one table; returns key → (row, col)."""
    validations = _Validations()
    where = {}
    for cell in cells:
        row, col, span = pos[(cell.block.key, cell.row.key, cell.column.key)]
        where[cell.key] = (row, col)
        total = cell.kind is Kind.TOTAL
        c = _put(ws, row, col, None, "total" if total else "input", cols=span)
        c.number_format = _NUMBER_FORMAT[cell.domain]
        _name(ws, cell.defined_name, row, col)
        if not total:
            what = f"请填写{DOMAIN_TEXT[cell.domain]}（{cell.unit}）"
            validations.add(
                c.coordinate,
                _RULE[cell.domain],
                f"{cell.table.name} {cell.column_label}",
                f"{cell.row_label}：{what}；{_FILL_ZERO}",
                f"{cell.table.name}「{cell.column_label}」只能{what}。",
            )
    validations.apply(ws)
    return where


def _table_sheet(wb: Workbook, form: Form, table: Table):
    """The sheet of one statutory table; returns its cells' (row, col) by key and its status cell."""
    ws = wb.create_sheet(table.name)
    if table.key == "t2":
        pos, spans, status = _layout_t2(ws, table)
        header_rows = 1
    elif table.key == "t3":
        pos, spans, header_rows, status = _layout_cross(ws, table, (7, 13, 40), 9.5)
    else:
        pos, spans, header_rows, status = _layout_cross(ws, table, (10,), 8)
    where = _value_cells(ws, [c for c in form.cells if c.table is table], pos)
    _fit_rows(ws, spans)
    ws.row_dimensions[1].height = _TITLE_HEIGHT
    _legend(ws)
    _protect(ws)
    wide = table.key != "t2"
    _print_setup(ws, landscape=wide, title_rows=f"1:{header_rows}", one_page=wide)
    return where, status


# --- cover, narrative, meta ------------------------------------------------------

def _document_formula(year_ref: str) -> str:
    """=IF(B3="","",IF(B3<=2020,"国办公开办函〔2019〕60号","国办公开办函〔2021〕30号"))"""
    forms = sorted(FORMS.values(), key=lambda f: f.first_year)
    expr = f'"{forms[-1].document}"'
    for f in reversed(forms[:-1]):
        expr = f'IF({year_ref}<={f.last_year},"{f.document}",{expr})'
    return f'=IF({year_ref}="","",{expr})'


_COVER_STATUS = ("统计表检查", "表二至表四的勾稽关系和未填、填错的单元格，由公式即时计算")


def _cover_sheet(ws: Worksheet, year: int | None, agency: str) -> tuple[Worksheet, int, int]:
    """Title row, one row per cover field (COVER_FIELDS, in order), a gap, the overall status line;
    returns the status cell."""
    _widths(ws, (16, 44, 34))
    _put(ws, 1, 1, "政府信息公开工作年度报告 封面信息", "title", cols=3)
    ws.row_dimensions[1].height = 30
    validations = _Validations()
    rows = {f.key: 2 + i for i, f in enumerate(COVER_FIELDS)}
    for field in COVER_FIELDS:
        row = rows[field.key]
        _put(ws, row, 1, field.label, "label")
        ws.row_dimensions[row].height = 22
        hint = field.hint + ("（必填）" if field.required else "")
        if field.key == "form_document":
            c = _put(ws, row, 2, _document_formula(f"B{rows['year']}"), "total")
            c.alignment = Alignment("left", "center")
        elif field.key == "year":
            c = _put(ws, row, 2, year, "input")
            c.number_format = "0"
            validations.add(c.coordinate, ("whole", "between", "2019", "2100"), field.label, hint,
                            "报告年度应为 2019 至 2100 之间的四位年份。")
        else:
            c = _put(ws, row, 2, None, "text")
            set_cell(ws, row, 2, (agency or None) if field.key == "agency" else None)  # typed text: never a formula
            c.alignment = Alignment("left", "center", wrap_text=True)
            c.number_format = "@"  # keep leading zeros of 邮编 / 电话
            rule = ("list", None, '"' + ",".join(field.choices) + '"', None) if field.choices else (None,) * 4
            error = f"请从下拉列表中选择：{'、'.join(field.choices)}。" if field.choices else ""
            validations.add(c.coordinate, rule, field.label, hint or f"请填写{field.label}", error)
        if hint:
            _put(ws, row, 3, hint, "hint")
        _name(ws, names.cover_name(field.key), row, 2)
    validations.apply(ws)
    status_row = 2 + len(COVER_FIELDS) + 1
    label, hint = _COVER_STATUS
    _put(ws, status_row, 1, label, "label")
    _put(ws, status_row, 2, None, "status").border = _BORDER
    _put(ws, status_row, 3, hint, "hint")
    ws.row_dimensions[status_row].height = 36
    _protect(ws)
    _print_setup(ws, landscape=False)
    return ws, status_row, 2


def _narrative_sheet(ws: Worksheet, form: Form) -> None:
    _widths(ws, (24, 22, 72))
    validations = _Validations()
    _put(ws, 1, 1, "二、三、四部分为统计表，见“表二”“表三”“表四”工作表；本表填写文字部分。", "note", cols=3)
    ws.row_dimensions[1].height = 24
    text_rows = dict(names.NARRATIVE_TEXTS)

    def text(row: int, name: str, height: float) -> None:
        _put(ws, row, 1, text_rows[name], "label")
        c = _put(ws, row, 2, None, "text", cols=2)
        validations.add(c.coordinate, title=text_rows[name][:32], prompt="在此填写正文文字；段落之间可用 Alt+Enter 换行。")
        _name(ws, name, row, 2)
        ws.row_dimensions[row].height = height

    def number(row: int, name: str, label: str, domain: Domain, unit: str, hint: str) -> None:
        _put(ws, row, 1, label, "label")
        c = _put(ws, row, 2, None, "input")
        c.number_format = "0.00" if domain is Domain.AMOUNT else "0"
        what = f"请填写{DOMAIN_TEXT[domain]}（{unit}）"
        validations.add(c.coordinate, _RULE[domain], label[:32], f"{what}；{_FILL_ZERO}", f"{label}只能{what}。")
        _put(ws, row, 3, hint, "hint")
        _name(ws, name, row, 2)
        ws.row_dimensions[row].height = 22

    text(2, names.NARR_PREAMBLE, 90)
    text(3, names.NARR_OVERVIEW_INTRO, 60)
    # 一、总体情况: (sub-heading, text) pairs, sub-headings prefilled and editable
    first, slots = 5, names.OVERVIEW_SLOTS
    _put(ws, 4, 1, HEADINGS["overview"] + "（分项）", "head")
    _put(ws, 4, 2, "小标题（可修改）", "head")
    _put(ws, 4, 3, "内容", "head")
    _put(ws, first, 1, "按分项填写；小标题可修改、增删，不用的行留空。", "clabel", rows=slots)
    for i in range(slots):
        sub = _put(ws, first + i, 2, form.overview_parts[i] if i < len(form.overview_parts) else None, "text")
        sub.font = Font(name=_FONT, size=11, bold=True)
        _put(ws, first + i, 3, None, "text")
        ws.row_dimensions[first + i].height = 75 if i < len(form.overview_parts) else 30
    validations.add(f"B{first}:B{first + slots - 1}", title="一、总体情况 小标题", prompt="分项小标题，如“（一）主动公开”；不用的行留空。")
    validations.add(f"C{first}:C{first + slots - 1}", title="一、总体情况 分项内容", prompt="在此填写该分项的正文文字。")
    _name(ws, names.NARR_OVERVIEW_PARTS, first, 2, first + slots - 1, 3)
    row = first + slots
    for table in form.tables:
        _put(ws, row, 1, table.heading, "label")
        _put(ws, row, 2, f"统计表，见“{table.name}”工作表", "hint", cols=2)
        _fit_rows(ws, [(row, 1, 1, 1, table.heading)])
        row += 1
    text(row, names.NARR_PROBLEMS, 120)
    text(row + 1, names.NARR_OTHER, 90)
    number(row + 2, names.NARR_FEE_AMOUNT, "信息处理费金额（元）", Domain.AMOUNT, "元", "属于“六、其他需要报告的事项”；未收取填 0")
    number(row + 3, names.NARR_FEE_COUNT, "收取信息处理费件数（件）", Domain.COUNT, "件", "收取信息处理费的申请件数；未收取填 0")
    validations.apply(ws)
    _protect(ws)
    _print_setup(ws, landscape=False)


def _meta_sheet(ws: Worksheet, form: Form) -> None:
    ws.sheet_state = "hidden"
    _widths(ws, (18, 40))
    rows = (
        ("表格格式版本", form.version, names.META_FORM_VERSION),
        ("模板版本", version.TEMPLATE_VERSION, names.META_TEMPLATE_VERSION),
        ("格式文件", form.document, None),
        ("xlreport 版本", version.__version__, None),
        ("说明", "本工作表由 xlreport 使用，请勿修改。", None),
    )
    for i, (label, value, name) in enumerate(rows, start=1):
        ws.cell(i, 1, label)
        c = ws.cell(i, 2, str(value))
        c.number_format = "@"
        if name:
            _name(ws, name, i, 2)
    _protect(ws)


def _checks_sheet(ws: Worksheet) -> None:
    """Hidden, and never read by the reader: the live checks' helper formulas (livecheck.install)."""
    ws.sheet_state = "hidden"
    _widths(ws, (60, 12))
    ws.cell(1, 1, "以下公式供各表顶部的勾稽关系状态行使用（单元格：0 有效、1 未填、2 填写有误；勾稽关系：1 不符），请勿修改")
    _protect(ws)


# --- public API ------------------------------------------------------------------

def build_workbook(form: Form, *, year: int | None = None, agency: str = "") -> Workbook:
    """The standard workbook for `form`; `year` and `agency` prefill the cover."""
    wb = Workbook()
    cover = wb.active
    cover.title = names.SHEET_COVER
    status = {"all": _cover_sheet(cover, year, agency)}
    _narrative_sheet(wb.create_sheet(names.SHEET_NARRATIVE), form)
    where: dict[str, tuple[int, int]] = {}
    for table in form.tables:
        cells, status[table.key] = _table_sheet(wb, form, table)
        where.update(cells)
    _meta_sheet(wb.create_sheet(names.SHEET_META), form)
    checks = wb.create_sheet(names.SHEET_CHECKS)
    _checks_sheet(checks)
    livecheck.install(wb, form, where, status, checks, 2)
    for key, (ws, row, col) in status.items():
        _name(ws, names.status_name(key), row, col)
    props = wb.properties
    props.creator = props.lastModifiedBy = "xlreport"
    props.created = props.modified = _FIXED_TIME
    props.title = f"政府信息公开工作年度报告（{form.document}格式）"
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """Serialise deterministically: fixed properties (set by the caller), fixed zip timestamps."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # unlike openpyxl's save(), keeps properties.modified
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            member.compress_type, member.create_system, member.external_attr = zipfile.ZIP_DEFLATED, 0, 0
            dst.writestr(member, src.read(info), compresslevel=9)
    return out.getvalue()


def write_workbook(path, form: Form, *, year: int | None = None, agency: str = "") -> Path:
    """Build and save atomically; identical arguments give byte-identical files."""
    path = Path(path)
    data = workbook_bytes(build_workbook(form, year=year, agency=agency))
    atomic_write(path, lambda fh: fh.write(data))
    return path


def build_template(path=TEMPLATE_PATH) -> Path:
    """Regenerate the committed blank template (current format, no year, no agency)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return write_workbook(path, FORM_2021)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    print(build_template(*args[:1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
