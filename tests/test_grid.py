"""The grid implementations: marks that give back the user's formatting, block writes, the result sheet."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.styles.colors import Color
from workbooks import HUAIAN, copy

from xlreport.excel.grid import (
    MARK_PREFIX,
    Link,
    Mark,
    read_named,
    to_excel,
    write_cells,
)
from xlreport.excel.grid_file import FileGrid
from xlreport.excel.grid_memory import MemoryGrid
from xlreport.workbook.reader import CalamineSource

RED, YELLOW = "#FFC7CE", "#FFEB9C"
INPUT_FILL = "#FFF2CC"  # the template's input cells (template.py _STYLES["input"])


def _prepared(tmp_path):
    """The example with a user's own note on 表三!D5 and a theme-coloured fill on 表三!E5."""
    path = copy(HUAIAN, tmp_path / "user.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["表三"]
    ws["D5"].comment = Comment("含来信 12 件", "张三")
    ws["E5"].fill = PatternFill("solid", fgColor=Color(theme=4, tint=0.4))
    wb.save(path)
    return path


def _fmt(grid, sheet, row, col):
    """(fill, note) as the user sees them; files are read back with openpyxl after saving."""
    if isinstance(grid, MemoryGrid):
        return grid.fills.get((sheet, row, col), ""), grid.notes.get((sheet, row, col), "")
    out = grid.path.with_name("check.xlsx")
    grid.save(out)
    cell = openpyxl.load_workbook(out)[sheet].cell(row, col)
    f = cell.fill
    if f.fill_type is None:
        fill = ""
    elif f.fgColor.type == "theme":
        fill = f"theme {f.fgColor.theme} tint {f.fgColor.tint}"
    else:
        fill = "#" + f.fgColor.rgb[-6:]
    return fill, cell.comment.text if cell.comment else ""


@pytest.fixture(params=["memory", "file"])
def grid(request, tmp_path):
    path = _prepared(tmp_path)
    if request.param == "file":
        return FileGrid(path)
    g = MemoryGrid.from_file(path)
    g.fills.update({("表三", 5, 4): INPUT_FILL, ("表三", 5, 5): "theme 4 tint 0.4", ("表三", 5, 10): "#D9D9D9"})
    g.notes[("表三", 5, 4)] = "含来信 12 件"
    return g


MARKS = [
    Mark("表三", 5, 4, RED, "本年新收有误"),  # input cell with the user's note
    Mark("表三", 5, 5, YELLOW, "请核对"),  # theme-coloured fill
    Mark("表三", 5, 10, RED, "总计有误"),  # grey total cell
]
BEFORE = {(5, 4): (INPUT_FILL, "含来信 12 件"), (5, 5): ("theme 4 tint 0.4", ""), (5, 10): ("#D9D9D9", "")}


def test_mark_colours_the_cell_and_writes_a_prefixed_note(grid):
    grid.mark(MARKS)
    assert _fmt(grid, "表三", 5, 4) == (RED, MARK_PREFIX + "本年新收有误")
    assert _fmt(grid, "表三", 5, 5) == (YELLOW, MARK_PREFIX + "请核对")


def test_clear_gives_back_the_users_fill_and_note(grid):
    grid.mark(MARKS)
    assert grid.clear_marks() == 3
    assert {(r, c): _fmt(grid, "表三", r, c) for r, c in BEFORE} == BEFORE


def test_marking_a_marked_cell_again_still_restores_the_original(grid):
    grid.mark(MARKS)
    grid.mark([Mark("表三", 5, 4, YELLOW, "第二次")])
    assert _fmt(grid, "表三", 5, 4) == (YELLOW, MARK_PREFIX + "第二次")
    grid.clear_marks()
    assert _fmt(grid, "表三", 5, 4) == BEFORE[(5, 4)]


def test_clear_keeps_what_the_user_changed_after_the_mark(grid):
    grid.mark(MARKS)
    grid._set_cell_format("表三", 5, 4, "#00B050", None)  # staff recolour the marked cell
    grid._set_cell_format("表三", 5, 10, None, "已核实")  # and replace a note with their own
    grid.clear_marks()
    assert _fmt(grid, "表三", 5, 4) == ("#00B050", "含来信 12 件")
    assert _fmt(grid, "表三", 5, 10) == ("#D9D9D9", "已核实")


def test_clear_without_marks_changes_nothing(grid):
    assert grid.clear_marks() == 0
    assert {(r, c): _fmt(grid, "表三", r, c) for r, c in BEFORE} == BEFORE


def test_file_marks_leave_every_other_style_of_the_cell_alone(tmp_path):
    path = _prepared(tmp_path)
    grid = FileGrid(path)
    grid.mark(MARKS)
    grid.clear_marks()
    out = grid.save(tmp_path / "out.xlsx")
    old, new = openpyxl.load_workbook(path)["表三"], openpyxl.load_workbook(out)["表三"]
    for coord in ("D5", "E5", "J5"):
        a, b = old[coord], new[coord]
        style = lambda c: [repr(x) for x in (c.font, c.border, c.alignment, c.protection, c.fill)]  # noqa: E731
        assert (style(b), b.number_format, b.value) == (style(a), a.number_format, a.value)
    assert "xlreport_marks" not in openpyxl.load_workbook(out).sheetnames


def test_file_registry_of_marks_is_a_hidden_sheet(tmp_path):
    grid = FileGrid(_prepared(tmp_path))
    grid.mark(MARKS[:1])
    ws = openpyxl.load_workbook(grid.save(tmp_path / "out.xlsx"))["xlreport_marks"]
    assert ws.sheet_state == "hidden"
    # the template's fill has alpha 00, so it is kept as XML to be restored exactly
    assert [c.value for c in ws[1]] == ["表三", "D5", RED, 'xml:<fill><patternFill patternType="solid"><fgColor rgb="00FFF2CC"/>'
                                        '</patternFill></fill>', "含来信 12 件"]


# --- values ---------------------------------------------------------------------------------------------


def test_file_grid_reads_each_sheet_once(tmp_path, monkeypatch):
    calls = []
    original = CalamineSource.grid
    monkeypatch.setattr(CalamineSource, "grid", lambda self, sheet: calls.append(sheet) or original(self, sheet))
    grid = FileGrid(HUAIAN)
    for _ in range(3):
        grid.grid("表三")
    read_named(grid, ["XR_T3_NEW_NATURAL", "XR_T3_NEW_TOTAL"])
    assert calls == ["表三"]


def test_read_named_gives_values_and_none_for_missing_names():
    grid = MemoryGrid.from_file(HUAIAN)
    values = read_named(grid, ["XR_T3_NEW_NATURAL", "XR_T4_CASES_REVIEW_TOTAL", "XR_NO_SUCH_NAME"])
    assert values == {"XR_T3_NEW_NATURAL": 3001, "XR_T4_CASES_REVIEW_TOTAL": 351, "XR_NO_SUCH_NAME": None}


class Recording(MemoryGrid):
    def __init__(self):
        super().__init__({"表二": [], "表三": []}, {})
        self.blocks = []

    def write_block(self, sheet, row, col, rows):
        self.blocks.append((sheet, row, col, rows))
        super().write_block(sheet, row, col, rows)


def test_write_cells_groups_columns_then_rows_into_blocks():
    grid = Recording()
    cells = {("表三", r, 10): Decimal(r) for r in range(5, 9)}  # J5:J8
    cells |= {("表三", 28, c): Decimal(c) for c in (4, 5, 6)}  # D28:F28
    cells[("表二", 2, 2)] = Decimal("1.5")
    assert write_cells(grid, cells) == 3
    assert sorted(grid.blocks) == sorted([
        ("表三", 5, 10, [[5], [6], [7], [8]]),
        ("表三", 28, 4, [[4, 5, 6]]),
        ("表二", 2, 2, [[1.5]]),
    ])
    assert grid.sheets["表三"][27][3:6] == [4, 5, 6]


def test_decimals_become_ints_or_floats():
    assert (to_excel(Decimal(12)), to_excel(Decimal("96171.6")), to_excel("无")) == (12, 96171.6, "无")
    assert type(to_excel(Decimal("3.0"))) is int


def test_file_write_block_reaches_the_saved_file_and_later_reads(tmp_path):
    grid = FileGrid(copy(HUAIAN, tmp_path / "w.xlsx"))
    grid.write_block("表四", 5, 2, [[70, 66]])
    assert grid.grid("表四")[4][1:3] == [70, 66]
    ws = openpyxl.load_workbook(grid.save(tmp_path / "out.xlsx"))["表四"]
    assert (ws["B5"].value, ws["C5"].value, ws["D5"].value) == (70, 66, 178)


# --- the result sheet ---------------------------------------------------------------------------------------


def test_file_result_sheet_has_hyperlinks_and_is_replaced_on_rewrite(tmp_path):
    grid = FileGrid(copy(HUAIAN, tmp_path / "r.xlsx"))
    header = ["规则", "级别", "说明", "单元格", None]
    grid.write_results([header, ["T3-FLOW", "错误", "不平", Link("表三", "D5", "表三!D5"), Link("表三", "D6", "表三!D6")],
                        ["X", "提示", "第二行", None, None]])
    grid.write_results([header, ["T4-SUM", "错误", "总计不符", Link("表四", "F5", "表四!F5"), None]])
    wb = openpyxl.load_workbook(grid.save(tmp_path / "out.xlsx"))
    ws = wb["校验结果"]
    assert [[c.value for c in r] for r in ws.iter_rows()] == [header, ["T4-SUM", "错误", "总计不符", "表四!F5", None]]
    assert ws["D2"].hyperlink.location == "'表四'!F5"
    assert wb.sheetnames.count("校验结果") == 1
